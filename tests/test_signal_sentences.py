"""A chart with thousands of signals: its reading keeps the latest sentences, and says
how many it left out and where they are listed (issue "Hostile, huge and half-merged
input", point 12: say what was summarised)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from qi_cli.measure_analysis import MAX_SENTENCES
from tests.conftest import WriteProject, run, weekly_csv


def _many_signals(runner: CliRunner, tmp_path: Path) -> Path:
    """The example project, its length of stay (a Making Data Count chart) given 40
    blocks of 8 weeks, alternately 4 and 9 days: every block fires its own signals."""
    code, _, err = run(runner, "demo", "--dir", str(tmp_path))
    assert code == 0, err
    root = tmp_path / "rib-fracture-pathway"
    measure = root / "measures" / "length-of-stay.yaml"
    text = measure.read_text(encoding="utf-8")
    measure.write_text(re.sub(r"baseline:\n  until: .*\n", "", text), encoding="utf-8")
    values = [4.0 if (k // 8) % 2 == 0 else 9.0 for k in range(320)]
    (root / "measures" / "length-of-stay.csv").write_text(
        weekly_csv(values, start="2020-01-06"), encoding="utf-8"
    )
    return root


def test_report_keeps_the_latest_sentences_and_counts_the_rest(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = _many_signals(runner, tmp_path)
    code, out, err = run(runner, "chart", "length-of-stay", "-p", str(root), "--json")
    assert code == 0, err
    chart = json.loads(out)
    signals = chart["signals"]
    assert len(signals) > MAX_SENTENCES + 5

    code, out, err = run(runner, "report", str(root), "--format", "json")
    assert code == 0, err
    [measure] = [m for m in json.loads(out)["measures"] if m["id"] == "length-of-stay"]
    sentences = measure["explanations"]
    assert len(sentences) == MAX_SENTENCES + 1
    left_out = len(signals) - MAX_SENTENCES
    assert sentences[-1] == (
        f"{left_out:,} earlier signals of this chart are not described here: "
        "qi chart length-of-stay --json lists every signal."
    )
    # the kept ones are those that end latest: the latest end is named, the earliest not
    kept = " ".join(sentences[:-1])
    ends = sorted(s["dates"][-1] for s in signals)
    assert ends[-1] in kept
    assert ends[0] not in kept


def test_few_signals_are_all_described(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, out, err = run(runner, "report", str(root), "--format", "json")
    assert code == 0, err
    for measure in json.loads(out)["measures"]:
        assert not any("earlier signal" in s for s in measure["explanations"])
