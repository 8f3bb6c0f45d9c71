"""qi's merge driver on three versions of a file, as git hands them over."""

from __future__ import annotations

from qi_cli.files.merge import merge_texts

BASE = """\
# the team's driver diagram
drivers:
  lighting:
    name: Lighting at night   # from the walk-round
changes:
  night-lights:
    title: Night lights in bays
    drivers: [lighting]
"""


def test_both_sides_additions_are_kept_and_ours_is_kept_byte_for_byte() -> None:
    ours = BASE.replace("changes:", "  staffing:\n    name: Staffing\nchanges:")
    theirs = BASE + "  bed-alarms:\n    title: Bed alarms\n    drivers: [lighting]\n"
    merged = merge_texts(BASE, ours, theirs, "drivers.yaml")
    assert merged == ours + "  bed-alarms:\n    title: Bed alarms\n    drivers:\n      - lighting\n"


def test_the_same_value_changed_on_both_sides_is_left_to_a_person() -> None:
    ours = BASE.replace("Lighting at night", "Lighting after 22:00")
    theirs = BASE.replace("Lighting at night", "Lights at night")
    assert merge_texts(BASE, ours, theirs, "drivers.yaml") is None


def test_a_removal_on_one_side_of_what_the_other_changed_is_left_to_a_person() -> None:
    ours = BASE.replace("Night lights in bays", "Night lights in every bay")
    theirs = BASE.split("changes:")[0] + "changes: {}\n"
    assert merge_texts(BASE, ours, theirs, "drivers.yaml") is None


def test_a_file_that_is_not_a_qi_file_or_not_yaml_is_left_to_git() -> None:
    assert merge_texts(BASE, BASE + "x", BASE + "y", "notes.yaml") is None
    assert merge_texts(BASE, BASE + "a: [\n", BASE, "drivers.yaml") is None
