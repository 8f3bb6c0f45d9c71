"""The report's "Understanding the problem" section: the fishbone, the process map (now
and as redesigned), the Pareto charts and the stakeholder analysis, drawn by the
toolkit's own renderers from `reports.problem`'s data; as pictures for the HTML report
(report/content.html.j2 lays them out) and as Markdown."""

from __future__ import annotations

from typing import Any

from qi_cli.render import process as process_md
from qi_cli.render import stakeholders as stakeholders_render
from qi_cli.render.escape import markdown_text
from qi_cli.render.fishbone import render_fishbone_markdown
from qi_cli.render.fishbone_svg import alt_text as fishbone_alt
from qi_cli.render.fishbone_svg import render_fishbone_svg
from qi_cli.render.pareto import alt_text as pareto_alt
from qi_cli.render.pareto import render_pareto_markdown, render_pareto_svg
from qi_cli.render.pareto import summary as pareto_summary
from qi_cli.render.process_svg import process_svg

TITLE = "Understanding the problem"


def _uses_tools(section: dict[str, Any] | None) -> bool:
    if not section:
        return False
    return any(section[key] for key in ("fishbone", "process", "pareto", "stakeholders"))


def _process_alt(view: dict[str, Any]) -> str:
    steps = " → ".join(f"{step['number']}. {step['label']}" for step in view["steps"])
    return f"Process map ({view['state']} state): {steps}"


def _stakeholders_alt(view: dict[str, Any]) -> str:
    who = "; ".join(
        f"{row['name']} ({row['influence']} influence): "
        f"{row['support']} now, {row['needed']} needed"
        for row in view["stakeholders"]
    )
    return f"{stakeholders_render.TITLE}: {who}"


Picture = tuple[str, str, str, list[str]]
"""A tool's drawing: heading, SVG, text alternative, and sentences to print under it."""


def problem_pictures(report: dict[str, Any]) -> list[Picture]:
    """Each tool's drawing, in the report's order."""
    section = report.get("problem")
    if not _uses_tools(section):
        return []
    assert section is not None
    out: list[Picture] = []
    if section["fishbone"]:
        view = section["fishbone"]
        heading = f"Cause and effect: {view['effect']}"
        out.append((heading, render_fishbone_svg(view), fishbone_alt(view), []))
    if section["process"]:
        for key, words in (("current", "as it is now"), ("future", "as redesigned")):
            view = section["process"][key]
            if view:
                heading = f"Process map, {words}"
                out.append((heading, process_svg(view), _process_alt(view), []))
    for view in section["pareto"]:
        heading = f"Pareto chart: {view['title']}"
        out.append((heading, render_pareto_svg(view), pareto_alt(view), pareto_summary(view)))
    if section["stakeholders"]:
        view = section["stakeholders"]
        svg = stakeholders_render.stakeholder_svg(view)
        out.append((stakeholders_render.TITLE, svg, _stakeholders_alt(view), []))
    return out


def problem_markdown(report: dict[str, Any]) -> list[str]:
    """The section's Markdown lines (nothing when the project uses none of the tools)."""
    section = report.get("problem")
    if not _uses_tools(section):
        return []
    assert section is not None
    out = [f"## {TITLE}", ""]
    if section["fishbone"]:
        out += [render_fishbone_markdown(section["fishbone"], heading="###")]
    if section["process"]:
        for key in ("current", "future"):
            view = section["process"][key]
            if view:
                out += [process_md.markdown(view, heading="###")]
    for view in section["pareto"]:
        out += [render_pareto_markdown(view, heading="###")]
    if section["stakeholders"]:
        out += [stakeholders_render.markdown(section["stakeholders"], heading="###")]
    if section["skipped"]:
        out += ["Not drawn (run `qi validate`):", ""]
        out += [f"- {markdown_text(s)}" for s in section["skipped"]]
        out.append("")
    return out
