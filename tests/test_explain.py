"""`qi explain`: one code, the list of codes, close matches for a wrong code, json."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qi_cli.coaching import CODES
from tests.conftest import run


def test_explain_one_code(runner: CliRunner) -> None:
    code, out, err = run(runner, "explain", "Q401")
    assert code == 0, err
    assert out.startswith("Q401: the cycle has no predictions\n")
    for heading in ("Why it matters", "What to do", "Example"):
        assert f"\n{heading}\n" in out
    assert "    questions:\n" in out  # the example, indented as YAML
    assert "- code: Q401" in out and "qi validate --ignore Q401" in out
    assert err == ""


@pytest.mark.parametrize("spelling", ["q401", " Q401 ", "401"])
def test_code_spellings(spelling: str, runner: CliRunner) -> None:
    code, out, _ = run(runner, "explain", spelling)
    assert code == 0
    assert out.startswith("Q401:")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_explains(code: str, runner: CliRunner) -> None:
    exit_code, out, _ = run(runner, "explain", code)
    assert exit_code == 0
    assert CODES[code].title in out


def test_list_all_codes(runner: CliRunner) -> None:
    code, out, _ = run(runner, "explain")
    assert code == 0
    for c, info in CODES.items():
        assert f"  {c}  {info.title}\n" in out
    assert "PDSA cycles (cycles/*.yaml)" in out
    assert out.rstrip().endswith("Run `qi explain CODE` for what a code means and how to fix it.")


def test_unknown_code_lists_close_matches(runner: CliRunner) -> None:
    code, out, err = run(runner, "explain", "Q41")
    assert code == 1
    assert out == ""
    assert "error: unknown coaching code 'Q41'" in err
    assert "did you mean" in err and "Q401 the cycle has no predictions" in err
    code, _, err = run(runner, "explain", "Q999")
    assert code == 1
    assert f"codes run from Q101 to {max(CODES)}" in err
    code, _, err = run(runner, "explain", "balancing")
    assert code == 1
    assert "Q201 no balancing measure" in err
    assert "Traceback" not in err


def test_json(runner: CliRunner) -> None:
    code, out, _ = run(runner, "explain", "Q206", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["code"] == "Q206"
    assert set(data) == {"code", "title", "why", "fix", "example"}
    code, out, _ = run(runner, "explain", "-f", "json")
    assert [d["code"] for d in json.loads(out)] == sorted(CODES)


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    code, _, err = run(runner, "explain", "Q101", "--format", "xml")
    assert code == 2
    assert "unknown format 'xml'" in err
    code, _, err = run(runner, "explain", "Q101", "Q102")
    assert code == 2
    code, _, err = run(runner, "explain", "--bogus")
    assert code == 2
