"""Drivers and change ideas: ids, patches, the tree and a change idea's status."""

from __future__ import annotations

from pathlib import Path

import pytest

from qi_cli.driver_model import DriverDiagram
from qi_cli.drivers import change_status, driver_tree
from qi_cli.drivers_edit import add_change, add_driver
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.loader import load_project
from tests.workflow_fixtures import make_project

DIAGRAM = DriverDiagram.model_validate(
    {
        "drivers": {"a": {"name": "A"}, "b": {"name": "B", "parents": ["a"]}},
        "changes": {"c": {"title": "C", "drivers": ["b"]}},
    }
)


def test_add_driver_makes_an_id_and_refuses_a_taken_one() -> None:
    new_id, patch = add_driver(DIAGRAM, "Weekend cover", parents=["a"])
    assert new_id == "weekend-cover"
    assert patch == {"drivers": {"weekend-cover": {"name": "Weekend cover", "parents": ["a"]}}}
    with pytest.raises(QiError, match="already a driver") as info:
        add_driver(DIAGRAM, "A")
    assert "ids in use: a, b, c" in (info.value.hint or "")


def test_unknown_parent_lists_the_known_drivers() -> None:
    with pytest.raises(QiError, match="no driver 'x'") as info:
        add_driver(DIAGRAM, "New", parents=["x"])
    assert "known drivers: a, b" in (info.value.hint or "")


def test_add_change_checks_drivers_and_ids() -> None:
    new_id, patch = add_change(DIAGRAM, "Physio review within 24 h", drivers=["b", "b"])
    assert new_id == "physio-review-within-24-h"
    assert patch["changes"][new_id]["drivers"] == ["b"]
    with pytest.raises(QiError, match="already a change idea"):
        add_change(DIAGRAM, "C")
    with pytest.raises(UsageError, match="not a valid id"):
        add_change(DIAGRAM, "Thing", change_id="Bad Id")
    with pytest.raises(UsageError, match="empty"):
        add_change(DIAGRAM, "   ")


def test_a_taken_id_names_the_id_field_not_a_flag() -> None:
    with pytest.raises(FieldError) as info:
        add_driver(DIAGRAM, "B", driver_id="b")
    assert info.value.field == "id"
    assert info.value.exit_code == 1
    assert "--" not in (info.value.hint or "")
    assert "choose another id with --id" in (info.value.named({"id": "--id"}).hint or "")


def test_unknown_parent_names_the_parent_field() -> None:
    with pytest.raises(FieldError) as info:
        add_driver(DIAGRAM, "New", parents=["x"])
    assert info.value.field == "parent"
    assert "a parent must exist first" in (info.value.hint or "")


def test_tree_shows_each_change_idea_with_its_status(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    cycles = root / "cycles"
    (cycles / "2025-03-01-physio-review-aaaa.yaml").write_text("change: physio-review\n")
    (cycles / "2025-03-05-physio-review-bbbb.yaml").write_text(
        "change: physio-review\nfollows: 2025-03-01-physio-review-aaaa\nact:\n  decision: adopt\n"
    )
    project = load_project(root)
    assert not project.errors
    tree = driver_tree(project)
    assert [n.id for n in tree] == ["timely-assessment"]
    primary = tree[0]
    assert [c.id for c in primary.children] == ["weekend-physio", "early-analgesia"]
    physio = primary.children[0].children[0]
    assert (physio.status, physio.cycles) == ("adopted", 2)


def test_change_status_follows_the_last_cycle(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    cycles = root / "cycles"
    assert change_status(load_project(root), "physio-review") == "idea"
    (cycles / "2025-03-01-physio-review-aaaa.yaml").write_text("change: physio-review\n")
    assert change_status(load_project(root), "physio-review") == "testing"
    (cycles / "2025-03-05-physio-review-bbbb.yaml").write_text(
        "change: physio-review\nact:\n  decision: abandon\n"
    )
    assert change_status(load_project(root), "physio-review") == "abandoned"
    (cycles / "2025-03-09-physio-review-cccc.yaml").write_text("change: physio-review\n")
    assert change_status(load_project(root), "physio-review") == "testing"
