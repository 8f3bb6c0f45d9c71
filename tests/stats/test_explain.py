"""Plain-language explanations with and without date labels."""

from __future__ import annotations

from qi_cli.stats import analyse, explain

STEP = [10, 11, 10, 12, 11, 10, 9, 11, 12, 16, 15, 17, 16, 15, 18, 16, 17, 15]
DATES = [f"2024-{m:02d}-01" for m in range(1, 13)] + [f"2025-{m:02d}-01" for m in range(1, 7)]


def test_explain_names_dates() -> None:
    lines = explain(analyse(STEP, direction="increase"), DATES)
    assert lines[0].startswith(
        "Shift: 9 points in a row below the median from 2024-01-01 to 2024-09-01, "
        "more than the 7 that chance alone would explain for 18 useful points."
    )
    assert "for the worse" in lines[0]
    assert "Likely a real improvement" in lines[1]
    assert lines[2].startswith("Too few crossings: the line crosses the median only once")


def test_messages_without_labels_use_point_numbers() -> None:
    r = analyse(STEP)
    assert "from point 1 to point 9" in r.signals[0].message
    assert r.signals[0].message == explain(r)[0]


def test_no_signal_sentence() -> None:
    r = analyse([1, 3, 2, 4, 1, 3, 2, 4, 1, 3, 2, 4])
    assert explain(r)[0].startswith("No signals: the variation looks like common cause")


def test_parts_are_named_when_there_are_several() -> None:
    r = analyse(STEP + STEP, parts=[18])
    assert all(line.startswith("Part ") for line in explain(r))


def test_outside_limits_sentence() -> None:
    r = analyse([5.0, 6.0] * 12 + [30.0], chart="i", freeze=24, direction="decrease")
    outside = [s for s in r.signals if s.rule == "outside_limits"]
    assert len(outside) == 1
    assert outside[0].message == (
        "Outside the limits: 1 point above the upper limit at point 25. Something unusual "
        "happened, in the wrong direction: find out what, and whether it can happen again."
    )


def test_to_dict_is_plain_json() -> None:
    import json

    for method, chart in (("anhoej", "i"), ("ihi", "run"), ("mdc", "i")):
        d = analyse(STEP, chart=chart, method=method, target=12).to_dict()
        assert json.loads(json.dumps(d)) == d
        assert set(d["points"][0]) >= {
            "index", "y", "cl", "lcl", "ucl", "lcl_2s", "ucl_2s", "part", "excluded",
            "signals", "point_type",
        }  # fmt: skip
    assert d["variation_icon"] == "neutral_high" or d["variation_icon"] is not None
