"""`qi site` again on the same folder: only what changed is read and rewritten; and the
folders it refuses to build in."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import run
from tests.site_fixtures import library, project_files, snapshot, write_files


def _build(runner: CliRunner, root: Path, site: Path, *args: str) -> str:
    code, out, err = run(runner, "site", str(root), "-o", str(site), *args)
    assert code == 0, err
    return out


def test_nothing_changed_nothing_read_nothing_written(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    site = tmp_path / "site"
    _build(runner, root, site)
    before = snapshot(site)
    out = _build(runner, root, site)
    assert "0 read, 0 files written, 0 removed" in out
    assert snapshot(site) == before  # not one file touched, not even the manifest


def test_one_project_changed_only_its_page_and_the_pages_it_shows_on_are_rewritten(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = library(tmp_path)
    site = tmp_path / "site"
    _build(runner, root, site)
    before = snapshot(site)
    with open(root / "falls-ward-7/measures/falls.csv", "a", encoding="utf-8") as handle:
        handle.write("2026-03-30,9,350\n")  # a new latest value for the outcome
    out = _build(runner, root, site)
    assert "1 read" in out  # the other project is not even loaded
    after = snapshot(site)
    rewritten = sorted(k for k in after if after[k] != before.get(k))
    assert rewritten == [
        "index.html",  # its row shows the latest value
        "measures.html",
        "projects/falls-ward-7/index.html",
        "qi-site.json",
    ]
    assert (
        after["projects/community-falls/index.html"]
        == before["projects/community-falls/index.html"]
    )


def test_a_fresh_checkout_with_the_same_bytes_reads_nothing(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A CI checkout gives every file a new time; the bytes say nothing changed."""
    root = library(tmp_path)
    site = tmp_path / "site"
    _build(runner, root, site)
    for path in root.rglob("*"):
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    out = _build(runner, root, site)
    assert "0 read" in out


def test_a_new_similar_project_redraws_the_pages_that_now_link_to_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "projects"
    write_files(root / "a", project_files(title="Falls A"))
    ulcers = project_files(title="Pressure ulcers", aim="Halve pressure ulcers by March 2027")
    for name, words in (
        ("falls", "Falls per 1,000 bed days"),
        ("restraint", "Patients restrained"),
    ):
        ulcers[f"measures/{name}.yaml"] = ulcers[f"measures/{name}.yaml"].replace(
            f"name: {words}", f"name: Mattress audit {name}"
        )
    write_files(root / "b", ulcers)
    site = tmp_path / "site"
    _build(runner, root, site)
    assert "Falls C" not in (site / "projects/a/index.html").read_text(encoding="utf-8")
    write_files(root / "c", project_files(title="Falls C"))
    out = _build(runner, root, site)
    assert "2 read" in out  # the new project, and the one that gains it as similar
    assert "Falls C" in (site / "projects/a/index.html").read_text(encoding="utf-8")


def test_a_page_deleted_from_the_site_is_written_again(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    site = tmp_path / "site"
    _build(runner, root, site)
    (site / "projects/falls-ward-7/index.html").unlink()
    _build(runner, root, site)
    assert (site / "projects/falls-ward-7/index.html").is_file()


def test_a_folder_that_is_not_a_site_is_refused_unless_forced(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = library(tmp_path)
    other = tmp_path / "documents"
    other.mkdir()
    (other / "index.html").write_text("my own page", encoding="utf-8")
    code, _, err = run(runner, "site", str(root), "-o", str(other))
    assert code == 1
    assert "already has files in it and is not a site qi built" in err
    assert "--force" in err and "Traceback" not in err
    assert (other / "index.html").read_text(encoding="utf-8") == "my own page"
    code, _, err = run(runner, "site", str(root), "-o", str(other), "--force")
    assert code == 0, err
    assert "my own page" not in (other / "index.html").read_text(encoding="utf-8")


def test_an_empty_folder_is_used(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    (tmp_path / "empty").mkdir()
    assert run(runner, "site", str(root), "-o", str(tmp_path / "empty"))[0] == 0


def test_a_folder_inside_a_project_or_holding_the_projects_is_refused(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = library(tmp_path)
    for target, words in (
        (root / "falls-ward-7/measures/site", "inside the project"),
        (root / "falls-ward-7", "inside the project"),
        (root, "holds the projects"),
        (tmp_path, "holds the projects"),
    ):
        code, _, err = run(runner, "site", str(root), "-o", str(target), "--force")
        assert code == 1, target
        assert words in err, err
    assert not (root / "falls-ward-7/measures/site").exists()


def test_a_file_as_the_site_folder_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    (tmp_path / "site.txt").write_text("x", encoding="utf-8")
    code, _, err = run(runner, "site", str(root), "-o", str(tmp_path / "site.txt"))
    assert code == 1 and "is a file, not a folder" in err


def test_a_site_folder_in_a_missing_folder_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    code, _, err = run(runner, "site", str(root), "-o", str(tmp_path / "typo/site"))
    assert code == 1 and "no such folder" in err
    assert not (tmp_path / "typo").exists()


def test_no_projects_is_an_error(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "nothing").mkdir()
    code, _, err = run(runner, "site", str(tmp_path / "nothing"), "-o", str(tmp_path / "s"))
    assert code == 1 and "no qi projects here" in err


def test_a_similar_projects_new_title_reaches_the_pages_that_link_to_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "projects"
    write_files(root / "a", project_files(title="Falls A"))
    write_files(root / "b", project_files(title="Falls B"))
    site = tmp_path / "site"
    _build(runner, root, site)
    assert "Falls B" in (site / "projects/a/index.html").read_text(encoding="utf-8")
    project = root / "b/project.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace("title: Falls B", "title: Falls at night"),
        encoding="utf-8",
    )
    out = _build(runner, root, site)
    assert "2 read" in out
    text = (site / "projects/a/index.html").read_text(encoding="utf-8")
    assert "Falls at night" in text and "Falls B" not in text


def test_a_new_site_title_redraws_every_page(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    site = tmp_path / "site"
    _build(runner, root, site)
    _build(runner, root, site, "--title", "Ward 7 improvement library")
    text = (site / "projects/falls-ward-7/index.html").read_text(encoding="utf-8")
    assert "Ward 7 improvement library" in text
