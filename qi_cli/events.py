"""Events on charts: which events a measure's chart shows, and how they are named.

`events.yaml` is read by the loader (`qi_cli.event_model`); this module picks the
events of one measure within a chart's dates and numbers them `E1`, `E2`… in date
order, the labels every chart format draws and the list under the chart uses. Adding
an event is `qi_cli.events_edit`, so that reading commands do not load the writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from qi_cli.event_model import Event

KIND_WORDS = {
    "system_change": "system change",
    "data_issue": "data issue",
    "external_event": "external event",
    "staffing": "staffing",
    "policy": "policy",
    "other": "event",
}


@dataclass(frozen=True)
class EventMark:
    """An event drawn on a chart: its label (`E1`), date, words and kind."""

    label: str
    date: dt.date
    text: str
    kind: str

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "date": self.date.isoformat(),
            "text": self.text,
            "kind": self.kind,
        }


def event_marks(
    events: Sequence[Event], measure_id: str, first: dt.date, last: dt.date
) -> tuple[EventMark, ...]:
    """The events a measure's chart shows: those for this measure (or for every
    measure) dated from its first point to the end of its last period, in date order."""
    shown = sorted(
        (e for e in events if e.applies_to(measure_id) and first <= e.date <= last),
        key=lambda e: e.date,
    )
    return tuple(
        EventMark(label=f"E{k}", date=e.date, text=e.text, kind=e.kind)
        for k, e in enumerate(shown, start=1)
    )
