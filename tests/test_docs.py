"""The documentation stays true: the CI example and the pre-commit hook run."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import run

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def code_blocks(path: Path, language: str) -> list[str]:
    return [
        body for lang, body in FENCE.findall(path.read_text(encoding="utf-8")) if lang == language
    ]


def shell_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment a user's shell has: qi on PATH, no colour, a fixed width."""
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "HOME": str(tmp_path / "home"),
        **extra,
    }


@pytest.fixture
def portfolio(runner: CliRunner, tmp_path: Path) -> Path:
    """A repository of projects: the example project and a new blank one."""
    repo = tmp_path / "repo"
    (repo / "projects").mkdir(parents=True)
    for args in (("Rib fracture pathway", "--template", "example"), ("Falls on ward 7",)):
        code, _, err = run(runner, "project", "new", *args, "--dir", str(repo / "projects"))
        assert code == 0, err
    return repo


# --- pre-commit ------------------------------------------------------------------------


def test_pre_commit_hook_manifest() -> None:
    hooks: list[dict[str, Any]] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "qi-validate"
    assert hook["entry"] == "qi validate ."
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in ("project.yaml", "cycles/2026-02-02-a.yaml", "drivers.yml", "measures/los.csv"):
        assert files.search(name), name
    for name in ("README.md", "notes.txt", "yaml"):
        assert not files.search(name), name


def test_pre_commit_hook_runs_from_the_repository_root(
    portfolio: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    program, *args = shlex.split(hook["entry"])
    assert program == "qi"
    monkeypatch.chdir(portfolio)  # pre-commit runs hooks from the top of the repository
    code, out, _ = run(runner, *args)
    assert code == 0, out
    assert "2 projects: 0 errors" in out
    broken = portfolio / "projects" / "falls-on-ward-7" / "project.yaml"
    broken.write_text(broken.read_text().replace("status: planning", "status: plannig"))
    code, out, _ = run(runner, *args)
    assert code == 1
    assert "projects/falls-on-ward-7/project.yaml:" in out and "plannig" in out


# --- GitHub Actions (docs/ci.md) --------------------------------------------------------


def ci_workflow() -> dict[Any, Any]:
    (workflow,) = [b for b in code_blocks(DOCS / "ci.md", "yaml") if "  validate:" in b]
    data: dict[Any, Any] = yaml.safe_load(workflow)
    return data


def test_ci_workflow_runs_on_pull_requests() -> None:
    workflow = ci_workflow()
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on"
    trigger: Any = workflow.get("on", workflow.get(True))
    assert "pull_request" in trigger
    steps = workflow["jobs"]["validate"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "qi validate ." in runs
    assert 'qi portfolio . --format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert "gh pr comment" in runs


def test_ci_workflow_commands_run(portfolio: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = shell_env(tmp_path, GITHUB_STEP_SUMMARY=str(summary))
    steps = ci_workflow()["jobs"]["validate"]["steps"]
    ran = 0
    for step in steps:
        script = step.get("run", "")
        if "gh pr comment" in script:  # posting to GitHub needs the network: run the qi part
            script = "\n".join(line for line in script.splitlines() if line.startswith("qi "))
        if not script.lstrip().startswith("qi "):
            continue  # installing qi needs the network
        if "jq " in script and shutil.which("jq") is None:
            continue
        result = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", script],
            cwd=portfolio,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, (step["name"], result.stderr)
        assert "Traceback" not in result.stderr
        ran += 1
    assert ran >= 2
    text = summary.read_text()
    assert text.startswith("# QI portfolio")
    assert "Rib fracture pathway" in text and "Making Data Count" in text


# --- docs/statistics.md ----------------------------------------------------------------


def test_statistics_runs_table_is_what_qi_computes() -> None:
    from qi_cli.stats import crossings_min, longest_run_max, runs_limits

    text = (DOCS / "statistics.md").read_text(encoding="utf-8")
    table = text.split("<!-- runs-table: start -->")[1].split("<!-- runs-table: end -->")[0]
    rows = [line.strip("|").split("|") for line in table.strip().splitlines()[2:]]
    assert len(rows) >= 8
    for row in rows:
        n, longest, crossings, low, high = (int(cell) for cell in row)
        assert (longest, crossings) == (longest_run_max(n), crossings_min(n)), n
        assert (low, high) == runs_limits(n), n


def test_statistics_data_needs_are_what_qi_uses() -> None:
    from qi_cli.thresholds import BASELINE_MIN, RUNS_MIN_USEFUL, SHORT_GROUP

    text = (DOCS / "statistics.md").read_text(encoding="utf-8")
    assert f"| {RUNS_MIN_USEFUL} useful points |" in text
    assert f"| {BASELINE_MIN} baseline points |" in text
    assert f"| {SHORT_GROUP} points in each rebase group |" in text
    for reference in ("Anhøj J, Olesen AV", "Perla RJ, Provost LP, Murray SK", "Laney DB"):
        assert reference in text


# --- docs/cli.md and every command's help -----------------------------------------------


def load_gen_cli() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current() -> None:
    gen_cli = load_gen_cli()
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == gen_cli.render(), "docs/cli.md is stale: run python docs/gen_cli.py"


def test_gen_cli_check_mode(capsys: pytest.CaptureFixture[str]) -> None:
    gen_cli = load_gen_cli()
    assert gen_cli.main(["--check"]) == 0
    assert gen_cli.main(["--bogus"]) == 2


def leaf_commands() -> list[tuple[str, ...]]:
    gen_cli = load_gen_cli()
    return [path for path, command in gen_cli.commands() if path and not gen_cli.is_group(command)]


def test_every_command_is_found() -> None:
    found = {" ".join(path) for path in leaf_commands()}
    mine = {"validate", "explain", "schema", "project new"}
    assert mine <= found
    assert len(found) >= 8


@pytest.mark.parametrize("path", leaf_commands(), ids=" ".join)
def test_every_command_help_has_an_example(path: tuple[str, ...], runner: CliRunner) -> None:
    code, out, _ = run(runner, *path, "--help")
    assert code == 0
    assert "Example" in out, f"`qi {' '.join(path)} --help` has no Example"
    after = " ".join(out.split("Example", 1)[1].split())
    assert f"qi {' '.join(path)}" in after, "the example should show the command itself"


# --- docs/tutorial.md -------------------------------------------------------------------

BLOCK = re.compile(r"^```([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def tutorial_blocks() -> list[tuple[str, dict[str, str], str]]:
    """(language, attributes, body) of every fenced block, in order."""
    blocks = []
    for info, body in BLOCK.findall((DOCS / "tutorial.md").read_text(encoding="utf-8")):
        language, *rest = info.split() or [""]
        attributes = dict(item.split("=", 1) for item in rest)
        blocks.append((language, attributes, body))
    return blocks


def replace_top_level_keys(text: str, snippet: str) -> str:
    """Replace each top-level `key:` block of `text` with the one in `snippet`."""
    lines = text.splitlines(keepends=True)
    for block in re.split(r"(?m)^(?=\S)", snippet):
        if not block.strip():
            continue
        key = block.split(":", 1)[0]
        start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        end = start + 1
        while end < len(lines) and lines[end].startswith(" "):
            end += 1
        lines[start:end] = [block if block.endswith("\n") else block + "\n"]
    return "".join(lines)


# A cycle id in the tutorial (`3f9a`: four hex digits, a letter and a digit among them);
# qi picks each new cycle's id at random, so the test learns which id stands for which.
SAMPLE_ID = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{4}\b")


def match_learning_ids(expected: str, output: str, ids: dict[str, str]) -> bool:
    """Is `expected` in `output`, reading the tutorial's cycle ids as the real ones?
    Ids met for the first time are learned into `ids`."""
    pattern, names, position = "", [], 0
    for found in SAMPLE_ID.finditer(expected):
        pattern += re.escape(expected[position : found.start()])
        sample = found.group()
        pattern += re.escape(ids[sample]) if sample in ids else "([0-9a-f]{4})"
        if sample not in ids:
            names.append(sample)
        position = found.end()
    pattern += re.escape(expected[position:])
    match = re.search(pattern, output)
    if match is None:
        return False
    for sample, real in zip(names, match.groups(), strict=True):
        ids.setdefault(sample, real)
    return True


def test_tutorial_runs_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    env = shell_env(tmp_path)
    last_output: str | None = None
    commands = 0
    ids: dict[str, str] = {}  # a cycle id the tutorial shows -> the one qi printed
    for language, attributes, body in tutorial_blocks():
        if language == "sh":
            last_output = ""
            for line in body.splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if line.startswith("cd "):
                    folder = folder / line[3:].strip()
                    assert folder.is_dir(), line
                    continue
                for sample, real in ids.items():
                    line = re.sub(rf"\b{sample}\b", real, line)
                result = subprocess.run(
                    ["bash", "-c", line],
                    cwd=folder,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                output = result.stdout + result.stderr
                assert result.returncode == 0, (line, output)
                assert "Traceback" not in output and "internal error" not in output, line
                last_output += output
                commands += 1
        elif language == "text" and last_output is not None:
            for expected in body.splitlines():
                assert match_learning_ids(expected.strip(), last_output, ids), (
                    expected,
                    last_output,
                )
            last_output = None
        elif "file" in attributes:
            (folder / attributes["file"]).write_text(body, encoding="utf-8")
        elif "replace" in attributes:
            target = folder / attributes["replace"]
            target.write_text(replace_top_level_keys(target.read_text(), body))
    assert commands >= 15
    assert (folder / "falls-report.html").is_file()


# --- README.md and the CI script ---------------------------------------------------------


def test_readme_install_leaves_qi_on_the_path_and_ci_runs_it_as_written() -> None:
    install, tests = code_blocks(REPO / "README.md", "sh")[:2]
    install, tests = install.strip(), tests.strip()
    # the one-liner activates the environment, so the `qi` of the tutorial is found
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert " && . .venv/bin/activate && qi demo" in install
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert f"{install} || exit 1" in script
    assert f"{tests} || exit 1" in script


def test_the_tutorial_starts_by_checking_the_install() -> None:
    language, _, body = tutorial_blocks()[0]
    assert (language, body.strip()) == ("sh", "qi --version")
    assert ". .venv/bin/activate" in (DOCS / "tutorial.md").read_text(encoding="utf-8")
