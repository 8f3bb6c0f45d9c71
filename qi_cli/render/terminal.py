"""Reports and portfolios for the terminal: rich panels and tables, plotext charts.

Everything is rendered into a string at a given width, with colour or without, so the
same function serves a terminal, a pipe and the golden-file tests.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from qi_cli.render.markdown import fmt_value

ChartText = Callable[[str], "str | None"]


def _console(width: int, colour: bool) -> Any:
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        width=width,
        color_system="standard" if colour else None,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


def _dash(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _strip(text: str) -> str:
    """rich pads lines to the full width; trailing spaces only make diffs noisy."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _words(code: str | None) -> str:
    return code.replace("_", " ") if code else ""


def render_report(
    report: dict[str, Any],
    *,
    width: int = 100,
    colour: bool = False,
    chart_text: ChartText | None = None,
) -> str:
    from rich import box
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = _console(width, colour)
    pr = report["project"]
    facts = [f"status: {pr['status']}"]
    if pr["progress_score"] is not None:
        facts.append(f"progress: {pr['progress_score']:g} ({pr['progress_label']})")
    for key in ("lead", "sponsor", "coach"):
        if pr[key]:
            facts.append(f"{key}: {pr[key]}")
    aim = report.get("aim")
    lines = ["   ".join(facts)]
    if aim:
        lines.append("")
        lines.append(f"Aim: {aim['statement']}")
        latest = aim.get("latest")
        if latest:
            met = {True: "met", False: "not yet met", None: ""}[aim.get("met")]
            lines.append(
                f"Outcome {aim.get('outcome_name') or aim.get('outcome_measure')}: baseline "
                f"{_dash(aim.get('baseline'))}, latest {fmt_value(latest['value'])} "
                f"({latest['date']}), target {_dash(aim.get('target'))} by "
                f"{_dash(aim.get('target_date'))} {met}".rstrip()
            )
    console.print(
        Panel(
            Text("\n".join(lines)),
            title=Text(pr["title"], style="bold"),
            box=box.ROUNDED,
            expand=True,
        )
    )
    if report.get("since"):
        changed = report["changed_since"]
        points = ", ".join(f"{k} +{v}" for k, v in changed["new_points"].items() if v)
        signals = "; ".join(f"{k}: {', '.join(v)}" for k, v in changed["new_signals"].items())
        console.print(
            Text(
                f"Since {report['since']}: new cycles "
                f"{', '.join(f'#{n}' for n in changed['new_cycles']) or 'none'}; "
                f"new data {points or 'none'}; new signals {signals or 'none'}"
            )
        )
    table = Table(title="Measures", box=box.SIMPLE_HEAD, title_justify="left", expand=True)
    wide = width >= 100
    table.add_column("Measure", overflow="fold", ratio=4)
    if wide:
        table.add_column("Kind", no_wrap=True)
    table.add_column("Latest / target", overflow="fold", ratio=2)
    table.add_column("Signals", overflow="fold", ratio=3)
    table.add_column("Icons (MDC)", overflow="fold", ratio=3)
    for m in report["measures"]:
        latest = m.get("latest")
        icons = [_words(m.get("variation_icon")), _words(m.get("assurance_icon"))]
        shown = fmt_value(latest["value"], m["unit"]) if latest else "–"
        if m["target"] is not None:
            shown += " / " + fmt_value(m["target"], m["unit"])
        cells = [m["name"], *([m["kind"]] if wide else []), shown]
        cells += [
            ", ".join(_words(s) for s in m["signals"]) or "none",
            ", ".join(i for i in icons if i) or "–",
        ]
        table.add_row(*cells)
    console.print(table)
    out = [console.file.getvalue()]
    for m in report["measures"]:
        if m.get("error"):
            out.append(f"{m['name']}: cannot chart: {m['error']}\n")
            continue
        text = chart_text(m["id"]) if chart_text else None
        if text:
            out.append(text.rstrip("\n") + "\n")
    console = _console(width, colour)
    tree_table = Table(
        title="Change ideas and PDSA cycles", box=box.SIMPLE_HEAD, title_justify="left"
    )
    for name in ("Change idea", "Status", "Ramp of cycles (scale → decision)"):
        tree_table.add_column(name, overflow="fold")
    for c in report["changes"]:
        ramp = (
            "\n".join(
                f"#{cy['number']} {cy['date'] or ''} {cy['scale'] or ''} → "
                f"{cy['decision'] or cy['status']}"
                for cy in c["cycles"]
            )
            or "no cycles yet"
        )
        tree_table.add_row(c["title"], c["status"], ramp)
    console.print(tree_table)
    if report["learning"]:
        console.print(Text("What we learned", style="bold"))
        for item in report["learning"]:
            decision = f" [{item['decision']}]" if item["decision"] else ""
            console.print(Text(f"  #{item['cycle']}{decision} {item['learned'] or ''}".rstrip()))
    if report["next_steps"]:
        console.print(Text("Next steps", style="bold"))
        for s in report["next_steps"]:
            console.print(Text(f"  {s['change']} (after #{s['cycle']}): {s['next_steps']}"))
    issues = report["data_quality"]
    console.print(Text("Data quality", style="bold"))
    if issues:
        for i in issues:
            where = i["path"] + (f":{i['line']}" if i["line"] else "")
            console.print(Text(f"  {i['severity']}: {where} {i['message']}"))
    else:
        console.print(Text("  no problems found by qi validate"))
    out.append(console.file.getvalue())
    return _strip("\n".join(out))


def render_portfolio(portfolio: dict[str, Any], *, width: int = 100, colour: bool = False) -> str:
    from rich import box
    from rich.table import Table

    console = _console(width, colour)
    wide = width >= 120
    caption = "Err: validation errors" + (
        "; Ad/Ab: change ideas adopted / abandoned" if wide else ""
    )
    table = Table(
        title=f"QI portfolio: {portfolio['root']} ({len(portfolio['projects'])} projects)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        expand=True,
        caption=caption,
        caption_justify="left",
        pad_edge=False,
    )
    table.add_column("Project", overflow="fold", ratio=3, min_width=12)
    if wide:
        table.add_column("Lead", overflow="fold", ratio=2)
    table.add_column("Status", no_wrap=True)
    table.add_column("Score", no_wrap=True)
    table.add_column("Last cycle", no_wrap=True)
    if width >= 100:
        table.add_column("Cycles", justify="right", no_wrap=True)
    if wide:
        table.add_column("Ad/Ab", no_wrap=True)
    table.add_column("Outcome / target", overflow="fold", ratio=2, min_width=9)
    table.add_column("Signal", overflow="fold", ratio=2, min_width=11)
    table.add_column("Err", justify="right", no_wrap=True)
    for p in portfolio["projects"]:
        outcome = p.get("outcome") or {}
        score = p["progress_score"]
        shown = f"{score:g}" if score is not None else "–"
        if score is not None and p["progress_change"]:
            shown += f" ({p['progress_change']:+g})"
        cells = [p["title"]]
        if wide:
            cells.append(_dash(p["lead"]))
        cells += [_dash(p["status"]).replace("_", " "), shown, _dash(p["last_cycle"])]
        if width >= 100:
            cells.append(str(p["cycles"]))
        if wide:
            cells.append(f"{p['adopted']}/{p['abandoned']}")
        cells += [
            f"{fmt_value(outcome.get('latest'), outcome.get('unit'))} / "
            f"{fmt_value(outcome.get('target'), outcome.get('unit'))}"
            if outcome
            else "–",
            _dash(outcome.get("variation")).replace("_", " ") if outcome else "–",
            str(p["errors"]) if p["errors"] else "",
        ]
        table.add_row(*cells)
    console.print(table)
    return _strip(str(console.file.getvalue()))
