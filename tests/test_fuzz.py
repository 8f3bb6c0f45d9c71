"""Hypothesis fuzzing: whatever is in the files, qi answers with issues, never a crash."""

from __future__ import annotations

import contextlib
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qi_cli.cycle_model import Cycle
from qi_cli.errors import QiError
from qi_cli.files.csv_file import parse_data
from qi_cli.files.disk import decode
from qi_cli.files.loader import load_project
from qi_cli.files.model_errors import validation_issues
from qi_cli.files.yaml_read import parse_yaml
from qi_cli.measure_model import Measure
from qi_cli.project_model import Project
from qi_cli.reports.report import analyse_all, build_report
from qi_cli.validate import validate_project
from tests.conftest import CYCLE_YAML, MEASURE_YAML, PROJECT_YAML

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
YAMLISH = st.text(alphabet=string.printable + "äöü€—\t", max_size=300)


def _mutations(base: str) -> st.SearchStrategy[str]:
    """Valid files with a slice replaced by random text: close to real mistakes."""
    return st.tuples(st.integers(0, len(base)), st.integers(0, 40), YAMLISH).map(
        lambda t: base[: t[0]] + t[2] + base[t[0] + t[1] :]
    )


@FAST
@given(YAMLISH)
def test_parse_yaml_only_raises_qi_errors(text: str) -> None:
    try:
        doc = parse_yaml(text, "f.yaml")
    except QiError as exc:
        assert exc.path == "f.yaml"
        return
    # every value and key can be found, and stands inside the text
    lines = text.splitlines() or [""]
    if doc.node is None:  # an empty document: nothing to find
        assert doc.data is None
        return
    for loc in _paths(doc.data):
        for pos in (doc.locate(loc), doc.locate_key(loc)):
            assert pos is not None
            assert 1 <= pos.line <= len(lines) + 1


def _paths(data: object, at: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*at, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*at, i))
    return out


@FAST
@given(st.binary(max_size=200))
def test_decode_only_raises_qi_errors(raw: bytes) -> None:
    with contextlib.suppress(QiError):
        decode(raw, "f.yaml")


@FAST
@given(st.one_of(_mutations(PROJECT_YAML), _mutations(MEASURE_YAML), _mutations(CYCLE_YAML)))
def test_mutated_files_validate_to_issues(text: str) -> None:
    """Any mutation of a valid file either validates or gives issues with positions."""
    try:
        doc = parse_yaml(text, "f.yaml")
    except QiError:
        return
    for model in (Project, Measure, Cycle):
        try:
            model.model_validate(doc.data)
        except ValidationError as exc:
            issues = list(validation_issues(exc, doc, model))
            assert issues
            assert all(i.message for i in issues)


@FAST
@given(st.text(alphabet=string.printable + "€", max_size=400))
def test_parse_data_never_crashes(text: str) -> None:
    measure = Measure.model_validate({"name": "x", "kind": "outcome", "data_type": "proportion"})
    rows, issues = parse_data("date,value,denominator\n" + text, "m.csv", measure)
    for row in rows:
        assert row.denominator is None or row.denominator > 0
        assert row.value is None or row.denominator is None or row.value <= row.denominator
    assert all(i.line is not None for i in issues if i.severity == "error")


@FAST
@given(
    project=_mutations(PROJECT_YAML),
    cycle=_mutations(CYCLE_YAML),
    data=st.text(alphabet="0123456789-,.\n abc", max_size=200),
)
def test_whole_project_loads_and_validates(
    tmp_path: Path, project: str, cycle: str, data: str
) -> None:
    root = tmp_path / "p"
    (root / "measures").mkdir(parents=True, exist_ok=True)
    (root / "cycles").mkdir(exist_ok=True)
    (root / "project.yaml").write_text(project)
    (root / "measures" / "falls.yaml").write_text(MEASURE_YAML)
    (root / "measures" / "falls.csv").write_text("date,value,denominator\n" + data)
    (root / "cycles" / "2026-01-01-x-0000.yaml").write_text(cycle)
    loaded = load_project(root)
    issues = validate_project(loaded)
    for issue in issues:
        assert issue.path and issue.message
        assert issue.severity in ("error", "warning")
    # the statistics and the report cope with whatever data survived validation
    analyses = analyse_all(loaded)
    try:
        build_report(loaded, issues, analyses=analyses, use_git=False)
    except QiError:
        assert loaded.project is None
