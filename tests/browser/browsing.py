"""What the browser tests do with a page: open it, shoot it, print it, check it with axe."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # the test extra is not installed: the browser fixture skips first
    Axe = None

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

# Chromium as a test instrument: headless, no sandbox (CI runs as root), and nothing that
# reaches the network or a profile on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}  # a common phone's CSS width

# A page was printed: each page of a PDF is an object of /Type /Page (the tree is /Pages).
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def chromium_path() -> str | None:
    """Debian's chromium (or Ubuntu's chromium-browser), if installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@dataclass
class Tab:
    """A page in a fresh browser context that notes what a person would notice went wrong."""

    page: Page
    errors: list[str] = field(default_factory=list)  # script errors and console errors
    outside: list[str] = field(default_factory=list)  # requests that left the disk

    @classmethod
    def watching(cls, page: Page) -> Tab:
        """Note the page's script errors, console errors and requests off the disk."""
        tab = cls(page)
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        page.on("console", lambda message: tab._console(message))
        page.on("request", lambda request: tab._request(request.url))
        return tab

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, url: str) -> None:
        if not url.startswith(("file:", "data:", "about:")):
            self.outside.append(url)

    def open(self, path: Path) -> Page:
        self.page.goto(path.as_uri())
        return self.page

    def check_healthy(self) -> None:
        assert self.errors == [], f"the page reported errors: {self.errors}"
        assert self.outside == [], f"the page reached beyond the disk: {self.outside}"


def shoot(browser: Browser, url: str, folder: Path, name: str) -> list[Path]:
    """Screenshots for a person to look at, at desktop and phone widths.

    NAME-desktop.png and NAME-phone.png are the first screen, as a person sees it on
    opening the page; NAME-desktop-full.png and NAME-phone-full.png the whole page.
    The phone is emulated as one (its viewport meta tag is honoured, touch, no mouse).
    """
    taken = []
    for label, size, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
        context = browser.new_context(viewport=size, is_mobile=mobile, has_touch=mobile)
        page = context.new_page()
        page.goto(url)
        for suffix, full in (("", False), ("-full", True)):
            path = folder / f"{name}-{label}{suffix}.png"
            page.screenshot(path=str(path), full_page=full)
            taken.append(path)
        context.close()
    return taken


def page_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its window (0: no sideways scrolling)."""
    width: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    found: dict[str, Any] = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def printed_pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    return len(_PDF_PAGE.findall(pdf))


def pdf_text(pdf: bytes, tmp_path: Path) -> str | None:
    """The PDF's text by poppler's pdftotext, or None where it is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# Each word of each table cell (split at spaces, hyphens and slashes, where a line may
# break), and how many lines it is drawn on: more than one, the browser broke it in the
# middle to fit the cell.
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("td, th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\/-]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
        if (lines.size > 1) { broken.push(m[0]); }
      }
    }
  }
  return broken;
}"""


def words_broken_in_tables(page: Page) -> list[str]:
    """The words of the page's tables that are drawn split over two lines."""
    broken: list[str] = page.evaluate(_BROKEN_WORDS)
    return broken
