"""The HTML report of the bundled example (`qi demo`, `qi report --format html -o`) in chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from qi_cli.cli import app
from tests.browser.browsing import (
    Tab,
    page_overflow,
    pdf_text,
    printed_pages,
    serious_violations,
    shoot,
    words_broken_in_tables,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

AIM = "Reduce the mean length of stay for adults admitted with rib fractures"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example copied by `qi demo --dir` and reported by `qi report --format html -o`."""
    work = tmp_path_factory.mktemp("report")
    env = {"NO_COLOR": "1", "QI_CACHE_DIR": str(work / "cache"), "PAGER": "cat"}
    runner = CliRunner()
    made = runner.invoke(app, ["demo", "--dir", str(work / "demo")], env=env)
    assert made.exit_code == 0, made.output
    page = work / "report.html"
    project = work / "demo" / "rib-fracture-pathway"
    written = runner.invoke(
        app, ["report", str(project), "--format", "html", "-o", str(page)], env=env
    )
    assert written.exit_code == 0, written.output
    return page


def test_report_opens_from_disk_with_its_charts_and_nothing_from_the_network(
    report: Path, tab: Tab
) -> None:
    page = tab.open(report)
    assert page.title() == "Rib fracture pathway"
    assert page.get_by_role("heading", level=1).inner_text() == "Rib fracture pathway"
    assert page.get_by_text(AIM).first.is_visible()
    # the outcome measure's chart is drawn on screen, not just present in the markup
    chart = page.get_by_role("img", name="Mean length of stay", exact=False).first
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    tab.check_healthy()


def test_report_has_no_serious_accessibility_violations(report: Path, tab: Tab) -> None:
    assert serious_violations(tab.open(report)) == []


def test_report_prints_to_pdf(report: Path, tab: Tab, tmp_path: Path) -> None:
    pdf = tab.open(report).pdf(format="A4", print_background=True)
    assert printed_pages(pdf) >= 1
    text = pdf_text(pdf, tmp_path)
    if text is not None:  # poppler's pdftotext reads the words back where it is installed
        assert "Rib fracture pathway" in text
        assert "Physiotherapy review within 24 hours" in text


def test_report_screenshots_at_desktop_and_phone_widths(
    report: Path, browser: Browser, screenshots: Path
) -> None:
    for shot in shoot(browser, report.as_uri(), screenshots, "report"):
        # a blank page compresses to a few kilobytes
        assert shot.stat().st_size > 20_000, f"{shot.name} looks blank"


def test_report_fits_a_phone_without_sideways_scrolling(
    report: Path, new_tab: Callable[..., Tab]
) -> None:
    assert page_overflow(new_tab(phone=True).open(report)) == 0


def test_report_tables_keep_their_words_whole_on_a_phone(
    report: Path, new_tab: Callable[..., Tab]
) -> None:
    # a table wider than the phone scrolls in its own box rather than split words
    assert words_broken_in_tables(new_tab(phone=True).open(report)) == []
