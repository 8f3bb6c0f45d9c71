"""`qi site`: what is published to whom, and user text that cannot break a page."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from qi_cli.render.site_pages import search_index_script
from tests.conftest import run
from tests.site_fixtures import (
    INTERNAL_PHRASE,
    INTERNAL_TITLE,
    PRIVATE_PHRASE,
    PRIVATE_TITLE,
    PUBLIC_TITLE,
    every_file_text,
    library,
    page,
    project_files,
    write_files,
)


def _build(runner: CliRunner, root: Path, site: Path, *args: str) -> str:
    code, out, err = run(runner, "site", str(root), "-o", str(site), *args)
    assert code == 0, err
    return out


def test_an_internal_site_shows_public_and_internal_projects_never_private(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = library(tmp_path)
    out = _build(runner, root, tmp_path / "site")
    assert "2 projects published" in out
    text = every_file_text(tmp_path / "site")  # pages, search index, manifest, assets
    assert INTERNAL_TITLE in text and PUBLIC_TITLE in text
    assert PRIVATE_TITLE not in text
    assert PRIVATE_PHRASE not in text.casefold()
    assert "sepsis" not in text.casefold()  # not even its folder's name


def test_a_public_site_shows_only_public_projects(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    out = _build(runner, root, tmp_path / "site", "--audience", "public")
    assert "1 project published" in out
    text = every_file_text(tmp_path / "site")
    assert PUBLIC_TITLE in text
    for hidden in (INTERNAL_TITLE, PRIVATE_TITLE):
        assert hidden not in text
    for phrase in (INTERNAL_PHRASE, PRIVATE_PHRASE, "falls-ward-7", "sepsis"):
        assert phrase not in text.casefold()
    assert sorted(p.name for p in (tmp_path / "site/projects").iterdir()) == ["community-falls"]


def test_a_project_made_private_leaves_the_site_at_the_next_build(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = library(tmp_path)
    _build(runner, root, tmp_path / "site")
    assert (tmp_path / "site/projects/falls-ward-7/index.html").is_file()
    project = root / "falls-ward-7/project.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace(
            "status: active\n", "status: active\nvisibility: private\n"
        ),
        encoding="utf-8",
    )
    out = _build(runner, root, tmp_path / "site")
    assert "1 project published" in out and "1 removed" in out
    assert not (tmp_path / "site/projects/falls-ward-7").exists()
    text = every_file_text(tmp_path / "site")
    assert INTERNAL_TITLE not in text and INTERNAL_PHRASE not in text.casefold()


def test_the_same_folder_rebuilt_for_a_narrower_audience_loses_the_wider_pages(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = library(tmp_path)
    _build(runner, root, tmp_path / "site")
    _build(runner, root, tmp_path / "site", "--audience", "public")
    assert INTERNAL_TITLE not in every_file_text(tmp_path / "site")


HOSTILE_TITLE = "Falls </script><script>alert(1)</script> & <b>co</b>"
HOSTILE_CHANGE = 'Lights "on" </script><img src=x onerror=alert(2)>'
HOSTILE_LEARNED = "it broke\u2028the line\u2029and </SCRIPT> too"


def test_hostile_text_is_escaped_in_every_page_and_in_the_search_index(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "projects"
    files = project_files(
        title=json.dumps(HOSTILE_TITLE),
        change=json.dumps(HOSTILE_CHANGE)[1:-1].replace('\\"', '"'),
        learned=json.dumps(HOSTILE_LEARNED),
    )
    files["drivers.yaml"] = files["drivers.yaml"].replace(
        f"title: {json.dumps(HOSTILE_CHANGE)[1:-1]}", f"title: {json.dumps(HOSTILE_CHANGE)}"
    )
    write_files(root / "hostile", files)
    _build(runner, root, tmp_path / "site")
    site = tmp_path / "site"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
        assert "<b>co</b>" not in text, path
        # the only scripts are the site's own, loaded from files
        scripts = [a for t, a in page(path).tags if t == "script"]
        assert all(a.get("src", "").endswith(".js") for a in scripts), path
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Falls &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;co" in index
    learning = (site / "learning.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(2)&gt;" in learning
    script = (site / "search-index.js").read_text(encoding="utf-8")
    for raw in ("</", "<script", "\u2028", "\u2029"):
        assert raw not in script.casefold()
    entries = json.loads(script[len("window.QI_INDEX=") : -2])
    text = entries[0]["text"]
    assert HOSTILE_TITLE.casefold() in text  # the words are all there, once decoded
    assert "</script><img src=x onerror=alert(2)>" in text
    assert "it broke the line and </script> too" in text  # U+2028/9 are spaces to search


def test_the_search_index_escapes_what_could_end_or_break_its_script() -> None:
    text = "a </script> b \u2028 c \u2029 d & <!-- e"
    script = search_index_script([{"slug": "s", "text": text}])
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in script[len("window.QI_INDEX=") :]
    assert json.loads(script[len("window.QI_INDEX=") : -2]) == [{"slug": "s", "text": text}]


def test_a_site_with_nothing_to_publish_says_how_to_publish(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "projects"
    write_files(root / "falls-ward-7", project_files(title=INTERNAL_TITLE))  # internal
    code, out, err = run(
        runner, "site", str(root), "-o", str(tmp_path / "site"), "--audience", "public"
    )
    assert code == 0 and "0 projects published" in out
    assert "no project is published" in err
    assert "qi project set visibility public" in err
    shown = run(runner, "site", str(root), "-o", str(tmp_path / "site2"))
    assert "1 project published" in shown[1] and "no project is published" not in shown[2]
