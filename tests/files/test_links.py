"""A link never makes qi read outside the project (issue 20, point 1).

A shared repository can hold links (git stores them): `measures/x.csv -> /etc/passwd`
made `qi validate` quote the password file as unknown columns, and a cycle linked to a
secret printed every line of it as an unknown key. Every file and folder qi reads is
refused, naming the link, when it resolves outside the project; the target's content
never appears in any output.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.cli import app
from qi_cli.cli.complete import complete_change, complete_measure
from qi_cli.errors import QiError
from qi_cli.files.disk import read_text, refuse_link_outside
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.project_folder import list_files
from tests.conftest import DRIVERS_YAML, MEASURE_YAML, PROJECT_YAML, WriteProject, weekly_csv

SECRET = "root:$6$s3cr3tHash:19000:0:99999:7:::"
PASSWD = "root:x:0:0:root:/root:/bin/bash"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, holding what must never be read through it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "shadow").write_text(f"{SECRET}\nbin:*:19000:0:99999:7:::\n", encoding="utf-8")
    (folder / "passwd").write_text(f"{PASSWD}\n", encoding="utf-8")
    return folder


def link(root: Path, rel: str, target: Path) -> None:
    path = root / rel
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def assert_nothing_leaks(*texts: str) -> None:
    for text in texts:
        assert "s3cr3tHash" not in text and "root:x:0:0" not in text and "elsewhere" not in text


def test_a_measure_linked_to_the_password_file_is_refused(
    write_project: WriteProject, outside: Path
) -> None:
    root = write_project()
    link(root, "measures/falls.csv", outside / "passwd")
    code, out, err = invoke("validate", str(root))
    assert code == 1
    assert "measures/falls.csv: error: a link that leads outside the project" in out
    assert "unknown column" not in out
    assert_nothing_leaks(out, err)


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
def test_the_issues_own_case_etc_passwd(write_project: WriteProject) -> None:
    root = write_project()
    link(root, "measures/falls.csv", Path("/etc/passwd"))
    code, out, err = invoke("validate", str(root))
    assert code == 1
    assert "a link that leads outside the project" in out
    assert ":/bin/" not in out + err and "root:" not in out + err


def test_a_cycle_linked_to_a_secret_never_reaches_the_html_report(
    write_project: WriteProject, outside: Path, tmp_path: Path
) -> None:
    root = write_project()
    link(root, "cycles/2026-01-01-x-0000.yaml", outside / "shadow")
    page = tmp_path / "report.html"
    code, out, err = invoke("report", "--format", "html", "-o", str(page), str(root))
    assert code == 0, err  # the report is made; the link is among its problems
    html = page.read_text(encoding="utf-8")
    assert "cycles/2026-01-01-x-0000.yaml" in html
    assert "a link that leads outside the project" in html
    assert "unknown key" not in html
    assert_nothing_leaks(out, err, html)
    for fmt in ("markdown", "json", "terminal"):
        code, out, err = invoke("report", "--format", fmt, str(root))
        assert code == 0, err
        assert_nothing_leaks(out, err)


@pytest.mark.parametrize(
    "rel",
    ["project.yaml", "drivers.yaml", "fishbone.yaml", "process.yaml", "stakeholders.yaml"],
)
def test_a_project_file_linked_outside_is_refused(
    write_project: WriteProject, outside: Path, rel: str
) -> None:
    root = write_project()
    link(root, rel, outside / "shadow")
    code, out, err = invoke("validate", str(root))
    assert code == 1
    assert f"{rel}: error: a link that leads outside the project" in out
    assert_nothing_leaks(out, err)


def test_commands_stop_at_a_linked_project_file(write_project: WriteProject, outside: Path) -> None:
    root = write_project()
    link(root, "drivers.yaml", outside / "shadow")
    for args in (["drivers"], ["change", "list"], ["cycle", "list"]):
        code, out, err = invoke(*args, "-p", str(root))
        assert code == 1, args
        assert "drivers.yaml: a link that leads outside the project" in err
        assert len(err.strip().splitlines()) == 2  # the error and its hint
        assert_nothing_leaks(out, err)


@pytest.mark.parametrize("folder", ["measures", "cycles", "pareto"])
def test_a_folder_linked_outside_is_refused_as_a_whole(
    write_project: WriteProject, tmp_path: Path, folder: str
) -> None:
    """A linked folder is refused once, by its own name: none of the other folder's file
    names is listed as the project's."""
    root = write_project()
    other = tmp_path / "other-folder"
    other.mkdir()
    (other / "falls.csv").write_text(f"{PASSWD}\n", encoding="utf-8")
    (other / "2026-01-01-secret-name-0000.yaml").write_text(f"{SECRET}\n", encoding="utf-8")
    link(root, folder, other)
    code, out, err = invoke("validate", str(root))
    assert code == 1
    assert f"{folder}: error: a link that leads outside the project" in out
    assert "secret-name" not in out and "falls.csv" not in out
    assert_nothing_leaks(out, err)


def test_a_pareto_file_linked_outside_is_refused(
    write_project: WriteProject, outside: Path
) -> None:
    root = write_project()
    link(root, "pareto/falls.csv", outside / "passwd")
    code, out, err = invoke("validate", str(root))
    assert code == 1
    assert "pareto/falls.csv: error: a link that leads outside the project" in out
    assert_nothing_leaks(out, err)


def test_a_link_inside_the_project_is_followed(write_project: WriteProject) -> None:
    root = write_project({"shared/falls.csv": weekly_csv([2, 3, 1], denominators=[350] * 3)})
    (root / "measures/falls.csv").unlink()
    os.symlink("../shared/falls.csv", root / "measures/falls.csv")
    code, out, err = invoke("data", "list", "falls", "-p", str(root))
    assert code == 0, err
    assert "2026-01-19" in out


def test_a_project_folder_reached_by_a_link_is_read(
    write_project: WriteProject, tmp_path: Path
) -> None:
    """The project itself may be a link (a shared drive mounted elsewhere)."""
    root = write_project()
    os.symlink(root, tmp_path / "shortcut")
    code, out, err = invoke("validate", str(tmp_path / "shortcut"))
    assert code == 0, out + err


def test_writers_never_read_through_a_link(write_project: WriteProject, tmp_path: Path) -> None:
    """`data add` would copy the linked file into the project with the new row; a change
    idea added to a linked drivers.yaml would rewrite it. Both stop, nothing changes."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    private = elsewhere / "private.csv"
    private.write_text("date,value,denominator\n2026-01-05,99,350\n", encoding="utf-8")
    drivers = elsewhere / "drivers.yaml"
    drivers.write_text(DRIVERS_YAML, encoding="utf-8")
    root = write_project()
    link(root, "measures/falls.csv", private)
    link(root, "drivers.yaml", drivers)
    before = (private.read_bytes(), drivers.read_bytes())
    code, _, err = invoke(
        "data", "add", "falls", "3", "--denominator", "350", "--date", "2026-03-30", "-p", str(root)
    )
    assert code == 1
    assert "measures/falls.csv: a link that leads outside the project" in err
    code, _, err = invoke("change", "add", "Another idea", "--no-input", "-p", str(root))
    assert code == 1
    assert "drivers.yaml: a link that leads outside the project" in err
    assert (private.read_bytes(), drivers.read_bytes()) == before
    assert (root / "measures/falls.csv").is_symlink() and (root / "drivers.yaml").is_symlink()


def test_read_text_refuses_only_with_a_project(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "proj"
    (root / "measures").mkdir(parents=True)
    os.symlink(outside / "passwd", root / "measures/x.csv")
    with pytest.raises(QiError) as caught:
        read_text(root / "measures/x.csv", "x.csv", root=root)
    assert caught.value.message.endswith(
        "a link that leads outside the project; qi does not follow it"
    )
    assert "passwd" not in caught.value.message and "elsewhere" not in caught.value.message
    # a file to import, outside any project, is read where it is
    assert read_text(root / "measures/x.csv", "x.csv") == f"{PASSWD}\n"


def test_a_link_loop_is_left_to_the_read(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    os.symlink("b.yaml", root / "a.yaml")
    os.symlink("a.yaml", root / "b.yaml")
    refuse_link_outside(root / "a.yaml", root)  # not refused here: reading it says why
    with pytest.raises(QiError, match="cannot read"):
        read_text(root / "a.yaml", "a.yaml", root=root)


def test_completion_reads_nothing_through_a_link(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project()
    other = tmp_path / "other"
    other.mkdir()
    (other / "drivers.yaml").write_text(
        "changes:\n  leaked-id:\n    title: private title\n", encoding="utf-8"
    )
    (other / "leaked-measure.yaml").write_text(MEASURE_YAML, encoding="utf-8")
    monkeypatch.chdir(root)
    assert [c for c, _ in complete_change(None, "")] == ["night-lights"]  # type: ignore[arg-type]
    link(root, "drivers.yaml", other / "drivers.yaml")
    link(root, "measures", other)
    assert complete_change(None, "") == []  # type: ignore[arg-type]
    assert complete_measure(None, "") == []  # type: ignore[arg-type]


def test_completion_offers_ids_and_printable_titles(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        {
            "drivers.yaml": 'changes:\n  ok-id:\n    title: "Night\\e]0;owned\\a lights"\n'
            '  "Bad Id\\e[2J":\n    title: x\n',
            "measures/Not An Id.yaml": MEASURE_YAML,
        }
    )
    monkeypatch.chdir(root)
    assert complete_change(None, "") == [("ok-id", "Night?]0;owned? lights")]  # type: ignore[arg-type]
    assert complete_measure(None, "") == ["falls", "restraint"]  # type: ignore[arg-type]


def test_a_bad_value_is_quoted_short(write_project: WriteProject) -> None:
    """An unknown column or key is quoted, cut at 40 characters: never a whole line."""
    long = "x" * 30 + ":y" * 60
    root = write_project(
        {
            "measures/falls.csv": f"date,value,denominator,{long}\n2026-01-05,2,350,1\n",
            "project.yaml": PROJECT_YAML + f"{long}: 1\n",
        }
    )
    code, out, _ = invoke("validate", str(root))
    assert code == 1
    quoted = "'" + long[:39] + "…'"
    assert f"unknown column {quoted}" in out
    assert f"unknown key {quoted}" in out
    assert long[:41] not in out


def test_a_cycle_linked_through_the_project_to_a_secret_is_refused(
    write_project: WriteProject, outside: Path
) -> None:
    """A link in cycles/ to a file inside the project that is itself a link outside:
    the loader checks every file the folder listing found to be a link."""
    root = write_project()
    link(root, "shared/secret.yaml", outside / "shadow")
    link(root, "cycles/2026-02-02-night-lights-a1b2.yaml", Path("../shared/secret.yaml"))
    code, out, err = invoke("validate", str(root))
    assert code == 1
    assert "cycles/2026-02-02-night-lights-a1b2.yaml: error: a link that leads outside" in out
    assert_nothing_leaks(out, err)


def test_the_folder_listing_says_which_files_are_links(write_project: WriteProject) -> None:
    root = write_project()
    os.symlink("falls.csv", root / "measures/copy.csv")
    found = {
        f.name: f.link for f in list_files(LoadedProject(root=root), root / "measures", (".csv",))
    }
    assert found == {"falls.csv": False, "restraint.csv": False, "copy.csv": True}
