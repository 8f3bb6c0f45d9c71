"""Drawing a page's values once: a chart's coordinates written once for all its lines,
the templates' lookups of a dict's keys, and no git asked about a folder outside a
repository. Each keeps the output of the slower way it replaced."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest

from qi_cli.files.loader import load_project
from qi_cli.render.svg_parts import dot, marker, polyline
from qi_cli.render.templating import environment
from qi_cli.reports.report import build_report
from qi_cli.validate import validate_project
from tests.conftest import WriteProject

ATTRS = 'stroke="#333333"'


def test_a_line_breaks_at_each_gap_and_a_lone_point_keeps_its_level() -> None:
    coords = [(10.0, 20.0), (30.25, 40.0), None, (50.0, 60.04), None, (70.0, 80.0), (90.0, 5.55)]
    assert polyline(coords, ATTRS) == [
        f'<path d="M10.0 20.0L30.2 40.0" fill="none" {ATTRS}/>',  # 30.25 rounds to even
        # one point between two gaps: a short level mark 4 px either side
        f'<path d="M46.0 60.0L54.0 60.0" {ATTRS}/>',
        f'<path d="M70.0 80.0L90.0 5.5" fill="none" {ATTRS}/>',
    ]


def test_a_line_from_coordinates_written_out_once_is_the_same_line() -> None:
    coords: list[tuple[float, float] | None] = [(1.0, 2.0), (3.0, 4.0), None, (5.0, 6.0)]
    texts = ["1.0 2.0", "3.0 4.0", "", "5.0 6.0"]
    assert polyline(coords, ATTRS, texts) == polyline(coords, ATTRS)


def test_a_common_point_from_written_coordinates_is_its_marker() -> None:
    assert dot("12.3", "45.7") == marker("common", 12.34, 45.66)
    assert dot("12.3", "45.7") == '<circle cx="12.3" cy="45.7" r="2.8" fill="#4d4d4d"/>'


def _render(source: str, **values: Any) -> str:
    return environment().from_string(source).render(**values)


def test_a_templates_dict_lookup_finds_keys_and_keeps_the_dicts_own_methods() -> None:
    # a change idea whose id is `get` or `items`: `titles.get(...)` is still the method
    titles = {"get": "Get the lights fixed", "items": "Count the items", "a": "Night lights"}
    assert _render("{{ titles.get('a') }}|{{ titles.get('zz', '-') }}", titles=titles) == (
        "Night lights|-"
    )
    assert _render("{{ titles['get'] }}|{{ titles.items()|list|length }}", titles=titles) == (
        "Get the lights fixed|3"
    )
    assert _render("{{ row.title }}", row={"title": "<b>Falls</b>"}) == "&lt;b&gt;Falls&lt;/b&gt;"
    with pytest.raises(Exception, match="has no attribute 'missing'"):
        _render("{{ row.missing }}", row={"title": "x"})


def test_text_with_a_control_character_or_tab_is_still_made_printable() -> None:
    assert _render("{{ t }}", t="a\tb\x1b[2Jc\nd") == "a b?[2Jc\nd"


def test_a_report_outside_a_repository_asks_no_git(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project()
    assert not any((d / ".git").exists() for d in (root, *root.parents))
    p = load_project(root)
    issues = validate_project(p)

    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"git was run: {args}")

    monkeypatch.setattr(subprocess, "run", no_git)
    report = build_report(p, issues, today=dt.date(2026, 6, 1))
    cycle = report["cycles"][0]
    assert "git" not in cycle
    assert cycle["predictions_first"]["source"] != "git"
