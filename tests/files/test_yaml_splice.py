"""The text splice of the YAML writer: what a person wrote by hand stays as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.cycle_model import Cycle
from qi_cli.driver_model import DriverDiagram
from qi_cli.errors import QiError
from qi_cli.files.yaml_write import create_file, merge, read_model, splice, update_file

HAND_EDITED = """\
# Cycle planned at the Monday huddle   (keep this!)
change: c        # the referral form
person: "Sam Patel"
purpose: test
plan:
    objective: >-
        See whether the physio
        can come within a day
    questions:
    - question: 'Seen within 24 h?'   # the main one
      prediction: yes, 4 of 5
    # the dates we agreed
    start: 2025-03-04
    end:   2025-03-05

# notes at the end of the file
"""


def test_splice_keeps_every_untouched_line() -> None:
    patch = {
        "do": {"what_happened": "Went ok\non the whole", "start": dt.date(2025, 3, 4)},
        "study": {"answers": [{"actual": "3 of 5", "held": False}]},
        "act": {"decision": "adapt"},
    }
    out = splice(HAND_EDITED, patch, Cycle)
    assert out.startswith(HAND_EDITED.split("\n# notes")[0])
    assert out.endswith("\n# notes at the end of the file\n")
    _, data = read_model(out, "x.yaml", Cycle)
    assert data["do"]["what_happened"] == "Went ok\non the whole"
    assert data["act"] == {"decision": "adapt"}
    assert splice(HAND_EDITED, patch, Cycle) == out  # deterministic


def test_splice_into_an_existing_section_keeps_its_comments() -> None:
    text = "change: c\ndo:  # fill in after the test\n  what_happened: x   # short\nact:\n"
    out = splice(text, {"do": {"problems": "none"}, "act": {"decision": "adopt"}}, Cycle)
    assert out == (
        "change: c\ndo:  # fill in after the test\n  what_happened: x   # short\n"
        "  problems: none\nact:\n  decision: adopt\n"
    )


def test_splice_turns_an_empty_flow_mapping_into_a_block() -> None:
    text = "# header\ndrivers: {}\nchanges: {}\n"
    out = splice(text, {"drivers": {"a": {"name": "A", "parents": []}}}, DriverDiagram)
    assert out == "# header\ndrivers:\n  a:\n    name: A\n    parents: []\nchanges: {}\n"


def test_new_keys_go_where_the_model_puts_them() -> None:
    out = splice("change: c\nplan:\n  objective: x\n", {"follows": "abc", "scale": "one"}, Cycle)
    assert out == "change: c\nfollows: abc\nscale: one\nplan:\n  objective: x\n"


def test_update_refuses_a_result_that_does_not_validate(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    with pytest.raises(QiError, match="not allowed"):
        update_file(tmp_path, path, Cycle, lambda c, t: {"act": {"decision": "keep"}})
    assert path.read_text(encoding="utf-8") == HAND_EDITED


def test_create_file_never_replaces(tmp_path: Path) -> None:
    path = tmp_path / "cycles" / "x.yaml"
    create_file(path, {"change": "c"}, Cycle)
    with pytest.raises(QiError, match="already exists"):
        create_file(path, {"change": "d"}, Cycle)
    assert path.read_text(encoding="utf-8") == "change: c\n"


texts = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        max_size=8,
    )
    | st.sampled_from(
        ["\n", ": ", " #", "'", '"', "- ", "yes", "No", "{", "[", "2025-03-04", "1:30"]
    ),
    max_size=8,
).map(lambda parts: "\n".join(line.strip() for line in "".join(parts).strip().splitlines()))


@settings(max_examples=60, deadline=None)
@given(what=texts, learned=texts, objective=texts)
def test_splice_round_trips_any_text(what: str, learned: str, objective: str) -> None:
    """Whatever a person types reads back exactly as typed, and the hand-edited
    lines stay as they were."""
    patch: dict[str, object] = {}
    if what:
        patch["do"] = {"what_happened": what}
    if learned:
        patch["study"] = {"learned": learned}
    if objective:
        patch["plan"] = {"objective": objective}
    out = splice(HAND_EDITED, patch, Cycle)
    _, data = read_model(out, "x.yaml", Cycle)
    _, old = read_model(HAND_EDITED, "x.yaml", Cycle)
    assert data == merge(old, patch)
    assert out.startswith("# Cycle planned at the Monday huddle   (keep this!)\n")
