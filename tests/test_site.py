"""`qi site`: the pages a person opens, built by the real command from projects on disk."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import run
from tests.site_fixtures import (
    INTERNAL_TITLE,
    PUBLIC_TITLE,
    broken_links,
    library,
    page,
    project_files,
    write_files,
)


@pytest.fixture
def built(tmp_path: Path, runner: CliRunner) -> Path:
    """The three-project library and the bundled example, built into `site/`."""
    root = library(tmp_path)
    code, _, err = run(runner, "demo", "--dir", str(root / "example"))
    assert code == 0, err
    code, out, err = run(runner, "site", str(root), "-o", str(tmp_path / "site"))
    assert code == 0, err
    assert "3 projects published" in out  # the private one is not
    return tmp_path / "site"


def test_every_page_is_built_and_every_link_leads_somewhere(built: Path) -> None:
    for name in ("index.html", "learning.html", "measures.html", "search-index.js"):
        assert (built / name).is_file(), name
    pages = sorted(p.relative_to(built).as_posix() for p in built.glob("projects/*/index.html"))
    assert pages == [
        "projects/community-falls/index.html",
        "projects/example-rib-fracture-pathway/index.html",
        "projects/falls-ward-7/index.html",
    ]
    assert broken_links(built) == []


def test_the_library_lists_each_project_with_the_data_its_filters_use(built: Path) -> None:
    index = page(built / "index.html")
    rows = {a["data-slug"]: a for t, a in index.tags if t == "tr" and "data-slug" in a}
    assert set(rows) == {"community-falls", "falls-ward-7", "example-rib-fracture-pathway"}
    falls = rows["falls-ward-7"]
    assert falls["data-status"] == "active"
    assert falls["data-place"] == "d-medicine w-ward-7"
    assert falls["data-tags"] == "falls frailty"
    assert falls["data-score"] == "1.0"
    assert falls["data-last"] == "2026-02-02"  # the cycle's Do start
    assert rows["example-rib-fracture-pathway"]["data-variation"] == "improvement_low"
    assert rows["example-rib-fracture-pathway"]["data-assurance"] == "inconsistent"
    # the filters offer what the rows hold, and the search box has a label
    options = {a.get("value") for t, a in index.tags if t == "option"}
    assert {"active", "d-medicine", "w-ward-7", "falls", "frailty", "none", "90"} <= options
    labels = {a["for"] for t, a in index.tags if t == "label"}
    assert {"q", "f-status", "f-place", "f-tag", "f-variation", "f-assurance", "f-stale"} <= labels
    # each row links to the project's page, relatively
    assert "projects/falls-ward-7/index.html" in index.links


def test_the_filters_are_hidden_until_the_script_shows_them(built: Path) -> None:
    """Without JavaScript every project is listed and nothing offers to filter."""
    index = page(built / "index.html")
    form = next(a for t, a in index.tags if t == "form")
    assert "hidden" in form
    assert "assets/site.js" in index.links and "search-index.js" in index.links


def test_each_cycle_has_a_permanent_address_on_its_projects_page(built: Path) -> None:
    falls = page(built / "projects/falls-ward-7/index.html")
    assert "cycle-a1b2" in falls.ids  # the cycle's short id, which never changes
    text = (built / "projects/falls-ward-7/index.html").read_text(encoding="utf-8")
    section = text[text.index('id="cycle-a1b2"') :]
    assert "Will patients leave the light on?" in section
    assert "Yes, 3 of 4 patients" in section  # its prediction, beside what happened
    assert "3 of 4 left the light on" in section
    assert "Predictions first" in section
    # the learning page links to it
    assert "projects/falls-ward-7/index.html#cycle-a1b2" in page(built / "learning.html").links


def test_a_project_page_has_the_report_with_inline_charts_and_the_driver_diagram(
    built: Path,
) -> None:
    text = (built / "projects/example-rib-fracture-pathway/index.html").read_text(encoding="utf-8")
    assert text.lower().startswith("<!doctype html>") and '<html lang="en-GB">' in text
    assert text.count("<svg") >= 5  # the charts and the driver diagram, drawn inline
    assert "<h2>Driver diagram</h2>" in text
    assert "What we learned" in text
    assert 'href="../../assets/report.css"' in text


def test_similar_projects_share_words_of_their_aims_and_measures(built: Path) -> None:
    falls = (built / "projects/falls-ward-7/index.html").read_text(encoding="utf-8")
    box = falls[falls.index('id="similar-heading"') :]
    assert PUBLIC_TITLE in box  # both are about falls, with a falls measure
    assert "Rib fracture" not in box
    assert 'href="../../projects/community-falls/index.html"' in box


def test_learning_groups_change_ideas_by_driver_wording_across_projects(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "projects"
    write_files(root / "a", project_files(title="Falls A", driver="Lighting at night"))
    write_files(
        root / "b",
        project_files(title="Falls B", driver="Lighting at  night!", change="Motion lamps"),
    )
    assert run(runner, "site", str(root), "-o", str(tmp_path / "site"))[0] == 0
    learning = page(tmp_path / "site/learning.html")
    themes = [a["id"] for t, a in learning.tags if t == "section"]
    assert themes == ["theme-lighting-at-night"]  # one theme for both wordings
    ideas = [a for t, a in learning.tags if t == "li" and "data-item" in a]
    assert [a["data-outcome"] for a in ideas] == ["adapted", "adapted"]
    text = (tmp_path / "site/learning.html").read_text(encoding="utf-8")
    assert "Motion lamps" in text and "Night lights in bays" in text
    assert "Patients like the lights; one found it too bright" in text


def test_the_measures_page_has_an_icon_and_words_for_each_measure(built: Path) -> None:
    measures = page(built / "measures.html")
    rows = [a for t, a in measures.tags if t == "tr" and "data-item" in a]
    assert len(rows) == 4 + 2 + 2  # the example's four, two for each small project
    assert {a["data-kind"] for a in rows} == {"outcome", "process", "balancing"}
    uses = [a["href"] for t, a in measures.tags if t == "use"]
    assert "#mdc-improvement_low" in uses and "#mdc-inconsistent" in uses
    assert {f"mdc-{u[5:]}" for u in uses} <= measures.ids  # each icon's symbol is on the page
    labelled = [a for t, a in measures.tags if t == "svg" and a.get("role") == "img"]
    assert labelled and all(a.get("aria-label") for a in labelled)


def test_the_search_index_is_a_script_holding_each_projects_words(built: Path) -> None:
    script = (built / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.QI_INDEX=") and script.endswith(";\n")
    entries = json.loads(script[len("window.QI_INDEX=") : -2])
    by_slug = {e["slug"]: e["text"] for e in entries}
    assert "night lights in bays" in by_slug["falls-ward-7"]  # a change idea
    assert "one found it too bright" in by_slug["falls-ward-7"]  # what was learned
    assert INTERNAL_TITLE.casefold() in by_slug["falls-ward-7"]


def test_pages_have_landmarks_a_language_and_headings_in_order(built: Path) -> None:
    for path in [built / "index.html", built / "learning.html", built / "measures.html"]:
        parsed = page(path)
        tags = [t for t, _ in parsed.tags]
        assert {"header", "nav", "main", "footer"} <= set(tags), path
        assert tags.count("h1") == 1, path
        levels = [int(t[1]) for t in tags if t in ("h1", "h2", "h3", "h4")]
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (path, levels)
        headers = [a for t, a in parsed.tags if t == "th"]
        assert all(a.get("scope") == "col" for a in headers), path


def test_a_broken_project_is_skipped_with_a_warning(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    write_files(root / "broken", {"project.yaml": "format: 1\ntitle: [unclosed\n"})
    code, out, err = run(runner, "site", str(root), "-o", str(tmp_path / "site"))
    assert code == 0
    assert "skipped" in err and "broken" in err and "qi validate" in err
    assert "2 projects published" in out


def test_an_unknown_audience_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    root = library(tmp_path)
    code, _, err = run(runner, "site", str(root), "-o", str(tmp_path / "s"), "--audience", "all")
    assert code == 2
    assert "--audience 'all'" in err and "internal, public" in err
    assert not (tmp_path / "s").exists()


def test_a_projects_tags_link_to_the_library_filtered_by_that_tag(built: Path) -> None:
    falls = page(built / "projects/falls-ward-7/index.html")
    assert "../../index.html?tag=falls" in falls.links
    index = page(built / "index.html")
    names = {a.get("name") for t, a in index.tags if t == "select"}
    assert {"status", "place", "tag", "variation", "assurance", "stale"} <= names


def test_a_project_without_an_outcome_measure_is_listed_without_one(
    tmp_path: Path, runner: CliRunner
) -> None:
    # its aim names no outcome measure (yet): the library row says so, nothing breaks
    files = project_files(title="Early days")
    files["project.yaml"] = "\n".join(
        line for line in files["project.yaml"].splitlines() if "outcome_measure" not in line
    )
    root = write_files(tmp_path / "projects" / "early", files)
    code, out, err = run(runner, "site", str(root.parent), "-o", str(tmp_path / "site"))
    assert code == 0, err
    assert "1 project published" in out
    index = page(tmp_path / "site" / "index.html")
    row = next(a for t, a in index.tags if t == "tr" and a.get("data-slug") == "early")
    assert row["data-variation"] == "" and row["data-assurance"] == ""
    assert "no outcome measure yet" in (tmp_path / "site" / "index.html").read_text("utf-8")
