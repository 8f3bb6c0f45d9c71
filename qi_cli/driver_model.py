"""`drivers.yaml`: the driver diagram and the change ideas (`DriverDiagram`).

Words follow the Model for Improvement (Langley et al.) and the IHI PDSA worksheet;
the ids, texts and word lists all files share are in `qi_cli.model`.
"""

from pydantic import (
    Field,
)

from qi_cli.model import Id, Strict, Text


class Driver(Strict):
    name: Text
    parents: list[Id] = Field(
        default_factory=list, description="driver ids this one feeds; none for a primary driver"
    )
    measure: Id | None = None

    @property
    def primary(self) -> bool:
        return not self.parents


class ChangeIdea(Strict):
    title: Text
    drivers: list[Id] = Field(default_factory=list)
    description: Text | None = None
    source: Text | None = Field(None, description="where the idea came from")


class DriverDiagram(Strict):
    """`drivers.yaml`: primary and secondary drivers and the change ideas."""

    drivers: dict[Id, Driver] = Field(default_factory=dict)
    changes: dict[Id, ChangeIdea] = Field(default_factory=dict)
