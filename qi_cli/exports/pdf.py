"""An HTML page printed to PDF by a headless Chromium-family browser, where one is installed.

qi adds no PDF library: the browser that people already have lays the page out exactly
as they see it, and its print engine honours the page's `@page` size.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from qi_cli.errors import QiError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge")
INSTALL_HINT = (
    "install Chromium (Debian and Ubuntu: apt install chromium) or Google Chrome, or "
    "write an .html file and print it from a browser"
)
TIMEOUT_SECONDS = 120


def find_browser() -> str | None:
    """The first Chromium-family browser on PATH (`QI_BROWSER` names another)."""
    chosen = os.environ.get("QI_BROWSER")
    if chosen:
        return shutil.which(chosen)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(html: str, display: str) -> bytes:
    """The PDF of `html` as bytes; `display` names the file for error messages."""
    browser = find_browser()
    if browser is None:
        raise QiError(f"{display}: no browser found to print the PDF", hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="qi-pdf-") as folder:
        page, pdf = Path(folder) / "page.html", Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise QiError(
                f"{display}: {browser} could not print: {exc}", hint=INSTALL_HINT
            ) from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise QiError(
                f"{display}: {browser} did not write a PDF",
                hint="write an .html file instead and print it from a browser",
            )
        return pdf.read_bytes()
