"""Reports and portfolios for the terminal: rich panels and tables, plotext charts.

Everything is rendered into a string at a given width, with colour or without, so the
same function serves a terminal, a pipe and the golden-file tests.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from typing import Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from qi_cli.render.values import dash, one_line, value_text
from qi_cli.reports.words import (
    PREDICTION_LEGEND,
    PREDICTION_MARKS,
    amended_words,
    assurance_words,
    rule_words,
    unplaced_unread,
    unread_words,
    variation_words,
)

ChartText = Callable[[str], "str | None"]


def _console(width: int, colour: bool) -> Any:
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


def _strip(text: str) -> str:
    """rich pads lines to the full width; trailing spaces only make diffs noisy."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _hanging(console: Any, head: str, text: str, width: int) -> None:
    """`head` then `text`, wrapped with every further line indented under the text."""
    indent = "    "
    lines = textwrap.wrap(
        text,
        width=max(width, 30),
        initial_indent="  " + head,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or ["  " + head.rstrip()]
    console.print(Text("\n".join(lines)), soft_wrap=True)


def _aim_progress(report: dict[str, Any], aim: dict[str, Any]) -> list[str]:
    """The outcome measure against the aim's baseline and target, with units."""
    latest = aim.get("latest")
    unit = next(
        (m["unit"] for m in report["measures"] if m["id"] == aim.get("outcome_measure")), None
    )
    name = aim.get("outcome_name") or aim.get("outcome_measure")
    if not name:
        return []
    out = [f"Outcome measure: {one_line(name)}"]
    parts = []
    if aim.get("baseline") is not None:
        parts.append(f"baseline {value_text(aim['baseline'], unit)}")
    if latest:
        parts.append(f"latest {value_text(latest['value'], unit)} ({latest['date']})")
    if aim.get("target") is not None:
        by = f" by {aim['target_date']}" if aim.get("target_date") else ""
        met = {True: ": met", False: ": not met yet", None: ""}[aim.get("met")]
        parts.append(f"target {value_text(aim['target'], unit)}{by}{met}")
    if parts:
        out.append(", ".join(parts)[:1].upper() + ", ".join(parts)[1:])
    return out


def render_report(
    report: dict[str, Any],
    *,
    width: int = 100,
    colour: bool = False,
    chart_text: ChartText | None = None,
) -> str:
    console = _console(width, colour)
    pr = report["project"]
    facts = [f"Status: {dash(pr['status']).replace('_', ' ')}"]
    if pr["progress_score"] is not None:
        facts.append(f"progress score {pr['progress_score']:g} of 5 ({pr['progress_label']})")
    lines = ["   ".join(facts)]
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            lines.append(f"{label}: {one_line(pr[key])}")
    aim = report.get("aim")
    if aim:
        lines.append("")
        lines.append(f"Aim: {one_line(aim['statement'])}")
        lines += _aim_progress(report, aim)
    console.print(
        Panel(
            Text("\n".join(lines)),
            title=Text(one_line(pr["title"]), style="bold"),
            box=box.ROUNDED,
            expand=True,
        )
    )
    if report.get("since"):
        changed = report["changed_since"]
        points = ", ".join(f"{k} +{v}" for k, v in changed["new_points"].items() if v)
        signals = "; ".join(f"{k}: {rule_words(v)}" for k, v in changed["new_signals"].items())
        console.print(
            Text(
                f"Since {report['since']}: new cycles "
                f"{', '.join(f'#{n}' for n in changed['new_cycles']) or 'none'}; "
                f"new data {points or 'none'}; new signals {signals or 'none'}"
            )
        )
    table = Table(title="Measures", box=box.SIMPLE_HEAD, title_justify="left", expand=True)
    wide = width >= 100
    table.add_column("Measure", ratio=4)
    if wide:
        table.add_column("Kind", no_wrap=True)
    table.add_column("Latest / target", ratio=2)
    table.add_column("Signals", ratio=3)
    table.add_column("Variation / assurance", ratio=3)
    for m in report["measures"]:
        latest = m.get("latest")
        shown = value_text(latest["value"], m["unit"]) if latest else "–"
        if m["target"] is not None:
            shown += " / " + value_text(m["target"], m["unit"])
        icons = [variation_words(m, short=True), assurance_words(m, short=True)]
        cells = [one_line(m["name"]), *([m["kind"]] if wide else []), shown]
        cells += [
            "cannot chart" if m.get("error") else rule_words(m["signals"]),
            "; ".join(i for i in icons if i) or "–",
        ]
        table.add_row(*(Text(c) for c in cells))  # a name's `[...]` is text, not markup
    console.print(table)
    out = [console.file.getvalue()]
    for m in report["measures"]:
        if m.get("error"):
            out.append(f"{one_line(m['name'])}: cannot chart: {one_line(m['error'])}\n")
            continue
        text = chart_text(m["id"]) if chart_text else None
        if text:
            out.append(text.rstrip("\n") + "\n")
    console = _console(width, colour)
    tree_table = Table(
        title="Change ideas and PDSA cycles",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        expand=True,
    )
    tree_table.add_column("Change idea", ratio=2)
    tree_table.add_column("Status", no_wrap=True)
    tree_table.add_column("Cycles: id, predictions first, date, scale → decision", ratio=4)
    for c in report["changes"]:
        ramp = Text(overflow="fold")  # a file name that cannot wrap is folded, never cut
        for k, cy in enumerate(c["cycles"]):
            if k:
                ramp.append("\n")
            mark = PREDICTION_MARKS[cy["predictions_first"]["verdict"]]
            ramp.append(
                f"#{cy['number']} {cy['short_id']} {mark} {cy['date'] or ''} ".replace("  ", " ")
            )
            ramp.append(f"{one_line(cy['scale'])} → {cy['decision'] or cy['status']}".lstrip())
            if cy["with"]:
                ramp.append(f" (with {' + '.join(one_line(w) for w in cy['with'])})")
            amended = amended_words(cy["predictions"])
            if amended:
                ramp.append(f" ({amended})", style="yellow")
        if c["unread_cycles"]:
            ramp.append("\n" if c["cycles"] else "")
            ramp.append(one_line(unread_words(c["unread_cycles"])), style="yellow")
        tree_table.add_row(
            Text(one_line(c["title"])),
            Text(c["status"]),
            ramp if c["cycles"] or c["unread_cycles"] else Text("no cycles yet"),
        )
    console.print(tree_table)
    unplaced = unplaced_unread(report)
    if unplaced:
        _hanging(console, "", one_line(unread_words(unplaced)), width)
    if report["cycles"]:
        _hanging(console, "", PREDICTION_LEGEND, width)
        console.print()
    if report["learning"]:
        console.print(Text("What we learned", style="bold"))
        for item in report["learning"]:
            decision = f" ({item['decision']})" if item["decision"] else ""
            head = f"#{item['cycle']} {item['short_id']}{decision}: "
            _hanging(console, head, one_line(item["learned"]), width)
    if report["next_steps"]:
        console.print(Text("\nNext steps", style="bold"))
        for s in report["next_steps"]:
            _hanging(
                console,
                "- ",
                f"{one_line(s['change'])} (after #{s['cycle']} {s['short_id']}): "
                + one_line(s["next_steps"]),
                width,
            )
    console.print()
    issues = report["data_quality"]
    console.print(Text("Data quality", style="bold"))
    if issues:
        for i in issues:
            where = one_line(i["path"]) + (f":{i['line']}" if i["line"] else "")
            _hanging(console, f"- {i['severity']}: ", f"{where} {one_line(i['message'])}", width)
    else:
        console.print(Text("  no problems found by qi validate"))
    out.append(console.file.getvalue())
    return _strip("\n".join(out))
