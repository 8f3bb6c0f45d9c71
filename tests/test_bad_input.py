"""Bad input never hurts: every broken file and wrong argument gets one clear message.

Each case breaks one thing in a small valid project (or passes one wrong argument),
runs the real CLI, and checks: the exit code (1 for bad input, 2 for usage), a message
that names the file and line where there is one, no traceback, and no file changed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.cli import app
from tests.conftest import (
    BALANCING_YAML,
    CYCLE_YAML,
    LOGGED_YAML,
    MEASURE_YAML,
    PROJECT_YAML,
    base_files,
)

CYCLE = "cycles/2026-02-02-night-lights-a1b2.yaml"
PROPORTION = MEASURE_YAML.replace("data_type: rate", "data_type: proportion").replace(
    "multiply: 1000", "multiply: 100"
)
Setup = Callable[[Path], None]


def write(rel: str, text: str | bytes) -> Setup:
    def setup(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return setup


def replace(rel: str, old: str, new: str) -> Setup:
    def setup(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def both(*steps: Setup) -> Setup:
    def setup(root: Path) -> None:
        for step in steps:
            step(root)

    return setup


def nothing(root: Path) -> None:
    return None


def folder(rel: str) -> Setup:
    def setup(root: Path) -> None:
        path = root / rel
        path.unlink()
        path.mkdir()

    return setup


def symlink_loop(rel: str) -> Setup:
    def setup(root: Path) -> None:
        path = root / rel
        path.unlink(missing_ok=True)
        os.symlink(path.name, path)

    return setup


def dangling_link(rel: str) -> Setup:
    def setup(root: Path) -> None:
        os.symlink("nowhere.yaml", root / rel)

    return setup


def big_file(rel: str, megabytes: int) -> Setup:
    def setup(root: Path) -> None:
        with open(root / rel, "wb") as handle:
            handle.write(b"title: x\n")
            handle.write(b"# " + b"x" * (megabytes * 1024 * 1024) + b"\n")

    return setup


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
    for n, p in zip("bcdefghij", "abcdefghi", strict=True)
)


DEEP = "extra:\n" + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(500)) + "      x: 1\n"
"""500 levels of mappings (~130 KB): the 65th level is refused, at its line."""
TOO_DEEP = "{root}/measures/restraint.yaml:72:131: error: nested too deeply (more than 64 levels"


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    args: tuple[str, ...]
    code: int
    message: str  # a fragment of stderr/stdout, with {root} for the project path


def conflict(rel: str) -> Setup:
    """The file as a git merge leaves it when both sides changed its last line."""

    def setup(root: Path) -> None:
        path = root / rel
        *head, last = path.read_text(encoding="utf-8").splitlines(keepends=True)
        theirs = last.replace(last.strip(), last.strip() + " (theirs)")
        text = f"{''.join(head)}<<<<<<< HEAD\n{last}=======\n{theirs}>>>>>>> theirs\n"
        path.write_text(text, encoding="utf-8")

    return setup


FISHBONE = "effect: Falls\ncategories:\n  - name: People\n    causes:\n      - cause: Tired\n"
STAKEHOLDERS = (
    "stakeholders:\n  nurses:\n    name: Nurses\n    influence: high\n"
    "    support: neutral\n    needed: support\n"
)
OWN_FILE = "belongs to the project in {root}; qi never writes a report over a project's files"
MERGE_FIRST = ":{line}:1: unresolved git merge conflict: resolve the merge first"


def writer_in_conflict(name: str, rel: str, line: int, *args: str, setup: Setup = nothing) -> Case:
    """A write command run while `rel` holds merge conflict markers at `line`."""
    return Case(
        f"{name} while {rel} is in conflict",
        both(setup, conflict(rel)),
        (*args, "-p", "{root}"),
        1,
        f"{{root}}/{rel}" + MERGE_FIRST.format(line=line),
    )


CONFLICTED_WRITERS = [
    writer_in_conflict("data add", "measures/falls.csv", 13, "data", "add", "falls", "3",
                       "--denominator", "300", "--date", "2026-06-01"),
    writer_in_conflict("data add --replace", "measures/falls.csv", 13, "data", "add", "falls",
                       "3", "--denominator", "300", "--date", "2026-03-23", "--replace"),
    writer_in_conflict("data remove", "measures/falls.csv", 13, "data", "remove", "falls",
                       "2026-01-05"),
    writer_in_conflict("data import", "measures/restraint.csv", 13, "data", "import",
                       "restraint", "{root}/../export.csv",
                       setup=write("../export.csv", "date,value\n2026-06-01,3\n")),
    writer_in_conflict("measure set", "measures/falls.yaml", 10, "measure", "set", "falls",
                       "target", "3"),
    writer_in_conflict("measure add", "drivers.yaml", 10, "measure", "add", "Bed rails",
                       "-k", "balancing", "-t", "count", "--direction", "decrease"),
    writer_in_conflict("project set", "project.yaml", 17, "project", "set", "title", "Falls"),
    writer_in_conflict("project score", "project.yaml", 17, "project", "score", "2.0"),
    writer_in_conflict("project gitattributes", CYCLE, 24, "project", "gitattributes"),
    writer_in_conflict("cycle new", "drivers.yaml", 10, "cycle", "new", "--change",
                       "night-lights", "--no-input"),
    writer_in_conflict("cycle log", CYCLE, 24, "cycle", "log", "1", "--next-steps", "x",
                       "--no-input"),
    writer_in_conflict("cycle cancel", CYCLE, 24, "cycle", "cancel", "1", "--reason", "x"),
    writer_in_conflict("driver add", "drivers.yaml", 10, "driver", "add", "Staffing"),
    writer_in_conflict("change add", "drivers.yaml", 10, "change", "add", "Bed alarms",
                       "--driver", "lighting", "--no-input"),
    writer_in_conflict("rename", "measures/falls.csv", 13, "rename", "measure", "falls",
                       "falls-rate"),
    writer_in_conflict("fishbone add", "fishbone.yaml", 5, "fishbone", "add", "people", "Noise",
                       setup=write("fishbone.yaml", FISHBONE)),
    writer_in_conflict("stakeholder add", "stakeholders.yaml", 6, "stakeholder", "add",
                       "Porters", "--influence", "low", "--support", "neutral", "--needed",
                       "support", setup=write("stakeholders.yaml", STAKEHOLDERS)),
]  # fmt: skip


V = ("validate", "{root}")
CASES = [
    # --- YAML files ------------------------------------------------------------------
    Case(
        "yaml syntax error",
        write("project.yaml", "format: 1\ntitle: [oops\n"),
        V,
        1,
        "{root}/project.yaml:3:1: error: YAML syntax error",
    ),
    Case(
        "tab indentation",
        replace("drivers.yaml", "  safe-environment:", "\tsafe-environment:"),
        V,
        1,
        "{root}/drivers.yaml:2:1: error: a tab is used for indentation",
    ),
    Case(
        "wrong type",
        replace("measures/falls.yaml", "target: 4", "target: [4]"),
        V,
        1,
        "{root}/measures/falls.yaml:5:10: error: target[1]: a step is a mapping: `from: DATE` "
        "and `value: NUMBER`",
    ),
    Case(
        "unknown key",
        replace(CYCLE, "scale:", "scael:"),
        V,
        1,
        f"{{root}}/{CYCLE}:3:1: error: unknown key 'scael'",
    ),
    Case(
        "duplicate key",
        write("project.yaml", PROJECT_YAML + "title: again\n"),
        V,
        1,
        "{root}/project.yaml:18:1: error: duplicate key 'title' (first on line 2)",
    ),
    Case(
        "yes is not a boolean",
        replace(CYCLE, "carried_out_as_planned: true", "carried_out_as_planned: yes"),
        V,
        1,
        f"{{root}}/{CYCLE}:13:27: error: do.carried_out_as_planned: 'yes' is not true or false",
    ),
    Case(
        "on is not a boolean",
        replace("measures/falls.yaml", "name:", "screen_outliers: on\nname:"),
        V,
        1,
        "{root}/measures/falls.yaml:1:18: error: screen_outliers: 'on' is not true or false",
    ),
    Case(
        "impossible date",
        replace("project.yaml", "start_date: 2026-01-05", "start_date: 2026-02-30"),
        V,
        1,
        "{root}/project.yaml:4:13: error: start_date: Input should be a valid date",
    ),
    Case(
        "date as a number",
        replace("project.yaml", "start_date: 2026-01-05", "start_date: 20260105"),
        V,
        1,
        "{root}/project.yaml:4:13: error: start_date:",
    ),
    Case(
        "empty file",
        write("project.yaml", ""),
        V,
        1,
        "{root}/project.yaml:1:1: error: file is empty",
    ),
    Case(
        "file is a folder",
        folder("drivers.yaml"),
        V,
        1,
        "drivers.yaml: error: is a folder, expected a file",
    ),
    Case(
        "binary garbage",
        write("measures/falls.yaml", b"\x00\x01\x02\xff" * 64),
        V,
        1,
        "falls.yaml:1:1: error: looks like a binary file",
    ),
    Case(
        "latin-1",
        write("project.yaml", PROJECT_YAML.replace("Alex", "Zoë").encode("latin-1")),
        V,
        1,
        "{root}/project.yaml:6:13: error: not valid UTF-8",
    ),
    Case(
        "utf-16",
        write("drivers.yaml", "drivers: {}\n".encode("utf-16")),
        V,
        1,
        "{root}/drivers.yaml:1:1: error: file is UTF-16",
    ),
    Case("utf-8 bom is fine", write("project.yaml", "\ufeff" + PROJECT_YAML), V, 0, "0 errors"),
    Case("billion laughs", write(CYCLE, BOMB), V, 1, "aliases (*name) are not supported"),
    Case("50 MB file", big_file("project.yaml", 50), V, 1, "file is too large (52.4 MB"),
    Case(
        "top level is a list",
        write("drivers.yaml", "- a\n- b\n"),
        V,
        1,
        "{root}/drivers.yaml:1:1: error: expected a mapping",
    ),
    Case(
        "unknown data type",
        replace("measures/falls.yaml", "data_type: rate", "data_type: ratio"),
        V,
        1,
        "{root}/measures/falls.yaml:3:12: error: data_type: 'ratio' is not allowed here",
    ),
    Case(
        "progress off the scale",
        replace("project.yaml", "score: 1.0", "score: 4.2"),
        V,
        1,
        "progress[1].score: progress score must be one of 0.5, 1.0",
    ),
    Case(
        "format from the future",
        replace("project.yaml", "format: 1", "format: 2"),
        V,
        1,
        "{root}/project.yaml:1:9: error: format:",
    ),
    Case(
        "unknown parent driver",
        replace("drivers.yaml", "parents: [safe-environment]", "parents: [safety]"),
        V,
        1,
        "driver 'lighting': no parent driver 'safety'",
    ),
    Case(
        "driver loop",
        replace(
            "drivers.yaml",
            "    name: Safe ward environment\n",
            "    name: Safe ward environment\n    parents: [lighting]\n",
        ),
        V,
        1,
        "the driver diagram has a loop",
    ),
    Case(
        "cycle of unknown change",
        replace(CYCLE, "change: night-lights", "change: night-light"),
        V,
        1,
        f"{{root}}/{CYCLE}:1:9: error: change: no change idea 'night-light'",
    ),
    Case(
        "follows unknown cycle",
        replace(CYCLE, "person:", "follows: 2026-01-01-x-0000\nperson:"),
        V,
        1,
        "follows: no cycle '2026-01-01-x-0000'",
    ),
    Case("yml file", write("cycles/draft.yml", CYCLE_YAML), V, 1, "qi reads .yaml files"),
    Case(
        "bad file name",
        write("measures/Falls Rate.yaml", MEASURE_YAML),
        V,
        1,
        "file name 'Falls Rate.yaml' is not a valid id",
    ),
    Case(
        "symlink loop",
        symlink_loop("measures/restraint.yaml"),
        V,
        1,
        "measures/restraint.yaml: error: cannot read: a broken link or a link loop",
    ),
    Case(
        "broken link",
        dangling_link("cycles/2026-02-01-lost-0001.yaml"),
        V,
        1,
        "cycles/2026-02-01-lost-0001.yaml: error: cannot read: a broken link or a link loop",
    ),
    Case(
        "measure file is a folder",
        folder("measures/restraint.yaml"),
        V,
        1,
        "measures/restraint.yaml: error: is a folder, expected a file",
    ),
    # --- CSV files ---------------------------------------------------------------------
    Case(
        "csv missing column",
        write("measures/falls.csv", "date,denominator\n2026-01-05,300\n"),
        V,
        1,
        "{root}/measures/falls.csv:1:1: error: missing column 'value'",
    ),
    Case(
        "csv text in number column",
        write("measures/falls.csv", "date,value,denominator\n2026-01-05,two,300\n"),
        V,
        1,
        "{root}/measures/falls.csv:2:12: error: value 'two' is not a number",
    ),
    Case(
        "csv negative denominator",
        write("measures/falls.csv", "date,value,denominator\n2026-01-05,2,-300\n"),
        V,
        1,
        "{root}/measures/falls.csv:2:14: error: denominator -300 must be above zero",
    ),
    Case(
        "csv zero denominator",
        write("measures/falls.csv", "date,value,denominator\n2026-01-05,2,0\n"),
        V,
        1,
        "{root}/measures/falls.csv:2:14: error: denominator 0 must be above zero",
    ),
    Case(
        "csv numerator above denominator",
        both(
            write("measures/falls.yaml", PROPORTION),
            write("measures/falls.csv", "date,value,denominator\n2026-01-05,31,30\n"),
        ),
        V,
        1,
        "{root}/measures/falls.csv:2:12: error: numerator 31 is larger than denominator 30",
    ),
    Case(
        "csv duplicate dates",
        write("measures/falls.csv", "date,value,denominator\n2026-01-05,2,300\n2026-01-05,3,300\n"),
        V,
        1,
        "{root}/measures/falls.csv:3:1: error: 2026-01-05 is entered twice: lines 2 and 3",
    ),
    Case(
        "csv impossible date",
        write("measures/falls.csv", "date,value,denominator\n2026-13-01,2,300\n"),
        V,
        1,
        "{root}/measures/falls.csv:2:1: error: '2026-13-01' is not a date",
    ),
    Case(
        "csv empty",
        write("measures/falls.csv", ""),
        V,
        1,
        "{root}/measures/falls.csv:1:1: error: file is empty",
    ),
    Case(
        "csv too many cells",
        write("measures/falls.csv", "date,value,denominator\n2026-01-05,2,300,4\n"),
        V,
        1,
        "{root}/measures/falls.csv:2:1: error: 4 cells but the header names 3 columns",
    ),
    Case(
        "csv utf-16",
        write("measures/falls.csv", "date,value\n".encode("utf-16")),
        V,
        1,
        "{root}/measures/falls.csv:1:1: error: file is UTF-16",
    ),
    Case(
        "csv without a denominator",
        write("measures/falls.csv", "date,value\n2026-01-05,2\n"),
        V,
        1,
        "{root}/measures/falls.csv:1:1: error: missing column 'denominator'",
    ),
    Case(
        "csv negative count",
        write("measures/restraint.csv", "date,value\n2026-01-05,-1\n"),
        V,
        1,
        "{root}/measures/restraint.csv:2:12: error: value -1 is negative",
    ),
    Case("missing project", nothing, ("validate", "{root}/nowhere"), 1, "nowhere: no such folder"),
    # --- commands ----------------------------------------------------------------------
    Case(
        "data add unknown measure",
        nothing,
        ("data", "add", "fals", "3", "-p", "{root}"),
        1,
        "no measure 'fals'",
    ),
    Case(
        "data add not a number",
        nothing,
        ("data", "add", "restraint", "three", "-p", "{root}"),
        1,
        "three",
    ),
    Case(
        "data add impossible date",
        nothing,
        ("data", "add", "restraint", "3", "--date", "2026-02-30", "-p", "{root}"),
        2,
        "2026-02-30",
    ),
    Case(
        "data add numerator above denominator",
        write("measures/falls.yaml", PROPORTION),
        (
            "data",
            "add",
            "falls",
            "40",
            "--denominator",
            "30",
            "--date",
            "2026-06-01",
            "-p",
            "{root}",
        ),
        1,
        "larger than",
    ),
    Case(
        "data add zero denominator",
        nothing,
        ("data", "add", "falls", "4", "--denominator", "0", "--date", "2026-06-01", "-p", "{root}"),
        1,
        "denominator",
    ),
    Case(
        "data add same date twice",
        nothing,
        ("data", "add", "restraint", "4", "--date", "2026-01-05", "-p", "{root}"),
        1,
        "--replace",
    ),
    Case(
        "data import missing file",
        nothing,
        ("data", "import", "restraint", "{root}/none.csv", "-p", "{root}"),
        1,
        "none.csv",
    ),
    Case(
        "cycle new unknown change",
        nothing,
        ("cycle", "new", "--change", "nightlights", "--no-input", "-p", "{root}"),
        1,
        "night-lights",
    ),
    Case(
        "cycle log bad decision",
        nothing,
        ("cycle", "log", "1", "--decision", "maybe", "--no-input", "-p", "{root}"),
        2,
        "adopt",
    ),
    Case(
        "cycle log unknown cycle",
        nothing,
        ("cycle", "log", "7", "--decision", "adopt", "--no-input", "-p", "{root}"),
        1,
        "known cycles",
    ),
    Case(
        "cycle new impossible date",
        nothing,
        (
            "cycle",
            "new",
            "--change",
            "night-lights",
            "--start",
            "2026-02-30",
            "--no-input",
            "-p",
            "{root}",
        ),
        2,
        "2026-02-30",
    ),
    Case(
        "driver add unknown parent",
        nothing,
        ("driver", "add", "Staffing", "--parent", "staff", "-p", "{root}"),
        1,
        "safe-environment",
    ),
    Case(
        "change add unknown driver",
        nothing,
        ("change", "add", "Bed alarms", "--driver", "alarms", "--no-input", "-p", "{root}"),
        1,
        "lighting",
    ),
    Case(
        "chart unknown measure",
        nothing,
        ("chart", "fall", "-p", "{root}"),
        1,
        "did you mean 'falls'?",
    ),
    Case(
        "chart unknown method",
        nothing,
        ("chart", "falls", "--method", "western-electric", "-p", "{root}"),
        2,
        "anhoej",
    ),
    Case(
        "chart impossible --from",
        nothing,
        ("chart", "falls", "--from", "2026-02-30", "-p", "{root}"),
        2,
        "2026-02-30",
    ),
    Case(
        "report unknown format",
        nothing,
        ("report", "{root}", "--format", "pdf"),
        2,
        "unknown format 'pdf'",
    ),
    Case(
        # a poster is one project's: the portfolio drew its table instead, without a word
        "portfolio a3 format",
        nothing,
        ("portfolio", "{root}", "--format", "a3"),
        2,
        "unknown format 'a3'",
    ),
    Case(
        "validate unknown format",
        nothing,
        ("validate", "{root}", "--format", "xml"),
        2,
        "unknown format",
    ),
    Case(
        "score off the scale",
        nothing,
        ("project", "score", "7", "-p", "{root}"),
        2,
        "IHI progress scale",
    ),
    Case(
        "project new over a project",
        nothing,
        ("project", "new", "proj", "--dir", "{root}/.."),
        1,
        "already exists",
    ),
    Case(
        "nan target",
        replace("measures/falls.yaml", "target: 4", "target: .nan"),
        V,
        1,
        "{root}/measures/falls.yaml:5:9: error: target: Input should be a finite number",
    ),
    Case(
        "measure list says which measure file it skipped",
        replace("measures/falls.yaml", "target: 4", "target: .inf"),
        ("measure", "list", "-p", "{root}"),
        0,
        "warning: skipped {root}/measures/falls.yaml:5:9: error: target: Input should be a finite",
    ),
    Case(
        "csv value too large to compute with",
        write("measures/falls.csv", "date,value,denominator\n2026-01-05,1e308,300\n"),
        V,
        1,
        "{root}/measures/falls.csv:2:12: error: value 1e308 is too large",
    ),
    Case(
        "measure add nan target",
        nothing,
        ("measure", "add", "F", "-k", "outcome", "-t", "count", "--target", "nan", "-p", "{root}"),
        2,
        "target: Input should be a finite number",
    ),
    Case(
        "measure add without a name",
        nothing,
        ("measure", "add", " ", "--kind", "outcome", "--data-type", "count", "-p", "{root}"),
        2,
        "the measure has no name",
    ),
    Case(
        "report narrower than a chart",
        nothing,
        ("report", "{root}", "--width", "-3"),
        2,
        "--width -3 is too narrow",
    ),
    Case("unknown command", nothing, ("frobnicate",), 2, "No such command 'frobnicate'"),
    Case(
        "missing argument", nothing, ("data", "add"), 2, "error: missing argument MEASURE\n  hint:"
    ),
    # a missing option said in qi's words, like every other refusal, not click's usage block
    Case(
        "cycle cancel without --reason",
        nothing,
        ("cycle", "cancel", "1", "-p", "{root}"),
        2,
        "error: missing option --reason / -r\n  hint: give --reason: why the cycle was stopped",
    ),
    Case(
        "site without --output",
        nothing,
        ("site", "{root}"),
        2,
        "error: missing option --output / -o\n  hint: give --output",
    ),
    Case(
        "portfolio stale days below 0", nothing, ("portfolio", "{root}", "--stale", "-5"), 2, "-5"
    ),
    Case(
        "cycles is a file, not a folder", both(folder(CYCLE)), V, 1, "is a folder, expected a file"
    ),
    Case(
        "write into a file posing as a folder",
        both(
            lambda root: [p.unlink() for p in (root / "cycles").iterdir()],
            lambda root: (root / "cycles").rmdir(),
            write("cycles", "not a folder\n"),
        ),
        ("cycle", "new", "--change", "night-lights", "--no-input", "-p", "{root}"),
        1,
        "cycles",
    ),
    *CONFLICTED_WRITERS,
    *(
        Case(
            f"{' '.join(command)} -o {target}",
            write("notes.md", "# our notes\n"),
            (*command, "-o", f"{{root}}/{target}"),
            1,
            message,
        )
        for command, target, message in [
            (("report", "{root}", "-f", "markdown"), "project.yaml", OWN_FILE),
            (("report", "{root}"), "measures/falls.csv", OWN_FILE),
            (("report", "{root}", "--force"), "cycles/new.html", OWN_FILE),
            (("portfolio", "{root}/.."), "drivers.yaml", OWN_FILE),
            (("report", "{root}", "-f", "html"), "notes.md", "not a report qi wrote"),
            (("portfolio", "{root}", "-f", "json"), "notes.md", "add --force to replace it"),
            (("schema",), "measures", "is a data folder of the project"),
        ]
    ),
    Case("deep nesting", write("measures/restraint.yaml", BALANCING_YAML + DEEP), V, 1, TOO_DEEP),
    Case(
        "deep nesting in report",
        write("measures/restraint.yaml", BALANCING_YAML + DEEP),
        ("report", "{root}"),
        0,  # the report is made, and its data quality section names the file
        "nested too deeply",
    ),
    Case(
        "deep nesting in chart",
        write("measures/restraint.yaml", BALANCING_YAML + DEEP),
        ("chart", "restraint", "-p", "{root}"),
        1,
        "restraint.yaml:72:131: nested too deeply",
    ),
]


def snapshot(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name == ".qi.lock":
            continue
        out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_there_are_at_least_50_cases() -> None:
    assert len(CASES) >= 50
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "proj"
    files = {**base_files(), CYCLE: CYCLE_YAML + LOGGED_YAML}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    case.setup(root)
    before = snapshot(root)
    args = [a.replace("{root}", str(root)) for a in case.args]
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100"})
    output = result.stdout + result.stderr
    assert result.exit_code == case.code, output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    assert "internal error" not in output
    assert case.message.replace("{root}", str(root)) in output
    assert snapshot(root) == before, "a failed command changed a file"


@pytest.mark.parametrize(
    "args",
    [
        ("chart", "falls", "--from", "20260105"),
        ("report", "{root}", "--since", "2026-W02-1"),
        ("project", "score", "2.0", "--date", "20260301"),
        ("data", "add", "restraint", "3", "--date", "20260601"),
    ],
)
def test_command_line_dates_are_strict_iso(args: tuple[str, ...], tmp_path: Path) -> None:
    """Dates typed on the command line follow the same YYYY-MM-DD rule as the files."""
    root = tmp_path / "proj"
    for rel, text in base_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    before = snapshot(root)
    argv = [a.replace("{root}", str(root)) for a in args]
    if argv[0] not in ("report",):
        argv += ["-p", str(root)]
    result = CliRunner().invoke(app, argv, env={"NO_COLOR": "1"})
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "is not a date" in result.stderr
    assert snapshot(root) == before


LOOP = ("{root}/../loop",)


@pytest.mark.parametrize(
    "args",
    [
        ("validate", *LOOP),
        ("report", *LOOP),
        ("portfolio", *LOOP),
        ("data", "add", "falls", "3", "-p", *LOOP),
        ("chart", "falls", "-p", *LOOP),
        ("cycle", "list", "-p", *LOOP),
        ("measure", "list", "-p", *LOOP),
        ("project", "new", "Falls", "--dir", *LOOP),
        ("demo", "--dir", *LOOP),
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_project_path_that_is_a_link_loop_is_named(args: tuple[str, ...], tmp_path: Path) -> None:
    """`ln -s loop other; ln -s other loop`: exit 1 naming the path, never a traceback."""
    os.symlink("other", tmp_path / "loop")
    os.symlink("loop", tmp_path / "other")
    root = tmp_path / "proj"
    argv = [a.replace("{root}", str(root)) for a in args]
    result = CliRunner().invoke(app, argv, env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 1, result.stdout + result.stderr
    assert f"{root}/../loop: cannot open: a symbolic link loop" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop", "other"]


def full_disk(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """File writes that succeed `after` times, then find the disk full (ENOSPC): the
    project copy's writes, and the fsync of qi's atomic writes (where a network drive
    reports a full disk)."""
    calls = {"n": 0}

    def failing(real: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            calls["n"] += 1
            if calls["n"] > after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(Path, "write_text", failing(Path.write_text))
    monkeypatch.setattr(Path, "write_bytes", failing(Path.write_bytes))
    monkeypatch.setattr(os, "fsync", failing(os.fsync))


@pytest.mark.parametrize("after", [0, 4, 9])
@pytest.mark.parametrize(
    "args",
    [("project", "new", "Falls on ward 7", "--no-input", "--dir"), ("demo", "--dir")],
    ids=["project new", "demo"],
)
def test_a_full_disk_is_named_and_leaves_nothing_half_made(
    args: tuple[str, ...], after: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full at the first, fifth or tenth write: exit 1, what could not be written and
    why, and no folder left behind (demo's own --dir included)."""
    full_disk(monkeypatch, after)
    target = tmp_path / "new" / "place"
    result = CliRunner().invoke(app, [*args, str(target)], env={"NO_COLOR": "1"})
    output = result.stdout + result.stderr
    if args[0] == "project":  # --dir must exist for project new: make it, then fill it
        assert result.exit_code == 1 and "no such folder" in output
        target.mkdir(parents=True)
        result = CliRunner().invoke(app, [*args, str(target)], env={"NO_COLOR": "1"})
        output = result.stdout + result.stderr
    assert result.exit_code == 1, output
    assert "internal error" not in output and "Traceback" not in output
    assert f"{target}/" in result.stderr and "No space left on device" in result.stderr
    assert "the disk is full" in result.stderr or "the disk is not full" in result.stderr
    assert ".new" not in result.stderr  # the name of the unfinished copy is not shown
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == (["new", "new/place"] if args[0] == "project" else [])


def test_demo_without_dir_on_a_full_disk_leaves_no_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    full_disk(monkeypatch, 3)
    result = CliRunner().invoke(app, ["demo"], env={"NO_COLOR": "1"})
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("format", ["terminal", "markdown", "html", "json"])
@pytest.mark.parametrize("command", ["report", "portfolio"])
def test_a_report_replaces_its_own_previous_file_and_force_replaces_another(
    command: str, format: str, tmp_path: Path
) -> None:
    root = tmp_path / "proj"
    for rel, text in base_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    target = root / f"board.{format}"
    args = [command, str(root), "-f", format, "-o", str(target)]
    env = {"NO_COLOR": "1", "COLUMNS": "100"}
    assert CliRunner().invoke(app, args, env=env).exit_code == 0
    first = target.read_text(encoding="utf-8")
    target.write_text(first.replace("Falls", "Slips"), encoding="utf-8")  # still qi's
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8") == first
    target.write_text("minutes of the board meeting\n", encoding="utf-8")
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1 and "not a report qi wrote" in result.stderr
    assert target.read_text(encoding="utf-8") == "minutes of the board meeting\n"
    assert CliRunner().invoke(app, [*args, "--force"], env=env).exit_code == 0
    assert target.read_text(encoding="utf-8") == first
