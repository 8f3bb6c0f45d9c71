"""`qi rename`: an id and every reference to it, checked before any file is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.errors import QiError
from qi_cli.files import disk
from qi_cli.files.loader import load_project
from qi_cli.files.yaml_write import rename_key
from qi_cli.rename import plan_rename, rename_id
from qi_cli.validate import validate_project
from tests.conftest import DRIVERS_YAML, WriteProject, run
from tests.workflow_fixtures import snapshot

CYCLE = "cycles/2026-02-02-night-lights-a1b2.yaml"
COMMENTED_DRIVERS = "# our diagram\n" + DRIVERS_YAML.replace(
    "  lighting:\n", "  lighting:   # added in February\n"
).replace("night-lights:\n", "night-lights:  # the first idea\n")
MEASURE_WITH_DRIVER = "name: Restraint\nkind: balancing\ndata_type: count\ndriver: lighting\n"


def errors(root: Path) -> list[str]:
    return [i.format() for i in validate_project(load_project(root)) if i.severity == "error"]


def test_rename_a_change_idea_everywhere(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project({"drivers.yaml": COMMENTED_DRIVERS})
    code, out, err = run(runner, "rename", "change", "night-lights", "bay-lights", "-p", str(root))
    assert (code, err) == (0, "")
    assert "renamed change night-lights -> bay-lights" in out
    drivers = (root / "drivers.yaml").read_text(encoding="utf-8")
    assert drivers == COMMENTED_DRIVERS.replace("  night-lights:", "  bay-lights:")
    cycle = (root / CYCLE).read_text(encoding="utf-8")
    assert cycle.startswith("change: bay-lights\n")
    assert errors(root) == []
    assert load_project(root).cycles[0].id == "2026-02-02-night-lights-a1b2"  # kept


def test_rename_a_driver_everywhere(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project(
        {"drivers.yaml": COMMENTED_DRIVERS, "measures/restraint.yaml": MEASURE_WITH_DRIVER}
    )
    code, _, err = run(runner, "rename", "driver", "lighting", "night-light", "-p", str(root))
    assert (code, err) == (0, "")
    drivers = (root / "drivers.yaml").read_text(encoding="utf-8")
    assert "  night-light:   # added in February\n" in drivers
    assert "drivers: [night-light]" in drivers and "lighting" not in drivers
    measure = (root / "measures" / "restraint.yaml").read_text(encoding="utf-8")
    assert measure.endswith("driver: night-light\n")
    assert errors(root) == []


FISHBONE = """\
effect: Falls at night   # the problem
categories:
  - name: environment
    causes:
      - cause: Dark bays
        addressed_by: [night-lights, lighting]   # both
      - cause: Noise
  - name: people
    causes:
      - cause: Agency staff
        causes:
          - cause: No handover of who is at risk
            addressed_by: [lighting]
"""


@pytest.mark.parametrize(
    ("kind", "old", "new", "changed"),
    [
        ("change", "night-lights", "bay-lights", "addressed_by: [bay-lights, lighting]   # both"),
        ("driver", "lighting", "light", "addressed_by: [night-lights, light]   # both"),
    ],
)
def test_rename_follows_the_fishbone_links(
    kind: str, old: str, new: str, changed: str, runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"fishbone.yaml": FISHBONE})
    code, _, err = run(runner, "rename", kind, old, new, "-p", str(root))
    assert (code, err) == (0, "")
    text = (root / "fishbone.yaml").read_text(encoding="utf-8")
    expected = FISHBONE.replace("addressed_by: [night-lights, lighting]   # both", changed)
    if kind == "driver":
        expected = expected.replace("addressed_by: [lighting]", "addressed_by: [light]")
    # everything kept but the id; a comment may keep its column as the line shortens
    assert re.sub(r" +#", " #", text) == re.sub(r" +#", " #", expected)
    assert errors(root) == []


def test_rename_a_measure_and_its_files(runner: CliRunner, write_project: WriteProject) -> None:
    drivers = DRIVERS_YAML.replace("    parents: [safe-environment]\n", "    measure: falls\n")
    root = write_project({"drivers.yaml": drivers})
    csv = (root / "measures" / "falls.csv").read_bytes()
    code, out, err = run(runner, "rename", "measure", "falls", "falls-rate", "-p", str(root))
    assert (code, err) == (0, "")
    assert not (root / "measures" / "falls.yaml").exists()
    assert (root / "measures" / "falls-rate.csv").read_bytes() == csv
    project = load_project(root)
    assert project.project is not None and project.project.aim is not None
    assert project.project.aim.outcome_measure == "falls-rate"
    assert project.cycles[0].cycle.measures == ["falls-rate"]
    assert project.drivers is not None
    assert project.drivers.drivers["lighting"].measure == "falls-rate"
    assert errors(root) == []
    assert "measures/falls.yaml -> " in out.replace("\\", "/")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("measure", "falls", "restraint"), 1, "'restraint' is already the id of a measure"),
        (("change", "night-lights", "lighting"), 1, "already the id of a driver or change idea"),
        (("driver", "lighting", "Night Light"), 2, "'Night Light' is not a valid id"),
        (("driver", "nope", "new-id"), 1, "no driver 'nope'"),
        (("cycle", "a", "b"), 2, "'cycle' cannot be renamed"),
    ],
)
def test_refusals_change_no_byte(
    runner: CliRunner, write_project: WriteProject, args: tuple[str, ...], code: int, words: str
) -> None:
    root = write_project()
    before = snapshot(root)
    got, out, err = run(runner, "rename", *args, "-p", str(root))
    assert (got, out) == (code, "")
    assert words in err and "Traceback" not in err
    assert snapshot(root) == before


def test_a_file_that_cannot_be_read_stops_the_rename(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"cycles/2026-03-02-night-lights-c3d4.yaml": "change: [broken\n"})
    before = snapshot(root)
    code, out, err = run(runner, "rename", "change", "night-lights", "x", "-p", str(root))
    assert (code, out) == (1, "")
    assert "cannot rename" in err and "2026-03-02-night-lights-c3d4.yaml" in err
    assert snapshot(root) == before


def test_a_failed_write_says_what_was_renamed(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project()
    real = disk.write_atomic
    calls: list[Path] = []

    def flaky(path: Path, content: str, *, overwrite: bool = True) -> None:
        calls.append(path)
        if path.name.endswith(".yaml") and path.parent.name == "cycles":
            raise QiError(f"{path.name}: cannot write: disk full")
        real(path, content, overwrite=overwrite)

    monkeypatch.setattr("qi_cli.rename.write_atomic", flaky)
    with pytest.raises(QiError) as caught:
        rename_id(root, "change", "night-lights", "bay-lights")
    message = caught.value.message
    assert "stopped" in message and "disk full" in message
    assert "already renamed: " in message and "drivers.yaml" in message
    assert "not renamed: " in message and "night-lights-a1b2.yaml" in message


def test_the_plan_checks_every_file_before_writing(write_project: WriteProject) -> None:
    root = write_project()
    before = snapshot(root)
    changes = plan_rename(load_project(root), "measure", "falls", "falls-rate")
    assert {c.path.name for c in changes} == {
        "project.yaml",
        "2026-02-02-night-lights-a1b2.yaml",
        "falls.yaml",
        "falls.csv",
    }
    assert snapshot(root) == before


def test_rename_key_keeps_the_rest_of_the_line() -> None:
    text = "changes:\n  'a-b':   # quoted\n    title: A\n  a-bc: {title: B}\n"
    assert rename_key(text, "f", ("changes",), "a-b", "c") == text.replace("'a-b'", "c")
    assert rename_key(text, "f", ("changes",), "a-bc", "d").endswith("  d: {title: B}\n")


def test_rename_leaves_the_example_project_valid(runner: CliRunner, tmp_path: Path) -> None:
    code, _, _ = run(runner, "project", "new", "X", "--template", "example", "--dir", str(tmp_path))
    assert code == 0
    (root,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert errors(root) == []
    warnings_before = sorted(i.code or "" for i in validate_project(load_project(root)))
    for args in (
        ("measure", "physio-within-24h", "physio-24h"),
        ("measure", "length-of-stay", "los"),
        ("driver", "early-recovery", "recovery"),
        ("change", "auto-physio-referral", "ed-physio-referral"),
    ):
        code, _, err = run(runner, "rename", *args, "-p", str(root))
        assert (code, err) == (0, ""), args
    code, out, err = run(runner, "validate", str(root))
    assert code == 0, out + err
    assert errors(root) == []
    assert sorted(i.code or "" for i in validate_project(load_project(root))) == warnings_before
    text = "".join(p.read_text(encoding="utf-8") for p in root.rglob("*.yaml"))
    assert "\nchange: auto-physio-referral" not in text
    assert "outcome_measure: los" in text
