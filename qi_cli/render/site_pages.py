"""The pages of `qi site`, from the templates in `render/templates/site/`.

Data in, HTML out: the site package (`qi_cli/site/`) gathers the projects and decides
what is published; these functions only draw. Every link is relative (`root` is the
way back to the site's top folder: "" or "../../"), so the site works from `file://`
and from any sub-path of a web server. The Making Data Count icons are drawn once per
page as SVG symbols and used by reference: a board table of thousands of measures
stays small.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from qi_cli.render.html import CSS as REPORT_CSS
from qi_cli.render.html import report_content
from qi_cli.render.icons import (
    ASSURANCE_ICONS,
    VARIATION_ICONS,
    assurance_drawing,
    variation_drawing,
)
from qi_cli.render.templating import Markup, render_page
from qi_cli.render.values import fmt_value
from qi_cli.reports.words import (
    PREDICTION_LEGEND,
    SCORE_LEGEND,
    assurance_words,
    prediction_mark,
    predictions_held,
    variation_words,
)

__all__ = [
    "REPORT_CSS",
    "cycle_anchor",
    "learning_item",
    "learning_page",
    "library_page",
    "library_row",
    "measure_rows",
    "measures_page",
    "project_body",
    "project_page",
    "search_index_script",
    "with_similar",
]

STATUS_WORDS = {
    "planning": "planning",
    "active": "active",
    "sustaining": "sustaining",
    "completed": "completed",
    "on_hold": "on hold",
    "abandoned": "abandoned",
}


def cycle_anchor(short_id: str) -> str:
    """The id of a cycle's section on its project's page: its permanent address."""
    return f"cycle-{short_id}"


def _icon_symbols() -> Markup:
    """Every Making Data Count icon as an SVG symbol, for `<use>` on the page."""
    symbols = [
        f'<symbol id="mdc-{name}" viewBox="0 0 28 28">{variation_drawing(name)}</symbol>'
        for name in VARIATION_ICONS
    ] + [
        f'<symbol id="mdc-{name}" viewBox="0 0 28 28">{assurance_drawing(name)}</symbol>'
        for name in ASSURANCE_ICONS
    ]
    return Markup(
        '<svg class="symbols" aria-hidden="true" focusable="false" width="0" height="0">'
        + "".join(symbols)
        + "</svg>"
    )


def _icon(name: str | None, words: str | None) -> Markup:
    """An icon by reference to its symbol, labelled with its words."""
    if not name or name not in VARIATION_ICONS + ASSURANCE_ICONS:
        return Markup("")
    label = Markup.escape(words or name)
    return Markup(
        f'<svg class="icon" width="28" height="28" viewBox="0 0 28 28" role="img" '
        f'aria-label="{label}"><title>{label}</title><use href="#mdc-{name}"/></svg>'
    )


def _value(value: float | None, unit: str | None = None) -> str:
    return fmt_value(value, unit)


def _common(root: str, here: str, site: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "root": root,
        "here": here,
        "site": site,
        "icon": _icon,
        "value": _value,
        "status_words": STATUS_WORDS,
        "variation_words": variation_words,
        "assurance_words": assurance_words,
        "anchor": cycle_anchor,
    }


def project_body(report: dict[str, Any], chart_svg: Callable[[str], str | None]) -> str:
    """A project page's own content: the report, then every cycle with its address."""
    return render_page(
        "site/project_body.html.j2",
        report=Markup(report_content(report, chart_svg)),
        cycles=report["cycles"],
        titles={c["id"]: c["title"] for c in report["driver_diagram"]["changes"]},
        mark=prediction_mark,
        held=predictions_held,
        legend=PREDICTION_LEGEND,
        anchor=cycle_anchor,
    )


SIMILAR_SLOT = "<!-- similar projects -->"
"""Where `with_similar` puts a project page's similar-projects box."""


def project_page(row: Mapping[str, Any], body: str, site: Mapping[str, Any]) -> str:
    """`projects/SLUG/index.html`: the site's frame around the project's report, with a
    slot for its similar-projects box (`with_similar`): the page is drawn where the
    project is read, on any core, and the box once every project has been read."""
    return render_page(
        "site/project.html.j2",
        title=f"{row['title']} · {site['title']}",
        project=row,
        body=Markup(body),
        similar_slot=Markup(SIMILAR_SLOT),
        **_common("../../", "project", site),
    )


def with_similar(page: str, similar: Sequence[Mapping[str, Any]]) -> str:
    """A page from `project_page` with its similar-projects box in its slot (the last
    one: the slot follows the report, whatever the report holds)."""
    head, slot, tail = page.rpartition(SIMILAR_SLOT)
    if not slot:
        raise ValueError("not a page from project_page: it has no similar-projects slot")
    box = render_page("site/similar.html.j2", similar=similar, root="../../")
    return head + box + tail


def library_row(row: Mapping[str, Any]) -> str:
    """A project's row of the library table (drawn once, when the project is read)."""
    return render_page("site/library_row.html.j2", r=row, **_common("", "library", {}))


def measure_rows(row: Mapping[str, Any]) -> str:
    """A project's rows of the measures table."""
    rows = [{**m, "project": row["title"], "slug": row["slug"]} for m in row["measures"]]
    return render_page("site/measure_rows.html.j2", rows=rows, **_common("", "measures", {}))


def learning_item(item: Mapping[str, Any]) -> str:
    """A change idea on the learning page, with what its cycles taught."""
    return render_page("site/learning_item.html.j2", i=item, **_common("", "learning", {}))


def library_page(rows: Sequence[str], filters: Mapping[str, Any], site: Mapping[str, Any]) -> str:
    """`index.html`: every project (rows from `library_row`), with filters and search."""
    return render_page(
        "site/index.html.j2",
        title=site["title"],
        rows_html=Markup("".join(rows)),
        count=len(rows),
        filters=filters,
        symbols=_icon_symbols(),
        score_legend=SCORE_LEGEND,
        **_common("", "library", site),
    )


def learning_page(
    themes: Sequence[Mapping[str, Any]], outcomes: Sequence[str], site: Mapping[str, Any]
) -> str:
    """`learning.html`: every change idea of every project (each from `learning_item`),
    grouped by theme."""
    return render_page(
        "site/learning.html.j2",
        title=f"What we learned · {site['title']}",
        themes=[{**t, "html": Markup("".join(i["html"] for i in t["ideas"]))} for t in themes],
        outcomes=outcomes,
        **_common("", "learning", site),
    )


def measures_page(
    rows: Sequence[str], count: int, filters: Mapping[str, Any], site: Mapping[str, Any]
) -> str:
    """`measures.html`: the Making Data Count summary of every measure of every project
    (each project's rows from `measure_rows`)."""
    return render_page(
        "site/measures.html.j2",
        title=f"Measures · {site['title']}",
        rows_html=Markup("".join(rows)),
        count=count,
        filters=filters,
        symbols=_icon_symbols(),
        **_common("", "measures", site),
    )


def search_index_script(entries: Sequence[Mapping[str, str]]) -> str:
    """`search-index.js`: the words of each project, as a script a page loads from disk.

    A script, not a JSON file: `fetch()` is refused on `file://`. The JSON cannot end
    the script or break it: `<`, `>` and `&` and the line separators U+2028 and U+2029
    are written as escapes (valid JSON, and valid JavaScript in every engine).
    """
    text = json.dumps(list(entries), ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return f"window.QI_INDEX={text};\n"
