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

from qi_cli.render.escape import terminal_text
from qi_cli.render.markdown import fmt_value
from qi_cli.render.table import Column, cell_len, draw_table, shorten
from qi_cli.reports.words import (
    PREDICTION_LEGEND,
    PREDICTION_MARKS,
    SCORE_LEGEND,
    amended_words,
    assurance_words,
    counted,
    rule_words,
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


def _dash(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return terminal_text(str(value))


def _t(value: object) -> str:
    """A user's text for a panel or table: one line, no control characters (`None`: "")."""
    return terminal_text(str(value)) if value is not None else ""


def _value(value: float | None, unit: str | None) -> str:
    return terminal_text(fmt_value(value, unit))


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
    out = [f"Outcome measure: {_t(name)}"]
    parts = []
    if aim.get("baseline") is not None:
        parts.append(f"baseline {_value(aim['baseline'], unit)}")
    if latest:
        parts.append(f"latest {_value(latest['value'], unit)} ({latest['date']})")
    if aim.get("target") is not None:
        by = f" by {aim['target_date']}" if aim.get("target_date") else ""
        met = {True: ": met", False: ": not met yet", None: ""}[aim.get("met")]
        parts.append(f"target {_value(aim['target'], unit)}{by}{met}")
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
    facts = [f"Status: {_dash(pr['status']).replace('_', ' ')}"]
    if pr["progress_score"] is not None:
        facts.append(f"progress score {pr['progress_score']:g} of 5 ({pr['progress_label']})")
    lines = ["   ".join(facts)]
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            lines.append(f"{label}: {_t(pr[key])}")
    aim = report.get("aim")
    if aim:
        lines.append("")
        lines.append(f"Aim: {_t(aim['statement'])}")
        lines += _aim_progress(report, aim)
    console.print(
        Panel(
            Text("\n".join(lines)),
            title=Text(_t(pr["title"]), style="bold"),
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
        shown = _value(latest["value"], m["unit"]) if latest else "–"
        if m["target"] is not None:
            shown += " / " + _value(m["target"], m["unit"])
        icons = [variation_words(m, short=True), assurance_words(m, short=True)]
        cells = [_t(m["name"]), *([m["kind"]] if wide else []), shown]
        cells += [
            "cannot chart" if m.get("error") else rule_words(m["signals"]),
            "; ".join(i for i in icons if i) or "–",
        ]
        table.add_row(*(Text(c) for c in cells))  # a name's `[...]` is text, not markup
    console.print(table)
    out = [console.file.getvalue()]
    for m in report["measures"]:
        if m.get("error"):
            out.append(f"{_t(m['name'])}: cannot chart: {_t(m['error'])}\n")
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
        ramp = Text()
        for k, cy in enumerate(c["cycles"]):
            if k:
                ramp.append("\n")
            mark = PREDICTION_MARKS[cy["predictions_first"]["verdict"]]
            ramp.append(
                f"#{cy['number']} {cy['short_id']} {mark} {cy['date'] or ''} ".replace("  ", " ")
            )
            ramp.append(f"{_t(cy['scale'])} → {cy['decision'] or cy['status']}".lstrip())
            if cy["with"]:
                ramp.append(f" (with {' + '.join(_t(w) for w in cy['with'])})")
            amended = amended_words(cy["predictions"])
            if amended:
                ramp.append(f" ({amended})", style="yellow")
        tree_table.add_row(
            Text(_t(c["title"])), Text(c["status"]), ramp if c["cycles"] else Text("no cycles yet")
        )
    console.print(tree_table)
    if report["cycles"]:
        _hanging(console, "", PREDICTION_LEGEND, width)
        console.print()
    if report["learning"]:
        console.print(Text("What we learned", style="bold"))
        for item in report["learning"]:
            decision = f" ({item['decision']})" if item["decision"] else ""
            head = f"#{item['cycle']} {item['short_id']}{decision}: "
            _hanging(console, head, _t(item["learned"]), width)
    if report["next_steps"]:
        console.print(Text("\nNext steps", style="bold"))
        for s in report["next_steps"]:
            _hanging(
                console,
                "- ",
                f"{_t(s['change'])} (after #{s['cycle']} {s['short_id']}): {_t(s['next_steps'])}",
                width,
            )
    console.print()
    issues = report["data_quality"]
    console.print(Text("Data quality", style="bold"))
    if issues:
        for i in issues:
            where = _t(i["path"]) + (f":{i['line']}" if i["line"] else "")
            _hanging(console, f"- {i['severity']}: ", f"{where} {_t(i['message'])}", width)
    else:
        console.print(Text("  no problems found by qi validate"))
    out.append(console.file.getvalue())
    return _strip("\n".join(out))


def _latest_target(entry: dict[str, Any]) -> str:
    unit = entry.get("unit")
    text = _value(entry.get("latest"), unit)
    if entry.get("target") is not None:
        text += " / " + _value(entry["target"], unit)
    return text


TITLE_LINES = 3
"""A project's title takes at most this many lines of the portfolio's table."""


def _title_width(titles: list[str], width: int) -> int:
    """The project column's width: 20 columns or a fifth of the table, wider for a long
    word (up to 30 columns, so that no word is cut), narrower when every title is short."""
    longest_word = max((cell_len(w) for t in titles for w in t.split()), default=7)
    longest = max((cell_len(t) for t in titles), default=7)
    return max(7, min(longest, max(20, width // 5, min(longest_word, 30))))


def render_portfolio(portfolio: dict[str, Any], *, width: int = 100, colour: bool = False) -> str:
    """The projects table, then every measure's Making Data Count summary.

    Drawn by `render.table`, not rich: a portfolio can have thousands of rows.
    """
    projects = [{**p, "title": _t(p["title"])} for p in portfolio["projects"]]
    wide = width >= 120
    narrow = width < 100
    caption = f"{SCORE_LEGEND}\nErr: validation errors (run qi validate in the project)" + (
        "; Ad/Ab: change ideas adopted / abandoned" if wide else ""
    )
    title_width = _title_width([p["title"] for p in projects], width)
    columns = [Column("Project")]
    if wide:
        columns.append(Column("Lead", ratio=2))
    columns += [Column("Status"), Column("Score"), Column("Last cycle")]
    if not narrow:
        columns.append(Column("Cycles", justify="right"))
    if wide:
        columns.append(Column("Ad/Ab"))
    if narrow:
        columns.append(Column("Outcome (latest / target)", ratio=3))
    else:
        columns += [Column("Outcome / target", ratio=2), Column("Variation", ratio=3)]
    columns.append(Column("Err", justify="right"))
    rows: list[list[str] | None] = []
    for p in projects:
        outcome = p.get("outcome") or {}
        score = p["progress_score"]
        shown = f"{score:g}" if score is not None else "–"
        if score is not None and p["progress_change"]:
            shown += f" ({p['progress_change']:+g})"
        cells = ["\n".join(shorten(p["title"], title_width, TITLE_LINES))]
        if wide:
            cells.append(_dash(p["lead"]))
        status = _dash(p["status"]).replace("_", " ")
        if p["status"] is None and p["errors"]:
            status = "unreadable"
        cells += [status, shown, _dash(p["last_cycle"])]
        if not narrow:
            cells.append(str(p["cycles"]))
        if wide:
            cells.append(f"{p['adopted']}/{p['abandoned']}")
        variation = (variation_words(outcome, short=True) or "no data yet") if outcome else "–"
        if narrow:
            cells.append(f"{_latest_target(outcome)}\n{variation}" if outcome else "–")
        else:
            cells += [_latest_target(outcome) if outcome else "–", variation]
        cells.append(str(p["errors"]) if p["errors"] else "")
        rows.append(cells)
    title = f"QI portfolio: {_t(portfolio['root'])} ({counted(len(projects), 'project')})"
    lines = draw_table(columns, rows, width=width, title=title, caption=caption, colour=colour)
    measures = [(p, m) for p in projects for m in p.get("measures", [])]
    if measures:
        columns = [Column("Project / measure" if narrow else "Measure", ratio=4)]
        if not narrow:
            columns.append(Column("Kind"))
        columns += [
            Column("Latest / target", ratio=2),
            Column("Variation", ratio=2),
            Column("Assurance", ratio=2),
        ]
        rows = []
        heads: set[int] = set()
        last = None
        for p, m in measures:
            if p["title"] != last:
                if last is not None:
                    rows.append(None)
                heads.add(len(rows))
                rows.append([p["title"] + ":", *[""] * (3 if narrow else 4)])
                last = p["title"]
            name = _t(m["name"]) + (f" ({m['kind']})" if narrow else "")
            rows.append(
                [
                    name,
                    *([] if narrow else [m["kind"]]),
                    _latest_target(m),
                    variation_words(m, short=True) or "no data yet",
                    assurance_words(m, short=True) or "–",
                ]
            )
        lines.append("")
        lines += draw_table(
            columns,
            rows,
            width=width,
            title="Making Data Count summary (every measure)",
            colour=colour,
            bold_rows=frozenset(heads),
        )
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"
