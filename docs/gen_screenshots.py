"""Render the example project's HTML report and a portfolio with headless Chromium.

Writes docs/images/report.png and docs/images/portfolio.png, the pictures the README
and reviewers look at. Needs Debian's chromium package.

Run: python docs/gen_screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
QI = [sys.executable, "-m", "qi_cli"]
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]  # fmt: skip


def shoot(browser: str, page: Path, out: Path, height: int, profile: Path) -> None:
    subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size=1000,{height}",
         f"--screenshot={out}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    print(f"wrote {out.relative_to(HERE.parent)}")


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium is not installed: apt-get install chromium")
    images = HERE / "images"
    images.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        subprocess.run([*QI, "demo", "--dir", str(base)], check=True, capture_output=True)
        subprocess.run(
            [*QI, "project", "new", "Sepsis six within one hour", "--dir", str(base), "--no-input"],
            check=True,
            capture_output=True,
        )
        report = base / "report.html"
        subprocess.run(
            [*QI, "report", str(base / "rib-fracture-pathway"), "-f", "html", "-o", str(report)],
            check=True,
            capture_output=True,
        )
        portfolio = base / "portfolio.html"
        subprocess.run(
            [*QI, "portfolio", str(base), "-f", "html", "-o", str(portfolio), "--no-cache"],
            check=True,
            capture_output=True,
        )
        shoot(browser, report, images / "report.png", 2400, base / "p1")
        shoot(browser, portfolio, images / "portfolio.png", 800, base / "p2")


if __name__ == "__main__":
    main()
