"""The model of `fishbone.yaml`: a cause-and-effect (Ishikawa) diagram, no I/O.

The effect is the problem the team studies; its causes are grouped in categories
(the classic people, methods, equipment, environment, materials and measurement, or
the team's own words), and a cause may have sub-causes. A cause may name the drivers
or change ideas (ids in drivers.yaml) that address it; whether they exist, and which
causes nothing addresses yet, is checked in `qi_cli.toolkit.fishbone`.
"""

from pydantic import Field

from qi_cli.model import Id, Strict, Text

# the classic categories (the 6 Ms of manufacturing, in the words healthcare uses)
STANDARD_CATEGORIES = ("people", "methods", "equipment", "environment", "materials", "measurement")

AddressedBy = list[Id]
ADDRESSED_BY = "ids of the drivers or change ideas (drivers.yaml) that address this cause"


class SubCause(Strict):
    cause: Text = Field(min_length=1, description="a cause of the cause above, in a few words")
    addressed_by: AddressedBy = Field(default_factory=list, description=ADDRESSED_BY)


class Cause(Strict):
    cause: Text = Field(min_length=1, description="what contributes to the effect, in a few words")
    addressed_by: AddressedBy = Field(default_factory=list, description=ADDRESSED_BY)
    out_of_scope: Text | None = Field(
        None, description="why the team will not act on this cause, e.g. outside its control"
    )
    causes: list[SubCause] = Field(default_factory=list, description="its sub-causes")


class Category(Strict):
    name: Text = Field(
        min_length=1,
        description="people, methods, equipment, environment, materials, measurement, "
        "or the team's own",
    )
    causes: list[Cause] = Field(default_factory=list)


class Fishbone(Strict):
    """`fishbone.yaml`: the effect (the problem) and its causes, by category."""

    effect: Text = Field(min_length=1, description="the problem, e.g. delays to physio review")
    description: Text | None = Field(
        None, description="where the causes came from, e.g. a team session on 2026-01-12"
    )
    categories: list[Category] = Field(default_factory=list)
