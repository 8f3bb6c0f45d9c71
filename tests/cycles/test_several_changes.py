"""A cycle may test several change ideas together (`change: [a, b]`), through the whole
product: the model, `qi cycle new`, status, list, reports, charts, rename and validate.
Old files with one id stay valid and are written byte for byte as before."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.cli import app, prompts
from qi_cli.drivers import change_status
from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import analyse_measure
from qi_cli.schemas import render_schema
from qi_cli.validate import validate_project
from tests.conftest import CYCLE_YAML, LOGGED_YAML, WriteProject, run
from tests.workflow_fixtures import cycle_files, make_project, qi, snapshot

TWO_IDEAS = """\
drivers:
  safe-environment:
    name: Safe ward environment
  lighting:
    name: Lighting at night
    parents: [safe-environment]
changes:
  night-lights:
    title: Night lights in bays
    drivers: [lighting]
  quiet-hours:
    title: Quiet hours after 10 pm
    drivers: [lighting]
  bed-alarms:
    title: Bed alarms
    drivers: [lighting]
"""
LOGGED = "cycles/2026-02-02-night-lights-a1b2.yaml"
TOGETHER = "cycles/2026-03-02-night-lights-c3d4.yaml"
BLOCK_LIST = "change:\n  - night-lights\n  - quiet-hours\n"
TODAY = dt.date.today().isoformat()


def together(change: str = BLOCK_LIST, logged: bool = True) -> str:
    """A cycle of March testing night lights and quiet hours together, adopted."""
    text = (CYCLE_YAML + (LOGGED_YAML if logged else "")).replace("2026-02-0", "2026-03-0")
    text = text.replace("decision: adapt", "decision: adopt")
    return text.replace("change: night-lights\n", change)


@pytest.fixture
def root(write_project: WriteProject) -> Path:
    """The base project (one cycle of night lights) and a cycle testing two ideas."""
    return write_project({"drivers.yaml": TWO_IDEAS, TOGETHER: together()})


def errors(root: Path) -> list[str]:
    """Every error `qi validate` finds, with its place in the project folder."""
    project = load_project(root)
    prefix = project.display("")
    return [
        f"{i.where.removeprefix(prefix)}: {i.message}".replace("\\", "/")
        for i in validate_project(project)
        if i.severity == "error"
    ]


# --- the model -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "ids"),
    [
        ("change: night-lights\n", ["night-lights"]),
        ("change: [night-lights, quiet-hours]\n", ["night-lights", "quiet-hours"]),
        (BLOCK_LIST, ["night-lights", "quiet-hours"]),
        ("change: [quiet-hours]\n", ["quiet-hours"]),
    ],
)
def test_change_is_one_id_or_a_list(
    write_project: WriteProject, change: str, ids: list[str]
) -> None:
    root = write_project({"drivers.yaml": TWO_IDEAS, TOGETHER: together(change)})
    assert errors(root) == []
    (c,) = [c for c in load_project(root).cycles if c.id.endswith("c3d4")]
    assert c.cycle.changes == ids


@pytest.mark.parametrize(
    ("change", "where", "said", "hint"),
    [
        ("change: []\n", ":1:9", "change: the list names no change idea", "a list of the ids"),
        (
            "change:\n  - night-lights\n  - quiet-hours\n  - night-lights\n",
            ":4:5",
            "change[3]: 'night-lights' is listed twice",
            "list each change idea once",
        ),
        (
            "change: [night-lights, Quiet Hours]\n",
            ":1:24",
            "change[2]: 'Quiet Hours' is not a valid id",
            "lower-case letters",
        ),
        ("change: {night-lights: 1}\n", ":1:9", "change: write one change idea id", "a list"),
    ],
)
def test_a_bad_list_is_refused_at_its_line_with_a_hint(
    runner: CliRunner, write_project: WriteProject, change: str, where: str, said: str, hint: str
) -> None:
    root = write_project({"drivers.yaml": TWO_IDEAS, TOGETHER: together(change)})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{TOGETHER}{where}: error: {said}" in out.replace("\\", "/")
    line = out.splitlines()[
        out.splitlines().index(next(s for s in out.splitlines() if said in s)) + 1
    ]
    assert line.strip().startswith("hint:") and hint in line


def test_an_unknown_id_in_the_list_is_an_error_at_its_line(write_project: WriteProject) -> None:
    change = "change:\n  - night-lights\n  - quiet-hour\n"
    root = write_project({"drivers.yaml": TWO_IDEAS, TOGETHER: together(change)})
    assert errors(root) == [f"{TOGETHER}:3:5: change: no change idea 'quiet-hour'"]


def test_the_json_schema_allows_one_id_or_a_list_of_distinct_ids() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(render_schema("cycle"))
    ok = jsonschema.Draft7Validator(schema)
    assert ok.is_valid({"change": "night-lights"})
    assert ok.is_valid({"change": ["night-lights", "quiet-hours"]})
    assert not ok.is_valid({"change": []})
    assert not ok.is_valid({"change": ["night-lights", "night-lights"]})
    assert not ok.is_valid({"change": ["Night lights"]})


# --- qi cycle new ----------------------------------------------------------------------


def test_new_with_two_changes_writes_a_list_and_names_both(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = qi(
        root,
        "cycle",
        "new",
        "--change",
        "physio-review",
        "-c",
        "early-analgesia",
        "--start",
        "2025-03-03",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    (path,) = cycle_files(root)
    assert path.name.startswith("2025-03-03-physio-review-")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[1] == "# PDSA cycle testing: Physio review within 24 h + Early analgesia protocol"
    assert "\nchange:\n  - physio-review\n  - early-analgesia\npurpose: test\n" in text
    short = path.stem[-4:]
    assert (
        f"planned cycle #1 {short} of 'Physio review within 24 h + Early analgesia protocol'"
        in result.stdout
    )
    assert f"next, after the test: qi cycle log {short}" in result.stdout
    assert load_project(root).cycles[0].cycle.changes == ["physio-review", "early-analgesia"]


def test_new_with_one_change_writes_the_id_as_before(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = qi(root, "cycle", "new", "-c", "physio-review", "--start", "2025-03-03", "--no-input")
    assert result.exit_code == 0, result.output
    (path,) = cycle_files(root)
    short = path.stem[-4:]
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.qi/schemas/cycle.schema.json\n"
        "# PDSA cycle testing: Physio review within 24 h\n"
        f"# After the test, record what happened: qi cycle log {short}\n"
        "change: physio-review\n"
        "purpose: test\n"
        f"created: {TODAY}\n"
        "planned_as: 1\n"
        "plan:\n"
        "  start: 2025-03-03\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (
            ("-c", "physio-review", "-c", "physio-review"),
            2,
            "--change physio-review is given twice",
        ),
        (("-c", "physio-review", "-c", "physio-reviw"), 1, "no change idea 'physio-reviw'"),
    ],
)
def test_new_refuses_a_repeated_or_unknown_change(
    tmp_path: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    root = make_project(tmp_path)
    before = snapshot(root)
    result = qi(root, "cycle", "new", *args, "--no-input")
    assert result.exit_code == code and said in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def test_new_prompt_takes_several_ideas_each_checked_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    root = make_project(tmp_path)
    answers = [
        "1, 7",  # the 7th does not exist: refused, asked again
        "1, early-analgesia",  # by number and by id
        *[""] * 3,  # objective, purpose, scale
        "",  # no questions
        *[""] * 8,  # test and data who/what/when/where
        "2025-03-03",
        "",  # end
        "",  # person
    ]
    result = qi(root, "cycle", "new", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "'7' is not one of the change ideas" in result.stderr
    assert "separate them with commas" in result.stdout
    (c,) = load_project(root).cycles
    assert c.cycle.changes == ["physio-review", "early-analgesia"]


def test_next_carries_both_ideas_over_and_keeps_the_ramp(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    args = ("-c", "physio-review", "-c", "early-analgesia", "--start", "2025-03-03")
    assert qi(root, "cycle", "new", *args, "--no-input").exit_code == 0
    result = qi(root, "cycle", "new", "--next", "1", "--start", "2025-03-10", "--no-input")
    assert result.exit_code == 0, result.output
    assert "of 'Physio review within 24 h + Early analgesia protocol'" in result.stdout
    second = load_project(root).cycles[1].cycle
    assert second.changes == ["physio-review", "early-analgesia"]
    result = qi(root, "cycle", "new", "--next", "1", "-c", "physio-review", "--no-input")
    assert result.exit_code == 2
    assert "--next 1 tests 'physio-review, early-analgesia', not 'physio-review'" in result.stderr


# --- what the cycles say of each idea ------------------------------------------------------


def test_each_idea_counts_the_cycle_that_tests_it_with_others(root: Path) -> None:
    project = load_project(root)
    assert change_status(project, "quiet-hours") == "adopted"
    assert change_status(project, "night-lights") == "adopted"  # its last cycle: adopted
    assert change_status(project, "bed-alarms") == "idea"
    assert [c.short_id for c in project.cycles_of("quiet-hours")] == ["c3d4"]
    assert [c.short_id for c in project.cycles_of("night-lights")] == ["a1b2", "c3d4"]


def test_list_filter_finds_a_cycle_testing_the_idea_among_others(
    runner: CliRunner, root: Path
) -> None:
    code, out, _ = run(runner, "cycle", "list", "--change", "quiet-hours", "-p", str(root))
    assert code == 0
    rows = [line for line in out.splitlines()[1:] if line.strip()]
    assert rows[0].split()[:2] == ["2", "c3d4"]
    assert "a1b2" not in out
    assert "Night lights in bays +" in rows[0] and "Quiet hours after 10 pm" in out
    code, out, _ = run(runner, "cycle", "show", "c3d4", "-p", str(root))
    assert out.startswith(
        "Cycle #2 c3d4: Night lights in bays + Quiet hours after 10 pm "
        "[night-lights, quiet-hours] (done)"
    )


def test_reports_show_every_idea_a_cycle_tests(runner: CliRunner, root: Path) -> None:
    code, out, _ = run(runner, "report", str(root), "--format", "json")
    assert code == 0
    report = json.loads(out)
    (entry,) = [c for c in report["cycles"] if c["short_id"] == "c3d4"]
    assert entry["change"] == "night-lights"  # the first id, as before
    assert entry["changes"] == ["night-lights", "quiet-hours"]
    ramps = {c["id"]: [(x["short_id"], x["with"]) for x in c["cycles"]] for c in report["changes"]}
    assert ramps == {
        "night-lights": [("a1b2", []), ("c3d4", ["Quiet hours after 10 pm"])],
        "quiet-hours": [("c3d4", ["Night lights in bays"])],
        "bed-alarms": [],
    }
    (learned,) = [x for x in report["learning"] if x["short_id"] == "c3d4"]
    assert learned["changes"] == ["night-lights", "quiet-hours"]

    code, out, _ = run(runner, "report", str(root), "--format", "markdown")
    assert code == 0
    assert "| #2 c3d4 (with Quiet hours after 10 pm) |" in out
    assert "| #2 c3d4 (with Night lights in bays) |" in out
    assert "- #2 c3d4 (2026-03-02, night-lights, quiet-hours): **adopt**" in out

    code, out, _ = run(runner, "report", str(root), "--format", "html")
    assert code == 0
    assert "<td>#2 c3d4 (with Quiet hours after 10 pm)</td>" in out
    assert "<td>#2 c3d4 (with Night lights in bays)</td>" in out
    assert "(2026-03-02, night-lights, quiet-hours)" in out

    code, out, _ = run(runner, "report", str(root))
    assert code == 0
    flat = " ".join(out.split())
    assert "(with Quiet hours after 10 pm)" in flat
    assert "(with Night lights in bays)" in flat


def test_report_escapes_the_titles_it_adds(runner: CliRunner, write_project: WriteProject) -> None:
    drivers = TWO_IDEAS.replace("Quiet hours after 10 pm", "Quiet <b>hours</b> | calm")
    root = write_project({"drivers.yaml": drivers, TOGETHER: together()})
    code, out, _ = run(runner, "report", str(root), "--format", "html")
    assert code == 0
    assert "(with Quiet &lt;b&gt;hours&lt;/b&gt; | calm)" in out and "<b>hours" not in out
    code, out, _ = run(runner, "report", str(root), "--format", "markdown")
    assert "(with Quiet &lt;b&gt;hours&lt;/b&gt; \\| calm) |" in out


def test_chart_marks_carry_every_idea(runner: CliRunner, root: Path) -> None:
    analysis = analyse_measure(load_project(root), "falls")
    (mark,) = [m for m in analysis.series.cycles if m.id.endswith("c3d4")]
    assert mark.changes == ("night-lights", "quiet-hours") and mark.change == "night-lights"
    (entry,) = [c for c in analysis.to_dict()["cycles"] if c["id"].endswith("c3d4")]  # type: ignore[union-attr]
    assert entry["changes"] == ["night-lights", "quiet-hours"]
    code, out, _ = run(runner, "chart", "falls", "-p", str(root))
    assert code == 0, out
    assert "night-lights: #1 a1b2 2026-02-02, #2 c3d4 2026-03-02" in out
    assert "quiet-hours: #2 c3d4 2026-03-02" in out


# --- rename and validate -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "renamed"),
    [
        (BLOCK_LIST, "change:\n  - night-lights\n  - calm-nights\n"),
        (
            "change: [night-lights, quiet-hours]  # tested together\n",
            "change: [night-lights, calm-nights]  # tested together\n",
        ),
    ],
)
def test_rename_renames_inside_a_list(
    runner: CliRunner, write_project: WriteProject, change: str, renamed: str
) -> None:
    root = write_project({"drivers.yaml": TWO_IDEAS, TOGETHER: together(change)})
    before = (root / TOGETHER).read_text(encoding="utf-8")
    untouched = (root / LOGGED).read_bytes()
    code, _, err = run(runner, "rename", "change", "quiet-hours", "calm-nights", "-p", str(root))
    assert code == 0, err
    assert (root / TOGETHER).read_text(encoding="utf-8") == before.replace(change, renamed)
    assert (root / LOGGED).read_bytes() == untouched
    assert errors(root) == []
    project = load_project(root)
    assert change_status(project, "calm-nights") == "adopted"


def test_a_project_using_a_list_validates_clean(runner: CliRunner, root: Path) -> None:
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0, out
    assert out.endswith("1 project: 0 errors, 1 warning\n")


def test_completion_offers_ids_for_a_second_change(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project({"drivers.yaml": TWO_IDEAS}))
    line = "qi cycle new --change night-lights --change q"
    env = {
        "_QI_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(line.split(" ")) - 1),
        "_TYPER_COMPLETE_ARGS": line,
        "NO_COLOR": "1",
    }
    result = CliRunner().invoke(app, [], prog_name="qi", env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["quiet-hours"]
