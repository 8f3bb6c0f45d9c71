"""docs/site.md and the site's CI job in docs/ci.md stay true."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from tests.conftest import run
from tests.test_docs import DOCS, REPO, code_blocks, shell_env


def _site_workflow() -> dict[Any, Any]:
    (workflow,) = [b for b in code_blocks(DOCS / "ci.md", "yaml") if "  site:" in b]
    data: dict[Any, Any] = yaml.safe_load(workflow)
    return data


def _repository(runner: CliRunner, tmp_path: Path) -> Path:
    """A repository with the example project, made public."""
    repo = tmp_path / "repo"
    (repo / "projects").mkdir(parents=True)
    code, _, err = run(
        runner, "project", "new", "Rib fracture pathway", "--template", "example",
        "--dir", str(repo / "projects"),
    )  # fmt: skip
    assert code == 0, err
    (project,) = (repo / "projects").glob("*/project.yaml")
    project.write_text(
        project.read_text(encoding="utf-8").replace(
            "format: 1\n", "format: 1\nvisibility: public\n"
        ),
        encoding="utf-8",
    )
    return repo


def _run_qi_steps(script_steps: list[str], repo: Path, tmp_path: Path) -> int:
    ran = 0
    for script in script_steps:
        if not script.lstrip().startswith("qi "):
            continue  # installing qi and publishing need the network
        result = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", script],
            cwd=repo,
            env=shell_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        ran += 1
    return ran


def test_the_github_pages_job_builds_a_public_site(runner: CliRunner, tmp_path: Path) -> None:
    workflow = _site_workflow()
    trigger: Any = workflow.get("on", workflow.get(True))  # PyYAML reads `on` as True
    assert trigger["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["site"]["steps"]
    uploads = [s for s in steps if "upload-pages-artifact" in s.get("uses", "")]
    build = next(s["run"] for s in steps if s.get("name") == "Build the site")
    assert "--audience public" in build
    repo = _repository(runner, tmp_path)
    assert _run_qi_steps([s.get("run", "") for s in steps], repo, tmp_path) == 1
    site = repo / uploads[0]["with"]["path"]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Rib fracture pathway" in index and "Our QI projects" in index


def test_the_gitlab_pages_job_builds_into_public(runner: CliRunner, tmp_path: Path) -> None:
    (job,) = [b for b in code_blocks(DOCS / "site.md", "yaml") if "pages:" in b]
    pages = yaml.safe_load(job)["pages"]
    repo = _repository(runner, tmp_path)
    assert _run_qi_steps(pages["script"], repo, tmp_path) == 1
    assert pages["artifacts"]["paths"] == ["public"]
    assert (repo / "public/index.html").is_file()


def test_the_readme_and_site_page_link_to_each_other_and_to_real_images() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/site.md" in readme
    text = (DOCS / "site.md").read_text(encoding="utf-8")
    for image in ("images/site-library.png", "images/site-project.png"):
        assert f"]({image})" in text
        assert (DOCS / image).is_file(), image
