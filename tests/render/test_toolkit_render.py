"""The Pareto and fishbone renderers on their own: bars to scale, colour only repeats
the characters, and a diagram with empty parts still draws."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from qi_cli.render.fishbone import render_fishbone_markdown, render_fishbone_text
from qi_cli.render.fishbone_svg import render_fishbone_svg
from qi_cli.render.pareto import pareto_bars, render_pareto_svg, render_pareto_text
from qi_cli.stats.pareto import pareto

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def view_of(categories: Any, **extra: Any) -> dict[str, Any]:
    return {"title": "Falls by type", **pareto(categories).to_dict(), **extra}


def test_bars_are_to_scale_and_marks_sit_at_the_cumulative_share() -> None:
    # 3 of 4 and 1 of 4: the first bar fills 75% of the plot, the second 25%
    lines = pareto_bars(view_of({"unwitnessed": 3, "from bed": 1}), width=100)
    header, first, second = lines[0], lines[1], lines[2]
    plot_start = header.index("0%")
    plot = len(header) - plot_start - 1  # the 100% label ends one column past the plot
    bar1 = first[plot_start:]
    # the mark takes the bar's last cell when the cumulative share equals the share
    assert bar1.count("█") + 1 == round(0.75 * plot)
    assert bar1.index("●") == round(0.75 * plot) - 1
    bar2 = second[plot_start:]
    assert bar2.count("█") == round(0.25 * plot)
    assert bar2.index("●") == plot - 1  # 100%: the last column
    assert "┆" in bar1 or "┆" in bar2


def test_colour_only_repeats_what_the_characters_say() -> None:
    view = view_of(["a", "a", "b", "c", "c", "c"])
    plain = render_pareto_text(view, width=90)
    coloured = render_pareto_text(view, width=90, colour=True)
    assert coloured != plain
    assert ANSI.sub("", coloured) == plain


def test_a_tiny_share_still_shows_a_bar() -> None:
    lines = pareto_bars(view_of({"big": 999, "tiny": 1}), width=80)
    assert "▏" in lines[2]


def test_svg_of_one_category() -> None:
    svg = ET.fromstring(render_pareto_svg(view_of(["falls"])))
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")) == 1


FISHBONE_VIEW: dict[str, Any] = {
    "effect": "Falls at night",
    "description": None,
    "categories": [
        {"name": "people", "causes": []},
        {
            "name": "methods",
            "causes": [
                {
                    "cause": "No falls risk assessment on admission",
                    "addressed_by": [],
                    "addressed": False,
                    "out_of_scope": None,
                    "causes": [],
                }
            ],
        },
    ],
    "unaddressed": [{"category": "methods", "cause": "No falls risk assessment on admission"}],
}


def test_fishbone_with_an_empty_category_in_every_format() -> None:
    text = render_fishbone_text(FISHBONE_VIEW, width=80)
    assert "people\n└── (no causes yet)" in text
    assert "not addressed yet" in text
    assert "1 cause not addressed by any driver or change idea (qi explain Q601)." in text
    coloured = render_fishbone_text(FISHBONE_VIEW, width=80, colour=True)
    assert ANSI.sub("", coloured) == text
    markdown = render_fishbone_markdown(FISHBONE_VIEW)
    assert "- **people**\n- **methods**\n" in markdown
    assert "(*not addressed yet*)" in markdown
    svg = ET.fromstring(render_fishbone_svg(FISHBONE_VIEW))
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}path[@class='bone']")) == 2


def test_fishbone_without_categories_still_draws_its_head() -> None:
    view = {**FISHBONE_VIEW, "categories": [], "unaddressed": []}
    svg = ET.fromstring(render_fishbone_svg(view))
    assert svg.find(".//{http://www.w3.org/2000/svg}rect[@class='head']") is not None
    assert render_fishbone_text(view, width=80) == "Effect: Falls at night\n"
