"""A short plain-text overview of a project (used by `qi demo` until reports exist)."""

from __future__ import annotations

from qi_cli.cli._common import echo, style
from qi_cli.store import LoadedProject


def print_summary(p: LoadedProject) -> None:
    if p.project is None:
        return
    pr = p.project
    echo(style(pr.title, bold=True))
    score = pr.progress_score
    echo(
        f"status: {pr.status}   progress: {score if score is not None else '-'}   lead: {pr.lead or '-'}"
    )
    if pr.aim:
        echo(f"aim: {pr.aim.statement}")
    echo()
    echo(style("measures", bold=True))
    for mid, m in p.measures.items():
        rows = [r for r in p.data.get(mid, []) if r.value is not None]
        latest = "-"
        if rows:
            last = rows[-1]
            value = (
                last.value
                if last.denominator is None
                else last.value / last.denominator * m.multiply
            )  # type: ignore[operator]
            latest = f"{value:g} on {last.date}"
        echo(
            f"  {mid:<28} {m.kind:<10} latest {latest}   target {m.target if m.target is not None else '-'}"
        )
    if p.drivers:
        echo()
        echo(style("change ideas", bold=True))
        for cid, change in p.drivers.changes.items():
            cycles = p.cycles_of(cid)
            ramp = " -> ".join(f"#{c.number}" for c in cycles) or "no cycles yet"
            echo(f"  {change.title:<40} {p.change_status(cid):<10} {ramp}")
