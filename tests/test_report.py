"""`qi report` in every format, `qi portfolio`, and `qi project score`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import CYCLE_YAML, LOGGED_YAML, PROJECT_YAML, WriteProject, run
from tests.goldens import check_golden

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "report-schema.json"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return create_project(
        tmp_path, "Rib fracture pathway", template="example", folder_name="rib-fracture-pathway"
    )


def test_json_report_tells_the_story(example: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "report", str(example), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "qi-report/1"
    assert data["project"]["title"] == "Rib fracture pathway"
    assert data["project"]["progress_score"] == 3.5
    assert data["project"]["progress_label"] == "improvement"
    aim = data["aim"]
    assert aim["outcome_measure"] == "length-of-stay"
    assert aim["latest"] == {"date": "2026-11-02", "value": 5.0}  # last row of the CSV
    assert aim["met"] is True  # 5.0 days <= target 5.5, lower is better
    los = next(m for m in data["measures"] if m["id"] == "length-of-stay")
    assert los["method"] == "mdc"
    assert los["variation_icon"] == "improvement_low"
    assert "shift" in los["signals"]
    assert any(
        line.startswith("Shift: 29 points in a row below the mean") for line in los["explanations"]
    )
    changes = {c["id"]: c for c in data["changes"]}
    assert changes["auto-physio-referral"]["status"] == "adopted"
    assert [c["number"] for c in changes["auto-physio-referral"]["cycles"]] == [1, 2, 4, 6]
    assert changes["spirometer-in-ed"]["status"] == "abandoned"
    assert changes["early-block-review"]["status"] == "testing"
    assert data["next_steps"] and data["next_steps"][0]["cycle"] == 9
    assert len(data["learning"]) == 9


def test_json_report_matches_documented_schema(example: Path, runner: CliRunner) -> None:
    _, out, _ = run(runner, "report", str(example), "--format", "json")
    data = json.loads(out)
    schema = json.loads(SCHEMA.read_text())
    _check(schema, data, "report")


def _check(schema: dict, value: object, where: str) -> None:
    """A small draft-07 subset validator: type, required, properties, items, enum."""
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        ok = {
            "object": dict,
            "array": list,
            "string": str,
            "boolean": bool,
            "null": type(None),
            "integer": int,
            "number": (int, float),
        }
        assert any(
            isinstance(value, ok[t])
            and not (t in ("integer", "number") and isinstance(value, bool))
            for t in names
        ), f"{where}: {value!r} is not {names}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(sub, value[key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, f"{where}[{i}]")


def test_markdown_report_golden(
    example: Path, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    code, out, err = run(runner, "report", str(example), "--format", "markdown", "--width", "100")
    assert code == 0, err
    out = out.replace(dt.date.today().isoformat(), "TODAY")
    assert "```mermaid" in out and "flowchart RL" in out
    assert "\x1b[" not in out
    check_golden("report/example.md", out, request)


def test_terminal_report_golden(
    example: Path, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    code, out, err = run(runner, "report", str(example), "--width", "100")
    assert code == 0, err
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 100
    check_golden("report/example-terminal.txt", out, request)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_self_contained(example: Path, runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _, err = run(runner, "report", str(example), "--format", "html", "-o", str(target))
    assert code == 0, err
    assert "wrote" in err
    html = target.read_text()
    parser = _Collect()
    parser.feed(html)
    # a chart per measure, the driver diagram, the outcome measure's two icons, and the
    # fishbone, the process map now and redesigned, the Pareto chart and the stakeholders
    assert parser.tags.count("svg") == 4 + 1 + 2 + 5
    assert parser.tags.count("h2") >= 6
    # no external requests: no scripts, links, images or remote URLs
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    for _, attrs in parser.attrs:
        for name, value in attrs.items():
            if name in ("src", "href"):
                raise AssertionError(f"external reference {name}={value}")
    # every chart has a text alternative
    svgs = [a for t, a in parser.attrs if t == "svg"]
    assert all(
        a.get("role") == "img" and (a.get("aria-label") or a.get("aria-labelledby")) for a in svgs
    )
    ids = [a["id"] for _, a in parser.attrs if "id" in a]
    assert len(ids) == len(set(ids)), "an element id is used twice on the page"
    assert "@page { size: A4" in html
    text = " ".join(parser.text)
    assert "Shift: 29 points in a row below the mean" in text
    assert "Automatic physio referral from ED" in text


def test_html_report_screenshot(example: Path, tmp_path: Path) -> None:
    """Render the HTML in headless Chromium and check the picture is not blank."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from qi_cli.files.loader import load_project
    from qi_cli.render.html import render_report
    from qi_cli.render.svg import svg_for
    from qi_cli.reports.report import analyse_all, build_report
    from qi_cli.validate import validate_project

    p = load_project(example)
    analyses = analyse_all(p)
    html = render_report(
        build_report(p, validate_project(p), analyses=analyses), lambda mid: svg_for(analyses[mid])
    )  # type: ignore[arg-type]
    page = tmp_path / "r.html"
    page.write_text(html)
    shot = tmp_path / "r.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1000,1800",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


def test_since_reports_what_changed(example: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "report", str(example), "--format", "json", "--since", "2026-09-01")
    assert code == 0
    changed = json.loads(out)["changed_since"]
    assert changed["new_cycles"] == [9]
    # weekly data on Mondays from 2026-09-07 to 2026-11-02: 9 weeks
    assert changed["new_points"]["length-of-stay"] == 9
    code, _, err = run(runner, "report", str(example), "--since", "last week")
    assert code == 2
    assert "--since: 'last week' is not a date" in err


def test_report_usage_and_broken_project(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project()
    code, _, err = run(runner, "report", str(root), "--format", "pdf")
    assert code == 2
    assert "unknown format 'pdf'" in err
    broken = write_project({"project.yaml": "format: 1\ntitle: x\n"}, name="broken")
    code, _, err = run(runner, "report", str(broken))
    assert code == 1
    assert "the project file has errors" in err
    assert "Traceback" not in err


def test_report_in_git_knows_when_cycles_were_planned(example: Path, runner: CliRunner) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(example), *args],
            check=True,
            capture_output=True,
            env={
                "GIT_AUTHOR_DATE": "2026-02-01T10:00:00",
                "GIT_COMMITTER_DATE": "2026-02-01T10:00:00",
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@x",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@x",
                "PATH": "/usr/bin:/bin",
            },
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "example")
    code, out, _ = run(runner, "report", str(example), "--format", "json")
    assert code == 0
    first = json.loads(out)["cycles"][0]
    assert first["git"]["added"] == "2026-02-01"
    # cycle #1's test started 2026-02-09, after the file was committed
    assert first["git"]["predictions_before_test"] is True


def test_project_score_appends_and_keeps_comments(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"project.yaml": "# charter, kept by hand\n" + PROJECT_YAML})
    code, out, err = run(
        runner,
        "project",
        "score",
        "2.5",
        "--note",
        "first tests done",
        "--date",
        "2026-03-01",
        "-p",
        str(root),
    )
    assert code == 0, err
    assert "progress 2.5 changes tested, but no improvement (was 1)" in out
    text = (root / "project.yaml").read_text()
    assert text.startswith("# charter, kept by hand\n" + PROJECT_YAML)
    assert yaml.safe_load(text)["progress"][-1] == {
        "date": dt.date(2026, 3, 1),
        "score": 2.5,
        "note": "first tests done",
    }
    before = text
    code, _, err = run(runner, "project", "score", "3.3", "-p", str(root))
    assert code == 2
    assert "not on the IHI progress scale" in err
    code, _, err = run(runner, "project", "score", "3.0", "--date", "2026-02-01", "-p", str(root))
    assert code == 1
    assert "before the last progress entry" in err
    assert (root / "project.yaml").read_text() == before


def test_portfolio_lists_every_project_and_survives_a_broken_one(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path, example: Path
) -> None:
    write_project(name="falls")
    write_project(
        {"project.yaml": PROJECT_YAML.replace("status: active", "status: completed")}, name="done"
    )
    write_project({"measures/falls.yaml": "name: [broken\n"}, name="broken")
    code, out, err = run(runner, "portfolio", str(tmp_path), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    rows = {Path(p["path"]).name: p for p in data["projects"]}
    assert set(rows) == {"falls", "done", "broken", "rib-fracture-pathway"}
    assert rows["broken"]["errors"] == 1
    assert rows["falls"]["errors"] == 0
    rib = rows["rib-fracture-pathway"]
    assert (rib["cycles"], rib["adopted"], rib["abandoned"], rib["testing"]) == (9, 1, 1, 1)
    assert rib["outcome"]["latest"] == 5.0 and rib["outcome"]["target"] == 5.5
    assert rib["outcome"]["variation"] == "improvement_low"
    assert rib["last_cycle"] == "2026-10-05"
    assert rib["progress_change"] == 0.5  # 3.0 -> 3.5
    code, out, _ = run(
        runner, "portfolio", str(tmp_path), "--format", "json", "--status", "completed"
    )
    assert [Path(p["path"]).name for p in json.loads(out)["projects"]] == ["done"]
    code, out, _ = run(runner, "portfolio", str(tmp_path), "--format", "json", "--sort", "errors")
    assert Path(json.loads(out)["projects"][0]["path"]).name == "broken"
    code, out, _ = run(runner, "portfolio", str(tmp_path), "--format", "markdown")
    assert "## Making Data Count summary" in out
    assert (
        "| Rib fracture pathway | Mean length of stay, rib fracture admissions | outcome |" in out
    )
    code, _, err = run(runner, "portfolio", str(tmp_path), "--sort", "colour")
    assert code == 2
    code, _, err = run(runner, "portfolio", str(tmp_path / "none"))
    assert code == 1


def test_portfolio_stale_filter(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    write_project(name="a")
    _, out, _ = run(runner, "portfolio", str(tmp_path), "--format", "json", "--stale", "30")
    # the only cycle is dated 2026-02-02, long before today
    assert len(json.loads(out)["projects"]) == 1
    _code, out, _ = run(runner, "portfolio", str(tmp_path), "--format", "json", "--stale", "100000")
    assert json.loads(out)["projects"] == []


def test_portfolio_cache_follows_file_changes(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QI_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(name="a")
    _, out, _ = run(runner, "portfolio", str(root.parent), "--format", "json")
    assert json.loads(out)["projects"][0]["errors"] == 0
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1
    # a change to any file of the project is seen on the next run
    (root / "measures" / "falls.yaml").write_text("name: [broken\n")
    _, out, _ = run(runner, "portfolio", str(root.parent), "--format", "json")
    assert json.loads(out)["projects"][0]["errors"] == 1
    _, out, _ = run(runner, "portfolio", str(root.parent), "--format", "json", "--no-cache")
    assert json.loads(out)["projects"][0]["errors"] == 1


def test_report_does_not_call_too_few_points_common_cause(
    write_project: WriteProject, runner: CliRunner
) -> None:
    from tests.conftest import weekly_csv

    root = write_project({"measures/restraint.csv": weekly_csv([4, 5, 3])})
    _, out, _ = run(runner, "report", str(root), "--format", "json")
    restraint = next(m for m in json.loads(out)["measures"] if m["id"] == "restraint")
    assert restraint["variation"] == "too_few_points"
    _, out, _ = run(runner, "report", str(root), "--format", "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| Patients restrained"))
    assert "too few points" in row and "common cause: no signal" not in row


def test_output_into_a_missing_folder_is_refused(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    code, _, err = run(
        runner, "report", str(example), "-f", "html", "-o", str(tmp_path / "typo" / "r.html")
    )
    assert code == 1
    assert "no such folder" in err
    assert not (tmp_path / "typo").exists()
    code, _, err = run(runner, "report", str(example), "-o", str(tmp_path))
    assert code == 1
    assert "is a folder" in err


def test_json_outputs_validate_against_their_draft07_schemas(
    example: Path, write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    """The documented schemas (docs/*-schema.json) hold for real output, broken projects too."""
    jsonschema = pytest.importorskip("jsonschema")
    docs = Path(__file__).resolve().parent.parent / "docs"
    _, out, _ = run(runner, "report", str(example), "--format", "json", "--since", "2026-06-01")
    report_schema = json.loads((docs / "report-schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(report_schema)
    jsonschema.validate(json.loads(out), report_schema, cls=jsonschema.Draft7Validator)
    write_project({"measures/falls.yaml": "name: [broken\n"}, name="broken")
    write_project(name="falls")
    _, out, _ = run(runner, "portfolio", str(tmp_path), "--format", "json")
    data = json.loads(out)
    assert len(data["projects"]) == 3
    portfolio_schema = json.loads((docs / "portfolio-schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(portfolio_schema)
    jsonschema.validate(data, portfolio_schema, cls=jsonschema.Draft7Validator)


# --- predictions first: a mark per cycle in every format -------------------------------------

MARKED_CYCLES = {
    # planned on 2026-01-30, tested from 2026-02-02: predictions first
    "cycles/2026-02-02-night-lights-a1b2.yaml": CYCLE_YAML.replace(
        "plan:\n", "created: 2026-01-30\nplan:\n"
    )
    + LOGGED_YAML,
    # written up on 2026-02-20 for a test started 2026-02-09: after
    "cycles/2026-02-09-night-lights-c3d4.yaml": CYCLE_YAML.replace(
        "plan:\n", "follows: 2026-02-02-night-lights-a1b2\ncreated: 2026-02-20\nplan:\n"
    ).replace("2026-02-0", "2026-02-1")
    + LOGGED_YAML.replace("2026-02-02", "2026-02-09").replace("2026-02-03", "2026-02-10"),
    # planned, not tested yet: unknown
    "cycles/2026-02-16-night-lights-e5f6.yaml": CYCLE_YAML.replace(
        "plan:\n", "follows: 2026-02-09-night-lights-c3d4\ncreated: 2026-02-12\nplan:\n"
    ).replace("2026-02-0", "2026-02-1"),
}


def _cycles_section(text: str, start: str, end: str) -> str:
    return start + text.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize(
    ("fmt", "start", "end"),
    [
        ("terminal", "Change ideas and PDSA cycles", "What we learned"),
        ("markdown", "## Change ideas and PDSA cycles", "## What we learned"),
        ("html", "<h2>Change ideas and PDSA cycles</h2>", "<h2>What we learned</h2>"),
    ],
)
def test_predictions_first_marks_golden(
    fmt: str,
    start: str,
    end: str,
    write_project: WriteProject,
    runner: CliRunner,
    request: pytest.FixtureRequest,
) -> None:
    root = write_project(MARKED_CYCLES)
    args = ["--format", fmt] if fmt != "terminal" else []
    code, out, err = run(runner, "report", str(root), "--width", "100", *args)
    assert code == 0, err
    section = _cycles_section(out, start, end)
    for mark in ("✓", "✗", "?"):
        assert mark in section
    assert "Predictions first:" in section  # the legend
    suffix = {"terminal": "txt", "markdown": "md", "html": "html"}[fmt]
    check_golden(f"report/predictions-first.{suffix}", section, request)


def test_predictions_first_in_json_golden(
    write_project: WriteProject, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    root = write_project(MARKED_CYCLES)
    code, out, err = run(runner, "report", str(root), "--format", "json")
    assert code == 0, err
    cycles = [
        {"number": c["number"], "short_id": c["short_id"], **c["predictions_first"]}
        for c in json.loads(out)["cycles"]
    ]
    assert [c["verdict"] for c in cycles] == ["before", "after", "unknown"]
    check_golden("report/predictions-first.json", json.dumps(cycles, indent=2) + "\n", request)


def test_report_in_git_asks_git_a_fixed_number_of_times(
    example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "example"]):
        subprocess.run(["git", "-C", str(example), *args], check=True, capture_output=True, env=env)
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        if args[:1] == ["git"]:
            calls.append(args)
        return real_run(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "run", counting_run)
    code, out, _ = run(runner, "report", str(example), "--format", "json")
    assert code == 0
    judged = [c for c in json.loads(out)["cycles"] if c["predictions_first"]["source"] == "git"]
    assert len(judged) >= 3  # asking git per cycle would take two commands each
    # two for the files' first and last commits, three for every cycle's versions
    assert len(calls) == 5


def test_a_held_answer_without_a_prediction_is_not_counted(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    """A file written before `qi cycle log` refused it holds `held: yes` for a question
    with no prediction: no format counts it as a prediction that held; the file stays."""
    two = CYCLE_YAML.replace(
        "  start: 2026-02-02\n",
        "    - question: Will the night staff notice?\n  start: 2026-02-02\n",
        1,
    )
    logged = LOGGED_YAML.replace("      held: true\n", "      held: true\n    - held: yes\n")
    no_prediction = CYCLE_YAML.replace("      prediction: Yes, 3 of 4 patients\n", "")
    root = write_project(
        {
            "cycles/2026-02-02-night-lights-a1b2.yaml": two + logged,
            "cycles/2026-02-09-night-lights-c3d4.yaml": no_prediction.replace(
                "2026-02-0", "2026-02-1"
            )
            + LOGGED_YAML,
        }
    )
    before = (root / "cycles/2026-02-02-night-lights-a1b2.yaml").read_text(encoding="utf-8")
    code, markdown, _ = run(runner, "report", str(root), "-f", "markdown")
    assert code == 0
    rows = [line for line in markdown.splitlines() if line.startswith("| #")]
    assert "| 1 of 1 | adapt |" in rows[0], rows  # was "2 of 2": one question predicted nothing
    assert "| no predictions | adapt |" in rows[1], rows  # was "1 of 1"
    out = tmp_path / "report.html"
    code, _, _ = run(runner, "report", str(root), "-f", "html", "-o", str(out))
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "2 of 2" not in page and "no predictions" in page
    code, text, _ = run(runner, "report", str(root), "-f", "json")
    predictions = json.loads(text)["cycles"][1]["predictions"]
    assert predictions[0]["prediction"] is None and predictions[0]["held"] == "yes"  # as recorded
    assert (root / "cycles/2026-02-02-night-lights-a1b2.yaml").read_text(encoding="utf-8") == before


BROKEN_CYCLE = "cycles/2026-03-02-night-lights-e5f6.yaml"


@pytest.mark.parametrize(
    ("fmt", "start", "end"),
    [
        ("terminal", "Change ideas and PDSA cycles", "What we learned"),
        ("markdown", "## Change ideas and PDSA cycles", "## What we learned"),
        ("html", "<h2>Change ideas and PDSA cycles</h2>", "<h2>What we learned</h2>"),
    ],
)
def test_a_cycle_file_that_cannot_be_read_is_said_where_its_cycle_would_be(
    write_project: WriteProject, runner: CliRunner, fmt: str, start: str, end: str
) -> None:
    """Its change idea showed "No cycles yet" (or only its other cycles), the decision
    out of view; the error was only in the data quality list. The report still exits 0,
    as for every broken file but project.yaml."""
    broken = CYCLE_YAML.replace("  start: 2026-02-02\n", "  start: 2026-02-30\n")
    root = write_project({BROKEN_CYCLE: broken + LOGGED_YAML})
    code, out, _ = run(runner, "report", str(root), "-f", fmt, "--width", "200")
    assert code == 0
    section = " ".join(_cycles_section(out, start, end).split())
    assert (
        "1 cycle file could not be read: cycles/2026-03-02-night-lights-e5f6.yaml:10: "
        "plan.start: Input should be a valid date"
    ) in section, section
    assert "#1 a1b2" in section  # the change idea's other cycle is still listed


def test_a_cycle_file_whose_change_cannot_be_read_is_said_with_the_cycles(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({BROKEN_CYCLE: "change: [night-lights\n"})
    code, out, _ = run(runner, "report", str(root), "-f", "json")
    assert code == 0
    data = json.loads(out)
    (unread,) = data["unread_cycles"]
    assert unread["file"] == "cycles/2026-03-02-night-lights-e5f6.yaml"
    assert unread["changes"] == [] and all(c["unread_cycles"] == [] for c in data["changes"])
    code, out, _ = run(runner, "report", str(root), "-f", "markdown")
    section = _cycles_section(out, "## Change ideas and PDSA cycles", "## What we learned")
    assert "1 cycle file could not be read: cycles/2026-03-02-night-lights-e5f6.yaml:" in section


def test_a_narrow_terminal_folds_the_unread_file_name_rather_than_cutting_it(
    write_project: WriteProject, runner: CliRunner
) -> None:
    """At 80 columns the name is longer than its column: its line number must survive."""
    broken = CYCLE_YAML.replace("  start: 2026-02-02\n", "  start: 2026-02-30\n")
    root = write_project({BROKEN_CYCLE: broken + LOGGED_YAML})
    code, out, _ = run(runner, "report", str(root), "--width", "80")
    assert code == 0
    section = _cycles_section(out, "Change ideas and PDSA cycles", "What we learned")
    cells = "".join(line.rstrip().split("  ")[-1].strip() for line in section.splitlines())
    assert f"{BROKEN_CYCLE}:10:" in cells.replace(" ", ""), section
