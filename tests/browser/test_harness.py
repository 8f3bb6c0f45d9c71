"""The browser tests' instruments can fail: axe finds what is wrong, a tab notes the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.browsing import Tab, printed_pages, serious_violations

pytestmark = pytest.mark.browser

BAD_PAGE = """<!doctype html><html><head><title>bad</title></head><body>
<main><p style="color:#bbb;background:#fff">pale grey text on white</p>
<label>Name</label><input type="text">
<img src="https://example.invalid/logo.png"></main></body></html>"""


def test_axe_finds_serious_violations_and_the_tab_notes_a_request_off_the_disk(
    tab: Tab, tmp_path: Path
) -> None:
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    found = serious_violations(tab.open(page))
    # no lang (serious), contrast 1.9:1 (serious), an input with no label and an
    # image with no text alternative (both critical)
    assert {line.split(" ")[0] for line in found} == {
        "html-has-lang",
        "color-contrast",
        "label",
        "image-alt",
    }
    assert tab.outside == ["https://example.invalid/logo.png"]
    with pytest.raises(AssertionError):
        tab.check_healthy()


def test_a_pdf_counts_its_pages(tab: Tab) -> None:
    tab.page.set_content("<p>one</p><p style='break-before: page'>two</p>")
    assert printed_pages(tab.page.pdf()) == 2
