"""The model of `stakeholders.yaml`: a stakeholder analysis, no I/O.

Each stakeholder has an influence on the project (high or low), a level of support now
and the level the project needs, on the five-point scale of the IHI and NHS
stakeholder analysis, and the plan to move them from one to the other.
"""

from typing import Literal

from pydantic import Field

from qi_cli.model import Id, Strict, Text

Influence = Literal["high", "low"]
Support = Literal["strong_opposition", "opposition", "neutral", "support", "strong_support"]
SUPPORT_LEVELS: tuple[Support, ...] = (
    "strong_opposition",
    "opposition",
    "neutral",
    "support",
    "strong_support",
)
INFLUENCES: tuple[Influence, ...] = ("high", "low")


class Stakeholder(Strict):
    name: Text = Field(description="the person or group, e.g. ED consultants")
    role: Text | None = Field(None, description="their part in the process or the project")
    influence: Influence = Field(description="high or low: how much they can help or block")
    support: Support = Field(description="where they stand now")
    needed: Support = Field(description="where the project needs them to stand")
    plan: Text | None = Field(None, description="how the team will move them, and who will")

    @property
    def gap(self) -> int:
        """How many steps of the scale they need to move (negative: less support will do)."""
        return SUPPORT_LEVELS.index(self.needed) - SUPPORT_LEVELS.index(self.support)


class StakeholderAnalysis(Strict):
    """`stakeholders.yaml`: who can help or block the project, and the plan for each."""

    stakeholders: dict[Id, Stakeholder] = Field(default_factory=dict)
