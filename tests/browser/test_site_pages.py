"""`qi site` walked through in chromium as a person would: search, filter, follow, print.

The library is the bundled example (`qi demo`) beside ten projects made by the
benchmark generator (bench/gen_portfolio.py), built with `qi site ROOT -o SITE`. What
each test expects is read from the project files themselves, not from the site.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
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
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "gen_portfolio.py"
EXAMPLE = "Rib fracture pathway"
SEARCH_LABEL = "Search titles, aims, change ideas and what was learned"
# the example's fourth cycle of its adopted change idea: its short id and its objective
CYCLE_ID = "d05b"
# ten small projects: quick to build, enough rows to search and filter
SMALL = ("--projects", "10", "--measures", "2", "--points", "40", "--cycles", "5")
CYCLE_OBJECTIVE = "Run the referral order, the trauma call checklist"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten generated projects and the bundled example, in one folder."""
    root = tmp_path_factory.mktemp("library") / "projects"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(root), *SMALL],
        check=True,
    )
    env = {"NO_COLOR": "1", "PAGER": "cat", "QI_CACHE_DIR": str(root.parent / "cache")}
    made = CliRunner().invoke(app, ["demo", "--dir", str(root)], env=env)
    assert made.exit_code == 0, made.output
    return root


@pytest.fixture(scope="module")
def site(library: Path) -> Path:
    out = library.parent / "site"
    env = {"NO_COLOR": "1", "QI_CACHE_DIR": str(library.parent / "cache")}
    built = CliRunner().invoke(app, ["site", str(library), "-o", str(out)], env=env)
    assert built.exit_code == 0, built.output
    return out


def titles_by_status(library: Path) -> dict[str, set[str]]:
    """Each status's project titles, read from the project.yaml files."""
    found: dict[str, set[str]] = {}
    for path in library.glob("*/project.yaml"):
        project = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.setdefault(project["status"], set()).add(project["title"])
    return found


def listed(page: Page) -> list[str]:
    """The titles of the projects the library shows now.

    Their text content, not their rendered text: rows are `content-visibility: auto`, so
    a row just shown by a filter may not be rendered yet, and its innerText reads "".
    """
    links = page.locator("#projects tbody tr:visible td:first-child > a")
    return [" ".join(text.split()) for text in links.all_text_contents()]


def test_library_lists_every_project_from_disk(site: Path, library: Path, tab: Tab) -> None:
    page = tab.open(site / "index.html")
    everyone = set().union(*titles_by_status(library).values())
    assert len(everyone) == 11
    assert sorted(listed(page)) == sorted(everyone)
    tab.check_healthy()


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty tiny generated projects: a library longer than a few screens."""
    top = tmp_path_factory.mktemp("long")
    tiny = ("--projects", "60", "--measures", "1", "--points", "20", "--cycles", "1")
    subprocess.run([sys.executable, str(GENERATOR), str(top / "projects"), *tiny], check=True)
    env = {"NO_COLOR": "1", "QI_CACHE_DIR": str(top / "cache")}
    built = CliRunner().invoke(
        app, ["site", str(top / "projects"), "-o", str(top / "site")], env=env
    )
    assert built.exit_code == 0, built.output
    return top / "site"


FRAME = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"


def test_library_draws_a_row_only_when_it_comes_near_the_screen(long_site: Path, tab: Tab) -> None:
    # laying out all 1,000 rows of a table before the first paint took most of a 1.1 s
    # load (bench/bench_site_browser.py): rows far off screen wait until scrolled to
    page = tab.open(long_site / "index.html")
    page.evaluate(FRAME)
    drawn: list[bool] = page.locator("#projects tbody tr td:first-child > a").evaluate_all(
        "links => links.map(a => a.checkVisibility({contentVisibilityAuto: true}))"
    )
    assert len(drawn) == 60 and drawn[0] and not drawn[-1]
    last = page.locator("#projects tbody tr").last
    last.scroll_into_view_if_needed()
    # drawn once the browser sees it near the screen, a frame or two later on a busy
    # machine: wait for that (a row that is never drawn fails here after 5 s)
    page.wait_for_function(
        "a => a.checkVisibility({contentVisibilityAuto: true})",
        arg=last.locator("a").element_handle(),
        timeout=5000,
    )
    # every row is still listed, and a search finds one far down the list
    assert len(listed(page)) == 60
    page.get_by_label(SEARCH_LABEL).fill("project 59")
    assert listed(page) == ["Synthetic project 59"]
    tab.check_healthy()


def test_search_for_a_change_idea_narrows_the_list_to_its_project(site: Path, tab: Tab) -> None:
    page = tab.open(site / "index.html")
    search = page.get_by_label(SEARCH_LABEL)
    # a change idea of the example only ("Automatic physio referral from ED")
    search.press_sequentially("physio referral")
    assert listed(page) == [EXAMPLE]
    assert page.locator("#count").inner_text() == "1 of 11 shown."
    # what was learned is searched too: the example's adopted idea's last cycle
    search.fill("weekend list")
    assert listed(page) == [EXAMPLE]
    search.fill("synthetic")
    assert len(listed(page)) == 10 and EXAMPLE not in listed(page)
    search.fill("zebracorn")
    assert listed(page) == []
    search.fill("")
    assert len(listed(page)) == 11
    tab.check_healthy()


def test_filter_by_status_shows_exactly_the_projects_with_that_status(
    site: Path, library: Path, tab: Tab
) -> None:
    by_status = titles_by_status(library)
    page = tab.open(site / "index.html")
    status = page.get_by_label("Status", exact=True)
    for wanted, titles in by_status.items():
        status.select_option(wanted)
        assert sorted(listed(page)) == sorted(titles), wanted
    # search and filter together: the generated projects that are completed
    page.get_by_label(SEARCH_LABEL).fill("synthetic")
    status.select_option("completed")
    assert sorted(listed(page)) == sorted(by_status["completed"] - {EXAMPLE})
    page.get_by_role("button", name="Clear filters").click()
    # a form's reset event fires before the fields are cleared: the page filters again
    # on the next turn of its event loop, so wait for that before reading the list
    page.wait_for_function("document.getElementById('count').textContent === '11 of 11 shown.'")
    assert len(listed(page)) == 11
    tab.check_healthy()


def test_a_filtered_address_opens_filtered(site: Path, library: Path, tab: Tab) -> None:
    tab.page.goto((site / "index.html").as_uri() + "?status=active")
    assert sorted(listed(tab.page)) == sorted(titles_by_status(library)["active"])
    assert tab.page.get_by_label("Status", exact=True).input_value() == "active"


def test_without_javascript_every_project_is_still_listed(
    site: Path, browser: Browser, library: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    assert len(listed(page)) == 11
    # the search box would do nothing without its script, so it is not shown
    assert not page.get_by_label(SEARCH_LABEL).is_visible()
    context.close()


def test_follow_a_link_to_a_project_and_to_a_cycle(site: Path, tab: Tab) -> None:
    page = tab.open(site / "index.html")
    page.get_by_label(SEARCH_LABEL).fill("physio referral")
    page.get_by_role("link", name=EXAMPLE, exact=True).click()
    assert page.url.endswith("/projects/rib-fracture-pathway/index.html")
    assert page.get_by_role("heading", level=1).inner_text() == EXAMPLE
    # from what we learned, to the cycle that taught it
    page.get_by_role("link", name="What we learned").click()
    assert page.url.endswith("/learning.html")
    # (the idea works on two drivers, so it is listed under two themes)
    page.get_by_role("link", name=f"#6 {CYCLE_ID}").first.click()
    assert page.url.endswith(f"/projects/rib-fracture-pathway/index.html#cycle-{CYCLE_ID}")
    cycle = page.locator(f"#cycle-{CYCLE_ID}")
    assert CYCLE_OBJECTIVE in cycle.inner_text()
    assert _on_screen(page, f"#cycle-{CYCLE_ID}")
    tab.check_healthy()


def test_a_cycles_permanent_address_opens_at_that_cycle(site: Path, tab: Tab) -> None:
    project = site / "projects" / "rib-fracture-pathway" / "index.html"
    tab.page.goto(f"{project.as_uri()}#cycle-{CYCLE_ID}")
    assert _on_screen(tab.page, f"#cycle-{CYCLE_ID}")


def _on_screen(page: Page, selector: str) -> bool:
    """Whether the top of the element is in the window (the browser scrolled to it)."""
    top: float = page.locator(selector).evaluate("e => e.getBoundingClientRect().top")
    height: float = page.evaluate("window.innerHeight")
    return 0 <= top < height


def test_a_project_page_prints_to_pdf_without_the_site_navigation(
    site: Path, tab: Tab, tmp_path: Path
) -> None:
    page = tab.open(site / "projects" / "rib-fracture-pathway" / "index.html")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation").first.is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert printed_pages(pdf) >= 2  # the example's report and its nine cycles
    text = pdf_text(pdf, tmp_path)
    if text is not None:  # poppler's pdftotext reads the words back where it is installed
        assert EXAMPLE in text
        # the site's name (in its header) and the way back to the library are not printed
        assert "QI project library" not in text and "All projects" not in text
        assert CYCLE_OBJECTIVE in " ".join(text.split())


@pytest.mark.parametrize(
    "page_path",
    ["index.html", "projects/rib-fracture-pathway/index.html", "learning.html", "measures.html"],
)
def test_no_serious_accessibility_violations(site: Path, tab: Tab, page_path: str) -> None:
    page = tab.open(site / page_path)
    tab.check_healthy()  # before axe, which asks for the style sheets itself
    assert serious_violations(page) == []


def test_keyboard_reaches_the_search_box_and_the_first_project_with_visible_focus(
    site: Path, tab: Tab
) -> None:
    page = tab.open(site / "index.html")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const e = document.activeElement, s = getComputedStyle(e);
              return {id: e.id, text: e.textContent.trim(), tag: e.tagName,
                      visible: e.matches(':focus-visible') && s.outlineStyle !== 'none'
                               && parseFloat(s.outlineWidth) >= 2};
            }"""
        )
        reached.append(focused)
        if focused["tag"] == "A" and focused["text"] == listed(page)[0]:
            break
    search = [f for f in reached if f["id"] == "q"]
    assert search and search[0]["visible"], reached
    assert reached[-1]["text"] == listed(page)[0], "Tab never reached the first project"
    assert reached[-1]["visible"]


@pytest.mark.parametrize("page_path", ["index.html", "projects/rib-fracture-pathway/index.html"])
def test_pages_fit_a_phone_without_sideways_scrolling(
    site: Path, new_tab: Callable[..., Tab], page_path: str
) -> None:
    assert page_overflow(new_tab(phone=True).open(site / page_path)) == 0


def test_a_project_pages_tables_keep_their_words_whole_on_a_phone(
    site: Path, new_tab: Callable[..., Tab]
) -> None:
    page = new_tab(phone=True).open(site / "projects" / "rib-fracture-pathway" / "index.html")
    assert words_broken_in_tables(page) == []


def test_screenshots_of_home_and_a_project_at_desktop_and_phone_widths(
    site: Path, browser: Browser, screenshots: Path
) -> None:
    pages = {"site-home": "index.html", "site-project": "projects/rib-fracture-pathway/index.html"}
    for name, path in pages.items():
        for shot in shoot(browser, (site / path).as_uri(), screenshots, name):
            assert shot.stat().st_size > 20_000, f"{shot.name} looks blank"
