"""`qi portfolio`: titles wrapped between words, cut at a word with an ellipsis, the
score's "(+3)" explained, and ids cut at a word boundary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.render.table import shorten
from tests.conftest import run

SIGNAGE = "Dementia-friendly signage on Ward 10"
LONG = (
    "Reducing falls among older inpatients on the acute medical unit and the short stay "
    "ward at night and at weekends"
)


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("programme")
    runner = CliRunner()
    for title in (SIGNAGE, LONG):
        code, _, err = run(runner, "project", "new", title, "-d", str(root), "--no-input")
        assert code == 0, err
        project = next(p for p in root.iterdir() if p.name.startswith(title[:8].lower()))
        # a new project starts at 0.5 (intent to participate)
        code, _, err = run(runner, "project", "score", "3.5", "-p", str(project))
        assert code == 0, err
    return root


def _portfolio(programme: Path, width: int) -> str:
    code, out, err = run(
        CliRunner(), "portfolio", str(programme), "--width", str(width), "--no-cache"
    )
    assert code == 0, err
    return out


@pytest.mark.parametrize("width", [80, 120])
def test_titles_wrap_between_words_and_long_ones_end_in_an_ellipsis(
    programme: Path, width: int
) -> None:
    out = _portfolio(programme, width)
    table = out[: out.index("Score:")]
    assert "Dementia-friendly" in table and "Dementia-friend…" not in table
    assert "signage on Ward 10" in table  # no word of the title alone on a line
    cut = re.findall(r"(\S+)…", table)
    assert len(cut) == 1  # the long title, cut after a whole word of it
    assert cut[0] in LONG.split()
    assert LONG not in " ".join(table.split())


@pytest.mark.parametrize("width", [80, 120])
def test_the_score_change_is_explained(programme: Path, width: int) -> None:
    out = _portfolio(programme, width)
    assert "3.5 (+3)" in out
    assert (
        "Score: IHI progress score, 0.5 to 5; in brackets, its change since the score before."
        in " ".join(out.split())
    )


@pytest.mark.parametrize("format", ["markdown", "html"])
def test_the_score_change_is_explained_in_files(programme: Path, format: str) -> None:
    code, out, err = run(CliRunner(), "portfolio", str(programme), "--format", format)
    assert code == 0, err
    assert "in brackets, its change since the score before." in out


def test_shorten_keeps_whole_words() -> None:
    assert shorten(SIGNAGE, 20, 3) == ["Dementia-friendly", "signage on Ward 10"]
    # a word wider than the column breaks at its hyphen, not inside a word
    assert shorten(SIGNAGE, 12, 4) == ["Dementia-", "friendly", "signage on", "Ward 10"]
    assert shorten(LONG, 24, 2) == ["Reducing falls among", "older inpatients on the…"]
    assert shorten("short", 24, 2) == ["short"]


def test_an_id_made_from_a_long_name_is_cut_at_a_word(programme: Path) -> None:
    project = next(p for p in programme.iterdir() if p.name.startswith("dementia"))
    code, out, err = run(
        CliRunner(),
        "driver",
        "add",
        "Patients can see and understand the way to the toilet",
        "-p",
        str(project),
    )
    assert code == 0, err
    assert "patients-can-see-and-understand-the-way-to-the " in out + " "
    assert "the-t " not in out + " " and "to-the-t\n" not in out
