"""The model of `events.yaml`: things that happened to the process, no I/O.

An event is something outside the team's PDSA cycles that may move a measure: a new
system, a data problem, a staffing change, a heatwave. Charts draw each event next to
the cycle markers and list it under the chart, so nobody mistakes its effect for the
project's; a phase of a measure may name an event as its reason (`event:` its date).
"""

import datetime as dt
from typing import Literal

from pydantic import Field

from qi_cli.model import Id, Strict, Text

EventKind = Literal["system_change", "data_issue", "external_event", "staffing", "policy", "other"]
EVENT_KINDS: tuple[EventKind, ...] = (
    "system_change",
    "data_issue",
    "external_event",
    "staffing",
    "policy",
    "other",
)


class Event(Strict):
    date: dt.date = Field(description="the day it happened (or began)")
    text: Text = Field(description="what happened, in a few words")
    kind: EventKind = Field(
        "other",
        description="system_change, data_issue, external_event, staffing, policy or other",
    )
    measures: list[Id] = Field(
        default_factory=list,
        description="ids of the measures it applies to; every measure if empty",
    )

    def applies_to(self, measure_id: str) -> bool:
        return not self.measures or measure_id in self.measures


class EventLog(Strict):
    """`events.yaml`: the events a project's charts should show."""

    events: list[Event] = Field(default_factory=list)
