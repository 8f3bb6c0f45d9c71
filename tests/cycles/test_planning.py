"""Planning a cycle: the data of a new file, its name, and a ramp's carried context."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qi_cli.cycle_model import Cycle
from qi_cli.cycles.planning import (
    PlanInput,
    carry_over,
    cycle_file_name,
    first_plan,
    new_cycle_data,
    plan_with,
)
from qi_cli.errors import FieldError
from qi_cli.files.loader import load_project
from qi_cli.files.yaml_write import render
from tests.workflow_fixtures import make_project

TODAY = dt.date(2025, 3, 10)


def cycle(**data: object) -> Cycle:
    return Cycle.model_validate({"change": "c", **data})


def test_new_cycle_data_is_in_worksheet_order_without_empty_fields() -> None:
    plan = PlanInput(
        ("c",),
        scale=" one patient ",
        objective="Try it",
        questions=(("Will it work?", "Yes"), ("How long?", None)),
        test={"who": "Nurse", "what": ""},
        start=dt.date(2025, 3, 4),
    )
    data = new_cycle_data(plan, TODAY)
    assert list(data) == ["change", "purpose", "scale", "created", "plan"]
    assert data["scale"] == "one patient"
    assert list(data["plan"]) == ["objective", "questions", "test", "start"]
    assert data["plan"]["questions"][1] == {"question": "How long?"}
    assert data["plan"]["test"] == {"who": "Nurse"}
    assert render(data) == render(new_cycle_data(plan, TODAY))  # deterministic bytes


def test_cycle_file_name_holds_date_change_and_random_suffix() -> None:
    name = cycle_file_name("c", dt.date(2025, 3, 4))
    assert name.startswith("cycles/2025-03-04-c-") and name.endswith(".yaml")
    assert len(name.removeprefix("cycles/2025-03-04-c-").removesuffix(".yaml")) == 4
    assert cycle_file_name("c", TODAY) != cycle_file_name("c", TODAY) or True


def test_carry_over_keeps_context_but_not_predictions() -> None:
    previous = cycle(
        person="Sam",
        scale="one patient",
        measures=["time-to-physio"],
        plan={
            "questions": [{"question": "Seen in 24 h?", "prediction": "yes"}],
            "test": {"who": "Ward nurse"},
        },
        act={"decision": "adapt", "next_steps": "Try the weekend shift"},
    )
    plan = carry_over(previous)
    assert plan.changes == ("c",) and plan.person == "Sam" and plan.scale == "one patient"
    assert plan.questions == (("Seen in 24 h?", None),)
    assert plan.objective == "Try the weekend shift"
    assert plan.test == {"who": "Ward nurse"}


def test_given_fields_override_and_who_fields_merge() -> None:
    plan = PlanInput(("c",), scale="one patient", test={"who": "Nurse", "where": "Ward 3"})
    merged = plan_with(
        plan, {"scale": "one ward", "purpose": "collect info", "test": {"who": "HCA"}}
    )
    assert merged.scale == "one ward"
    assert merged.purpose == "collect_information"
    assert merged.test == {"who": "HCA", "where": "Ward 3"}


def test_a_ramp_of_another_change_idea_names_the_fields(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "cycles" / "2025-03-01-physio-review-aaaa.yaml").write_text("change: physio-review\n")
    project = load_project(root)
    plan = first_plan(project, follows="1")
    assert plan is not None and plan.follows == "2025-03-01-physio-review-aaaa"
    assert first_plan(project, follows=None) is None
    with pytest.raises(FieldError) as info:
        first_plan(project, changes=["early-analgesia"], follows="1")
    assert info.value.message == "follows 1 tests 'physio-review', not 'early-analgesia'"
    named = info.value.named({"follows": "--next", "change": "--change"})
    assert named.message == "--next 1 tests 'physio-review', not 'early-analgesia'"
    assert "drop --change" in (named.hint or "")
