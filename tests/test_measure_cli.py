"""`qi measure add` and `qi measure list`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from qi_cli.cli import app, prompts
from qi_cli.files.loader import load_project
from qi_cli.project import create_project
from qi_cli.validate import validate_project
from tests.conftest import WriteProject, run


def test_add_writes_a_valid_measure(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, out, err = run(
        runner, "measure", "add", "Physio review within 24 hours", "--kind", "process",
        "--data-type", "proportion", "--direction", "increase", "--target", "90",
        "--numerator", "seen within 24 h", "--denominator", "admissions",
        "--data-source", "EPR: physio assessment time", "--baseline-until", "2026-03-30",
        "-p", str(root),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "added measure physio-review-within-24-hours" in out
    path = root / "measures" / "physio-review-within-24-hours.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data == {
        "name": "Physio review within 24 hours",
        "kind": "process",
        "data_type": "proportion",
        "definition": {
            "numerator": "seen within 24 h",
            "denominator": "admissions",
            "data_source": "EPR: physio assessment time",
        },
        "direction": "increase",
        "target": 90,
        "multiply": 100,
        "baseline": {"until": __import__("datetime").date(2026, 3, 30)},
    }
    assert (root / "measures" / "physio-review-within-24-hours.csv").read_text() == (
        "date,value,denominator\n"
    )
    project = load_project(root)
    assert project.measures["physio-review-within-24-hours"].chart_type == "p"
    assert [i for i in validate_project(project) if i.severity == "error"] == []


@pytest.mark.parametrize(
    ("data_type", "chart"),
    [("rate", "u"), ("count", "c"), ("continuous", "run"), ("cases_between", "g")],
)
def test_chart_follows_the_data_type(
    runner: CliRunner, write_project: WriteProject, data_type: str, chart: str
) -> None:
    root = write_project()
    code, out, _ = run(
        runner, "measure", "add", "M", "--id", "m", "--kind", "process", "--data-type",
        data_type, "-p", str(root), "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["chart"] == chart


@pytest.mark.parametrize(
    ("args", "message", "exit_code"),
    [
        (["--kind", "outcom", "--data-type", "count"], "is not allowed", 2),
        (["--kind", "outcome"], "missing --data-type", 2),
        (["--kind", "outcome", "--data-type", "count", "--chart", "p"], "leave out --chart", 2),
        (["--kind", "outcome", "--data-type", "count", "--method", "ihi"], "run chart rules", 2),
        (["--kind", "outcome", "--data-type", "count", "--method", "ihi"], "(--method ihi)", 2),
        (["--kind", "outcome", "--data-type", "count", "--id", "falls"], "already exists", 1),
        (["--kind", "outcome", "--data-type", "count", "--id", "falls"], "another --id", 1),
    ],
)
def test_add_refusals_write_nothing(
    runner: CliRunner, write_project: WriteProject, args: list[str], message: str, exit_code: int
) -> None:
    root = write_project()
    before = sorted(p.name for p in (root / "measures").iterdir())
    code, _, err = run(runner, "measure", "add", "Falls again", *args, "-p", str(root))
    assert code == exit_code
    assert message in err
    assert sorted(p.name for p in (root / "measures").iterdir()) == before


def test_prompts_when_interactive(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    root = write_project()
    code, out, _ = run(
        runner, "measure", "add", "-p", str(root),
        input="Bed rails raised\nbalancing\ncount\ndecrease\n\nrails raised at night\n",
    )  # fmt: skip
    assert code == 0, out
    text = (root / "measures" / "bed-rails-raised.yaml").read_text()
    # editors validate and complete the file from the schema qi project new wrote
    assert text.startswith("# yaml-language-server: $schema=../.qi/schemas/measure.schema.json\n")
    data = yaml.safe_load(text)
    assert data["kind"] == "balancing"
    assert data["direction"] == "decrease"
    assert "target" not in data
    assert data["definition"] == {"description": "rails raised at night"}


def test_list_shows_latest_target_and_signal(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    code, out, err = run(runner, "measure", "list", "-p", str(root))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "measure",
        "kind",
        "latest",
        "target",
        "better",
        "chart",
        "signal",
    ]
    # falls: latest 2 falls / 350 bed days x 1000 = 5.71 (hand calculation)
    assert lines[1].split() == ["falls", "outcome", "5.71", "(2026-03-23)", "4", "lower",
                                "u", "anhoej", "none"]  # fmt: skip
    assert lines[2].split()[:4] == ["restraint", "balancing", "4", "(2026-03-23)"]
    code, out, _ = run(runner, "measure", "list", "-p", str(root), "--json")
    data = json.loads(out)["measures"]
    assert data[0]["latest"] == pytest.approx(2 / 350 * 1000)
    assert data[0]["points"] == 12
    assert data[1]["signal"] == "none"


def test_list_with_too_few_points(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project({"measures/restraint.csv": "date,value\n2026-01-05,4\n2026-01-12,5\n"})
    code, out, _ = run(runner, "measure", "list", "-p", str(root))
    assert code == 0
    assert "too few points" in out


def test_prompts_check_each_answer_and_ask_again_at_once(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the field test: "percentage" for the data type, an arrow key for the direction
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    root = write_project()
    answers = [
        "Signs understood",  # name
        "proces",  # a typo: asked again at once, with the kinds
        "process",
        "percentage",  # read as proportion
        "\x1b[A",  # the up-arrow key at a plain prompt: refused, asked again
        "sideways",  # not a direction: asked again
        "up",  # read as increase
        "ninety",  # not a number: asked again
        "90%",
        "patients who find the toilet unaided",
        "patients asked",
        "patients on the ward",
    ]
    code, out, err = run(runner, "measure", "add", "-p", str(root), input="\n".join(answers) + "\n")
    assert code == 0, err
    assert "kind: 'proces' is not allowed (choose outcome, process, balancing)" in err
    assert "that answer holds a control key (an arrow key?)" in err
    assert "direction: 'sideways' is not allowed (choose increase, decrease, neutral)" in err
    assert "target 'ninety' is not a number" in err
    assert "added measure signs-understood" in out
    data = yaml.safe_load((root / "measures" / "signs-understood.yaml").read_text())
    assert (data["kind"], data["data_type"], data["direction"], data["target"]) == (
        "process",
        "proportion",
        "increase",
        90,
    )
    assert data["definition"]["numerator"] == "patients asked"


def test_a_name_whose_measure_exists_is_asked_again_before_the_rest(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    root = write_project()
    answers = ["Falls", "Falls at night", "outcome", "count", "", "", ""]
    code, out, err = run(runner, "measure", "add", "-p", str(root), input="\n".join(answers) + "\n")
    assert code == 0, err
    assert "measure 'falls' already exists (choose another name" in err
    assert "added measure falls-at-night" in out


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--data-type", "Percent", "--direction", "higher is better"], ("proportion", "increase")),
        (["--data-type", "%", "--direction", "down"], ("proportion", "decrease")),
        (["--data-type", "counts", "--direction", "Lower"], ("count", "decrease")),
    ],
)
def test_flags_take_the_same_synonyms(
    runner: CliRunner, write_project: WriteProject, flags: list[str], expected: tuple[str, str]
) -> None:
    root = write_project()
    code, _, err = run(runner, "measure", "add", "Signs", "-k", "process", *flags, "-p", str(root))
    assert (code, err) == (0, "")
    data = yaml.safe_load((root / "measures" / "signs.yaml").read_text())
    assert (data["data_type"], data["direction"]) == expected


def test_an_existing_measure_is_refused_before_any_question(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    root = write_project()
    code, out, err = run(runner, "measure", "add", "Falls", "-p", str(root), input="outcome\n")
    assert code == 1
    assert "measure 'falls' already exists" in err
    assert "Kind" not in out


def test_a_data_type_the_chart_flag_does_not_fit_is_asked_again(
    runner: CliRunner, write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    root = write_project()
    answers = ["Falls seen", "outcome", "count", "rate", "down", "", "", "", ""]
    code, _, err = run(
        runner, "measure", "add", "--chart", "u", "-p", str(root), input="\n".join(answers) + "\n"
    )
    assert code == 0, err
    assert "a u chart needs a proportion or rate, not count (leave out --chart" in err
    data = yaml.safe_load((root / "measures" / "falls-seen.yaml").read_text())
    assert (data["data_type"], data["chart"]) == ("rate", "u")


def test_list_fits_80_columns_with_ids_whole_and_units(runner: CliRunner, tmp_path: Path) -> None:
    """The example's longest id is 17 letters: the table still fits a standard terminal,
    wrapping the latest value and its date, never an id; values carry their unit."""
    root = create_project(tmp_path, "Rib", template="example", folder_name="rib")
    result = runner.invoke(
        app, ["measure", "list", "-p", str(root)], env={"NO_COLOR": "1", "COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    firsts = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert firsts == ["measure", "length-of-stay", "physio-within-24h", "time-to-physio",
                      "readmissions-30d"]  # fmt: skip
    stay = lines[1].split()
    assert stay[:4] == ["length-of-stay", "outcome", "5", "days"]
