"""Golden files: text output compared with a reviewed copy in tests/goldens/.

`check_golden(name, text, request)` fails with a diff when the output changed. Run
`pytest --update-goldens` (or QI_UPDATE_GOLDENS=1) to write the new output, then
review the diff of tests/goldens/ by eye before committing it.

The option is registered by `pytest_addoption` below, which the root conftest imports:
    from tests.goldens import pytest_addoption  # noqa: F401
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "goldens"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/goldens/ with the current output",
    )


def _updating(request: pytest.FixtureRequest) -> bool:
    try:
        option = bool(request.config.getoption("--update-goldens"))
    except ValueError:  # the root conftest does not register the option yet
        option = False
    return option or bool(os.environ.get("QI_UPDATE_GOLDENS"))


def check_golden(name: str, text: str, request: pytest.FixtureRequest) -> None:
    """Compare `text` with tests/goldens/NAME, or rewrite it with --update-goldens."""
    path = GOLDEN_DIR / name
    if not text.endswith("\n"):
        text += "\n"
    if _updating(request):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"no golden file {name}: run pytest --update-goldens and review it")
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"goldens/{name}",
                "output",
            )
        )
        pytest.fail(f"output differs from goldens/{name} (--update-goldens):\n{diff}")
