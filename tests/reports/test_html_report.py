"""The HTML report: the driver diagram drawn as SVG, the cycles' predictions held, the
Making Data Count icons, and a first page that holds the summary when printed."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.project import create_project
from qi_cli.render.icons import assurance_icon, variation_icon
from tests.conftest import WriteProject, run
from tests.wcag import contrast


class _Svg(HTMLParser):
    """The elements and texts of every SVG with a given class, and each icon's labels."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.tags: list[str] = []
        self.texts: list[str] = []
        self.labels: list[str] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "svg" and found.get("class") == "icon":
            self.labels.append(found.get("aria-label") or "")
        if tag == "svg" and found.get("class") == self.css_class:
            self.depth = 1
            self.labels.append(found.get("aria-label") or "")
        elif self.depth:
            self.depth += tag != "path" and tag != "rect" and tag != "circle"
            self.tags.append(tag)
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in ("path", "rect", "circle"):
            self.depth -= 1
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles.append(data)
        if self.depth:
            self.texts.append(data)


def _html(runner: CliRunner, root: Path, tmp_path: Path) -> str:
    out = tmp_path / "report.html"
    code, _, err = run(runner, "report", str(root), "--format", "html", "-o", str(out))
    assert code == 0, err
    return out.read_text(encoding="utf-8")


TRICKY_DRIVERS = """\
drivers:
  safe-environment:
    name: Safe ward environment
  lighting:
    name: Lighting <b>at night</b> & after 22:00
    parents: [safe-environment]
  staff-rounds:
    name: Hourly rounding by the night staff, including the side rooms off the main corridor
    parents: [safe-environment]
changes:
  night-lights:
    title: Night lights in bays
    drivers: [lighting]
  sensor-mats:
    title: Sensor mats
    drivers: [staff-rounds, lighting]
"""


def test_the_driver_diagram_is_an_svg_of_boxes_and_connectors(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = write_project({"drivers.yaml": TRICKY_DRIVERS})
    html = _html(runner, root, tmp_path)
    svg = _Svg("drivers")
    svg.feed(html)
    # 1 aim, 3 drivers, 2 change ideas; links: aim→primary, 2 secondaries, 3 change links
    assert svg.tags.count("rect") == 6
    arrows = html[html.index('class="drivers"') :].split("</svg>")[0].count('fill="#777777"/>')
    assert arrows == 1 + 2 + 3
    text = " ".join(" ".join(svg.texts).split())
    for words in ("Safe ward environment", "Night lights in bays", "Sensor mats", "(testing)"):
        assert words in text
    # user text is escaped, never markup, and wrapped inside its box
    assert "Lighting <b>at night</b> & after 22:00" in text
    assert "<b>at night</b>" not in html.split('class="drivers"')[1].split("</svg>")[0]
    assert "Hourly rounding by the night staff" in text
    chunk = html.split('class="drivers"')[1].split("</svg>")[0]
    lines = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", chunk)]
    assert len(lines) > 12 and max(len(line) for line in lines) <= 31  # wrapped in its box
    assert "Primary drivers" in text and "Secondary drivers" in text and "Change ideas" in text
    # its words are its text alternative
    assert svg.labels[-1].startswith("Driver diagram. Aim: Reduce falls on ward 7")


def test_the_cycles_table_has_predictions_held(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    html = _html(runner, write_project(), tmp_path)
    table = html[html.index("Night lights in bays <span") :]
    assert '<th scope="col">Predictions held</th>' in table
    # the base cycle studied one prediction, which held
    assert "<td>1 of 1</td>" in table


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("example")
    return create_project(parent, "Rib fracture pathway", template="example", folder_name="rib")


def test_making_data_count_icons_are_svg_with_their_words(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    html = _html(runner, example, tmp_path)
    icons = _Svg("none")
    icons.feed(html[: html.index("Measures in detail")])
    # length of stay: improvement (lower) and hit and miss, from the engine's icons
    assert icons.labels == [
        "special cause improvement (lower)",
        "the process will sometimes meet and sometimes miss the target",
    ]
    assert "special cause improvement (lower)" in icons.titles
    code, out, err = run(runner, "portfolio", str(example.parent), "--format", "html")
    assert code == 0, err
    portfolio = _Svg("none")
    portfolio.feed(out)
    assert portfolio.labels.count("special cause improvement (lower)") == 1


def _dots(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), fill)
        for x, y, fill in re.findall(
            r'<circle cx="([\d.]+)" cy="([\d.]+)" r="1.7" fill="([^"]+)"', svg
        )
    ]


# NHS England's Making Data Count: grey common cause; blue improvement, orange concern,
# purple neither, with H (higher) above the points or L (lower) below them
@pytest.mark.parametrize(
    ("icon", "colour", "letter", "rising"),
    [
        ("common_cause", "#4d4d4d", None, None),
        ("improvement_high", "#1f6fb2", "H", True),
        ("improvement_low", "#1f6fb2", "L", False),
        ("concern_high", "#d46a00", "H", True),
        ("concern_low", "#d46a00", "L", False),
        ("neutral_high", "#7b3fa0", "H", True),
        ("neutral_low", "#7b3fa0", "L", False),
    ],
)
def test_variation_icons_follow_making_data_count(
    icon: str, colour: str, letter: str | None, rising: bool | None
) -> None:
    svg = variation_icon(icon, "words <&>")
    assert re.findall(r'<circle cx="14" cy="14" r="12.5" fill="#ffffff" stroke="([^"]+)"', svg) == [
        colour
    ]
    letters = re.findall(r'<text x="14" y="([\d.]+)"[^>]* fill="([^"]+)">([A-Z])</text>', svg)
    assert [t for _, _, t in letters] == ([letter] if letter else [])
    dots = _dots(svg)
    assert len(dots) == 5
    # the points are joined by a line, as in the NHS icons
    assert svg.count('<path d="M6 ') == 1
    coloured = [fill for _, _, fill in dots if fill != "#4d4d4d"]
    if letter is None:
        assert coloured == []
        return
    assert coloured == [colour, colour]  # the last two points are the special cause
    assert [fill for _, _, fill in dots[3:]] == [colour, colour]
    first, last = dots[0][1], dots[-1][1]
    assert (last < first) is rising  # SVG's y grows downwards
    y, ink, _ = letters[0]
    assert (float(y) < min(d[1] for d in dots)) is (letter == "H")  # H above, L below
    assert contrast(ink) >= 4.5, ink  # the letter is text: AA on the white fill
    assert 'aria-label="words &lt;&amp;&gt;"' in svg and "<title>words &lt;&amp;&gt;</title>" in svg


def _line_y(path: str) -> float:
    ys = [float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", path)]
    return sum(ys) / len(ys)


@pytest.mark.parametrize(
    ("icon", "colour", "letter", "process_above_target"),
    [("pass", "#1f6fb2", "P", True), ("fail", "#d46a00", "F", False)],
)
def test_assurance_pass_and_fail_icons(
    icon: str, colour: str, letter: str, process_above_target: bool
) -> None:
    svg = assurance_icon(icon, "a <b>")
    assert f'r="12.5" fill="#ffffff" stroke="{colour}"' in svg
    found = re.findall(r'fill="([^"]+)">([A-Z])</text>', svg)
    assert [t for _, t in found] == [letter] and contrast(found[0][0]) >= 4.5
    target = float(re.findall(r'<path d="M5.5 ([\d.]+)h17" stroke="([^"]+)"', svg)[0][0])
    process = re.findall(r'<path d="(M7 [^"]+)" fill="none" stroke="#4d4d4d"', svg)
    assert len(process) == 1
    assert (_line_y(process[0]) < target) is process_above_target
    assert 'aria-label="a &lt;b&gt;"' in svg and "<title>a &lt;b&gt;</title>" in svg


def test_assurance_hit_and_miss_icon_crosses_its_target() -> None:
    svg = assurance_icon("inconsistent", "h")
    assert 'r="12.5" fill="#ffffff" stroke="#4d4d4d"' in svg and "</text>" not in svg
    assert '<path d="M5 14h18" stroke="#d46a00"' in svg  # the target, dashed, orange
    process = re.findall(r'<path d="(M6 [^"]+)" fill="none" stroke="#4d4d4d"', svg)[0]
    ys = [float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", process)]
    assert min(ys) < 14 < max(ys)
    assert variation_icon(None, "x") == "" and assurance_icon(None, "x") == ""


def test_the_summary_comes_first_and_ends_the_first_printed_page(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    html = _html(runner, example, tmp_path)
    summary = html[html.index('<section class="summary">') : html.index("</section>")]
    order = [
        summary.index("<h2>Aim</h2>"),
        summary.index("<h3>Outcome: Mean length of stay, rib fracture admissions</h3>"),
        summary.index("<h2>Measures</h2>"),
        summary.index("<h2>Decisions</h2>"),
    ]
    assert order == sorted(order)
    assert summary.count("<svg") == 1 + 2  # the outcome chart and its two icons
    assert '#6 d05b <span class="nowrap">2026-04-20</span>: <b>adopt</b>' in summary
    assert ".summary { break-after: page; }" in html
    # the outcome chart is drawn once: its section below points up to it
    assert html.count("Mean length of stay, rib fracture admissions: XmR") <= 2


def _printed(example: Path, runner: CliRunner, tmp_path: Path) -> list[str]:
    """The report printed to PDF by Chromium: the text of each page."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdftotext") is None:
        pytest.skip("needs chromium and pdftotext (apt-get install chromium poppler-utils)")
    page = tmp_path / "report.html"
    page.write_text(_html(runner, example, tmp_path), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def test_the_printed_summary_fits_the_first_a4_page(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    first = _printed(example, runner, tmp_path)[0]
    for words in ("Aim", "Outcome: Mean length of stay", "Measures", "Readmissions", "Decisions"):
        assert words in first
    assert "Spirometer and leaflet given in ED" in first  # the last row of the decisions
    assert "Measures in detail" not in first


def test_a_printed_drawing_stays_on_one_page_under_its_heading(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    pages = _printed(example, runner, tmp_path)
    # the process maps are taller than an A4 page on screen: printed, each shrinks to one
    for heading in ("Process map, as it is now", "Process map, as redesigned"):
        held = [p for p in pages if heading in p]
        assert len(held) == 1, heading
        # its first step and its last
        assert "Patient arrives in ED" in held[0] and "Other care" in held[0], heading
    cause = next(p for p in pages if "Cause and effect: Patients with rib fractures" in p)
    assert "Equipment" in cause and "Materials" in cause  # its categories, under its heading


def test_a_driver_of_a_secondary_driver_gets_its_own_column(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    drivers = TRICKY_DRIVERS.replace(
        "changes:",
        "  night-staff:\n    name: Enough night staff\n"
        "    parents: [staff-rounds, safe-environment]\nchanges:",
    )
    html = _html(runner, write_project({"drivers.yaml": drivers}), tmp_path)
    chunk = html.split('class="drivers"')[1].split("</svg>")[0]
    x_of = {
        unescape(text): float(x)
        for x, text in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+" fill="[^"]+"[^>]*>([^<]*)<', chunk
        )
    }
    # aim, primary, secondary, the driver it feeds, change ideas: five columns, left to right
    rounds = next(x for text, x in x_of.items() if text.startswith("Hourly rounding"))
    assert x_of["Safe ward environment"] < rounds < x_of["Enough night staff"]
    assert x_of["Enough night staff"] < x_of["Sensor mats"]
    heads = re.findall(r'class="head">([^<]*)<', chunk)
    assert heads[0] == "Aim" and heads[-1] == "Change ideas" and len(heads) == 5
