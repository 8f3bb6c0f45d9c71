"""The HTML pages come from the Jinja2 templates (issue 16): user text is printed as
written and never obeyed, the page has the structure assistive technology relies on
(WCAG 2.1 AA), each measure and cycle has an anchor other pages can link to, and no
module builds a page by string concatenation any more.

Projects are real folders on disk and the pages come from the real CLI.
"""

from __future__ import annotations

import itertools
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.render import html as html_render
from qi_cli.render import svg_parts as chart_svg
from tests.conftest import (
    CYCLE_YAML,
    DRIVERS_YAML,
    LOGGED_YAML,
    MEASURE_YAML,
    PROJECT_YAML,
    WriteProject,
    run,
)
from tests.wcag import contrast

PACKAGE = Path(html_render.__file__).resolve().parents[1]

# user text that is markup, an attribute breaker, and template syntax
HOSTILE = "<script>alert(1)</script> \"q\" 'a' {{ 7*7 }} {% raw %} & </style>"
HOSTILE_YAML = "'" + HOSTILE.replace("'", "''") + "'"


class _Page(HTMLParser):
    """Tags in order with their attributes, headings with their text, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self._svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._svg += tag == "svg"
        if re.fullmatch(r"h[1-6]", tag) and not self._svg:
            self._heading = []
            self.headings.append((int(tag[1]), ""))

    def handle_endtag(self, tag: str) -> None:
        self._svg -= tag == "svg"
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            level, _ = self.headings[-1]
            self.headings[-1] = (level, "".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def ids(self) -> list[str]:
        return [str(a["id"]) for _, a in self.tags if a.get("id")]


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def _report(runner: CliRunner, root: Path, tmp_path: Path, fmt: str = "html") -> str:
    out = tmp_path / f"report-{fmt}.html"
    code, _, err = run(runner, "report", str(root), "--format", fmt, "-o", str(out))
    assert code == 0, err
    return out.read_text(encoding="utf-8")


@pytest.fixture
def hostile(write_project: WriteProject) -> Path:
    """A project whose title, measure, driver, change idea and learning are hostile."""
    drivers = (
        DRIVERS_YAML.replace("name: Lighting at night", f"name: {HOSTILE_YAML}")
        .replace("title: Night lights in bays", f"title: {HOSTILE_YAML}")
        .replace(
            "changes:",
            "  quiet-hours:\n    name: Quiet hours\n    parents: [safe-environment]\nchanges:",
        )
        + "  quiet:\n    title: Quiet hours\n    drivers: [quiet-hours]\n"
    )
    logged = LOGGED_YAML.replace(
        "learned: Patients like the lights; one found it too bright", f"learned: {HOSTILE_YAML}"
    )
    return write_project(
        {
            "project.yaml": PROJECT_YAML.replace(
                "title: Falls on ward 7", f"title: {HOSTILE_YAML}"
            ),
            "measures/falls.yaml": MEASURE_YAML.replace(
                "name: Falls per 1,000 bed days", f"name: {HOSTILE_YAML}"
            ),
            "drivers.yaml": drivers,
            # one cycle tests both change ideas: it is in both tables, anchored once
            "cycles/2026-02-02-night-lights-a1b2.yaml": CYCLE_YAML.replace(
                "change: night-lights", "change: [night-lights, quiet]"
            )
            + logged,
        }
    )


@pytest.mark.parametrize("fmt", ["html", "a3"])
def test_hostile_user_text_prints_literally(
    hostile: Path, runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    page = _report(runner, hostile, tmp_path, fmt)
    parsed = _parse(page)
    # nothing the user wrote became a tag or closed qi's styles early
    assert [t for t, _ in parsed.tags if t == "script"] == []
    assert page.count("</style>") == page.count("<style>")
    # template syntax in user text is printed, not evaluated
    assert HOSTILE in "".join(parsed.text)
    assert next(text for _, text in parsed.headings if text.startswith("<script>")) == HOSTILE
    # and so is the page's title, for the browser's tab
    title = unescape(re.findall(r"<title>([^<]*)</title>", page)[0])
    assert title == HOSTILE + (": A3 summary" if fmt == "a3" else "")


def _escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def test_hostile_text_in_the_portfolio_prints_literally(hostile: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "portfolio", str(hostile.parent), "--format", "html")
    assert code == 0, err
    parsed = _parse(out)
    assert not [t for t, _ in parsed.tags if t == "script"]
    cells = "".join(parsed.text)
    # the project's row, the project of each of its two measures, and the measure's name
    assert cells.count(HOSTILE) == 4


def test_control_characters_in_user_text_never_reach_the_page(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = write_project(
        {
            "project.yaml": PROJECT_YAML.replace(
                "title: Falls on ward 7", 'title: "Falls\\e[2J\\a 7"'
            )
        }
    )
    page = _report(runner, root, tmp_path)
    assert "\x1b" not in page and "\x07" not in page
    assert "<h1>Falls?[2J? 7</h1>" in page


def test_the_report_page_has_landmarks_language_and_ordered_headings(
    hostile: Path, runner: CliRunner, tmp_path: Path
) -> None:
    page = _report(runner, hostile, tmp_path)
    parsed = _parse(page)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("main") == 1 and tags.index("main") < tags.index("h1")
    assert parsed.tags[0] == ("html", {"lang": "en-GB"})
    levels = [level for level, _ in parsed.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    # no heading skips a level on the way down
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    # every header cell says what it heads
    assert all(a.get("scope") in ("col", "row") for t, a in parsed.tags if t == "th")
    # every picture has a text alternative
    assert all(a.get("role") == "img" and a.get("aria-label") for t, a in parsed.tags if t == "svg")
    assert ":focus-visible" in page


def test_every_measure_and_cycle_has_one_anchor(
    hostile: Path, runner: CliRunner, tmp_path: Path
) -> None:
    page = _report(runner, hostile, tmp_path)
    ids = _parse(page).ids()
    assert len(ids) == len(set(ids)), "an element id is used twice on the page"
    assert "measure-falls" in ids
    # the cycle tests two change ideas: a row in each table, the anchor on the first
    assert ids.count("cycle-2026-02-02-night-lights-a1b2") == 1
    first = page.index('<tr id="cycle-2026-02-02-night-lights-a1b2"><td>#1 a1b2 (with Quiet')
    assert first < page.index("<tr><td>#1 a1b2 (with ")
    # the section is the measure's: its heading is the measure's name
    section = page[page.index('id="measure-falls"') :]
    assert section.startswith(f'id="measure-falls"><h3>{_escaped(HOSTILE)}</h3>')
    assert html_render.measure_anchor("falls") == "measure-falls"
    assert html_render.cycle_anchor("2026-02-02-night-lights-a1b2") in ids


def test_report_content_is_the_report_without_its_page(
    write_project: WriteProject,
) -> None:
    from qi_cli.files.loader import load_project
    from qi_cli.reports.report import build_report
    from qi_cli.validate import validate_project

    loaded = load_project(write_project())
    report = build_report(loaded, validate_project(loaded))
    content = html_render.report_content(report)
    assert content.startswith("<header><h1>Falls on ward 7</h1>")
    assert content.rstrip().endswith("</footer>")
    assert not re.search(r"<html|<head>|<body|<main", content)
    page = html_render.render_report(report)
    assert f"<main>\n{content}</main>" in page  # the page is this content in the shell
    assert "@page { size: A4" in html_render.CSS and html_render.CSS in page


def test_no_module_builds_a_page_by_hand() -> None:
    """One way to make a page: only the templates hold a document's shell."""
    shells = re.compile(r"<!DOCTYPE|<html[\s>]|<head>|<body[\s>]", re.IGNORECASE)
    found = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if shells.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    templates = PACKAGE / "render" / "templates"
    shelled = sorted(
        str(p.relative_to(templates))
        for p in templates.rglob("*.j2")
        if shells.search(p.read_text(encoding="utf-8"))
    )
    assert shelled == ["base.html.j2"]


def test_the_contrast_formula_matches_published_values() -> None:
    # WebAIM's checker: #767676 on white 4.54:1, #777777 4.48:1; black on white 21:1
    assert round(contrast("#767676"), 2) == 4.54
    assert round(contrast("#777777"), 2) == 4.48
    assert round(contrast("#000"), 1) == 21.0


def test_text_colours_of_the_page_and_its_charts_reach_aa() -> None:
    css_text = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", html_render.CSS)
    assert css_text, "the style sheet sets text colours"
    backgrounds = ["#ffffff", "#eeeeee", "#f3f7fb"]  # the page, header cells, the aim
    for colour in css_text:
        assert min(contrast(colour, b) for b in backgrounds) >= 4.5, colour
    # the charts' words: ticks, annotations, labels, and the labels drawn in colour
    for colour in (chart_svg.LINE, chart_svg.LIMIT, chart_svg.TARGET, "#444444", "#333333"):
        assert contrast(colour) >= 4.5, colour
