"""`project.yaml`: the charter, the aim, the team and the progress score history (`Project`).

Words follow the Model for Improvement (Langley et al.) and the IHI PDSA worksheet;
the ids, texts and word lists all files share are in `qi_cli.model`.
"""

import datetime as dt
from typing import Literal

from pydantic import (
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from qi_cli.model import FORMAT_VERSION, PROGRESS_SCALE, Id, Status, Strict, Text, Visibility


class TeamMember(Strict):
    name: Text
    role: Text | None = None


class Scope(Strict):
    included: Text | None = Field(None, description="what the project covers")
    excluded: Text | None = Field(None, description="what it deliberately leaves out")


class ProgressEntry(Strict):
    date: dt.date
    score: float = Field(description="IHI progress scale, 0.5 to 5.0 in steps of 0.5")
    note: Text | None = None

    @field_validator("score")
    @classmethod
    def _on_scale(cls, value: float) -> float:
        if value not in PROGRESS_SCALE:
            raise ValueError("progress score must be one of 0.5, 1.0, 1.5, ... 5.0")
        return value


class Aim(Strict):
    statement: Text = Field(description="SMART: what, by how much, for whom, by when")
    outcome_measure: Id | None = Field(None, description="id of the measure the aim refers to")
    baseline: float | None = None
    target: float | None = None
    target_date: dt.date | None = None
    population: Text | None = None


class Silence(Strict):
    code: str = Field(pattern=r"^Q\d{3}$")
    reason: Text


# how people write dates by hand; the same words as `qi_cli.dates.DateOrder` (a test
# keeps them equal: the model may not import the date parser)
DateOrder = Literal["iso", "day-first", "month-first"]


class Settings(Strict):
    ignore: list[Silence] = Field(default_factory=list, description="coaching codes to silence")
    dates: DateOrder = Field(
        "iso",
        description="how dates are typed at the command line and in prompts: iso "
        "(2026-01-31 only), day-first (31/01/2026 too) or month-first (01/31/2026 too)",
    )


class Project(Strict):
    """`project.yaml`: the charter, the aim and progress."""

    format: Literal[1]
    title: Text
    status: Status = "planning"
    start_date: dt.date
    end_date: dt.date | None = None
    directorate: Text | None = Field(None, description="the directorate or division")
    ward: Text | None = Field(None, description="the ward, team or department")
    tags: list[Id] = Field(default_factory=list, description="topics, for finding projects")
    visibility: Visibility = Field(
        "internal",
        description="who may see the project on a published site: public (anyone), "
        "internal (the trust's own site, the default) or private (nobody)",
    )
    problem: Text | None = None
    reason: Text | None = Field(None, description="why this matters now")
    scope: Scope | None = None
    team: list[TeamMember] = Field(default_factory=list)
    sponsor: Text | None = None
    coach: Text | None = None
    expected_benefits: Text | None = None
    patient_involvement: Text | None = None
    aim: Aim | None = None
    progress: list[ProgressEntry] = Field(default_factory=list)
    settings: Settings | None = None

    @field_validator("format", mode="before")
    @classmethod
    def _format_this_qi_reads(cls, value: object) -> object:
        """A version that is not a whole number, or is from a newer qi, says so (rather
        than "choose one of: 1"); `true` is not version 1."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise PydanticCustomError(
                "format_version", "the version must be a whole number, such as 1"
            )
        if value > FORMAT_VERSION:
            raise PydanticCustomError(
                "format_newer",
                "version {value} is newer than this qi reads (it reads version {reads})",
                {"value": value, "reads": FORMAT_VERSION},
            )
        return value

    @property
    def lead(self) -> str | None:
        for member in self.team:
            if member.role and "lead" in member.role.lower():
                return member.name
        return self.team[0].name if self.team else None

    @property
    def date_order(self) -> DateOrder:
        """How the project's people type dates (`settings.dates`)."""
        return self.settings.dates if self.settings else "iso"

    @property
    def progress_score(self) -> float | None:
        return self.progress[-1].score if self.progress else None


def date_order_problems(project: Project) -> list[tuple[tuple[str, ...], str]]:
    """The rules between project.yaml's dates that no single field shows: where each
    broken one points and what it says. `qi validate` reports them; `qi project set`
    refuses to write a value that breaks one.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    if project.end_date and project.end_date < project.start_date:
        found.append((("end_date",), "end_date is before start_date"))
    aim = project.aim
    if aim is not None and aim.target_date and aim.target_date < project.start_date:
        found.append(
            (
                ("aim", "target_date"),
                f"aim.target_date {aim.target_date} is before the start date {project.start_date}",
            )
        )
    return found
