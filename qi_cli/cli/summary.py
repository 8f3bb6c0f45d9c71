"""A short plain-text overview of a project (used by `qi demo` until reports exist)."""

from __future__ import annotations

from qi_cli.cli._common import echo, style
from qi_cli.store import LoadedProject


def print_summary(p: LoadedProject) -> None:
    if p.project is None:
        return
    pr = p.project
    echo(style(pr.title, bold=True))
    shown = pr.progress_score if pr.progress_score is not None else "-"
    echo(f"status: {pr.status}   progress: {shown}   lead: {pr.lead or '-'}")
    if pr.aim:
        echo(f"aim: {pr.aim.statement}")
    echo()
    echo(style("measures", bold=True))
    for mid, m in p.measures.items():
        rows = [r for r in p.data.get(mid, []) if r.value is not None]
        latest = "-"
        if rows:
            last = rows[-1]
            value = last.value or 0.0
            if last.denominator:
                value = value / last.denominator * m.multiply
            latest = f"{value:g} on {last.date}"
        target = m.target if m.target is not None else "-"
        echo(f"  {mid:<28} {m.kind:<10} latest {latest}   target {target}")
    if p.drivers:
        echo()
        echo(style("change ideas", bold=True))
        for cid, change in p.drivers.changes.items():
            ramp = " -> ".join(f"#{c.number}" for c in p.cycles_of(cid)) or "no cycles yet"
            echo(f"  {change.title:<40} {p.change_status(cid):<10} {ramp}")
