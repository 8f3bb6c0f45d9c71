"""Adding an event to `events.yaml` (`qi event add`): the one place that writes it.

`add_event` checks what a person typed and builds the patch; `write_events` applies it
under the project lock through `qi_cli.files.yaml_write`, which keeps the comments and
layout of the file. Reading events is `qi_cli.events`: charts do not load the writer.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qi_cli.drivers import required_text
from qi_cli.errors import FieldError
from qi_cli.event_model import EVENT_KINDS, Event, EventLog
from qi_cli.files.layout import EVENTS_FILE
from qi_cli.files.yaml_write import update_file
from qi_cli.schemas import schema_comment

EVENTS_HEADER = (
    "# Events: what happened to the process outside the team's PDSA cycles (a new\n"
    "# system, a data problem, a staffing change). Charts draw them next to the cycles.\n"
    "# kind: system_change, data_issue, external_event, staffing, policy or other.\n"
    "events: []\n"
)


def event_kind(value: str) -> str:
    """A kind as typed with spaces, hyphens or capitals.

    >>> event_kind("System change"), event_kind("data-issue")
    ('system_change', 'data_issue')
    """
    word = "_".join(value.strip().lower().replace("-", " ").split())
    if word in EVENT_KINDS:
        return word
    close = difflib.get_close_matches(word, EVENT_KINDS, n=1, cutoff=0.6)
    shown = ", ".join(k.replace("_", " ") for k in EVENT_KINDS)
    raise FieldError(
        "kind",
        f"{{kind}}: '{value}' is not a kind of event",
        hint=(f"did you mean '{close[0].replace('_', ' ')}'? " if close else "")
        + f"choose one of: {shown}",
    )


def add_event(
    log: EventLog,
    date: dt.date,
    text: str,
    *,
    kind: str = "other",
    measures: Sequence[str] = (),
    known_measures: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The patch that adds one event at the end of events.yaml."""
    text = required_text(text, "event's text")
    entry: dict[str, Any] = {"date": date, "text": text, "kind": event_kind(kind)}
    for measure in measures:
        if known_measures is not None and measure not in known_measures:
            close = difflib.get_close_matches(measure, list(known_measures), n=1)
            raise FieldError(
                "measure",
                f"no measure '{measure}' for {{measure}}",
                hint=(f"did you mean '{close[0]}'? " if close else "")
                + "known measures: "
                + (", ".join(sorted(known_measures)) or "none yet"),
                exit_code=1,
            )
    if measures:
        entry["measures"] = list(dict.fromkeys(measures))
    same = [e for e in log.events if e.date == date and e.text == text]
    if same:
        raise FieldError(
            "text",
            f"events.yaml already has this event on {date}",
            hint="nothing to add; edit events.yaml to change it",
            exit_code=1,
        )
    return {"events": [{} for _ in log.events] + [entry]}


def write_events(
    root: Path,
    date: dt.date,
    text: str,
    *,
    kind: str = "other",
    measures: Sequence[str] = (),
    known_measures: Sequence[str] | None = None,
) -> Event:
    """Add the event under the lock, re-reading the file so parallel adds both land; a
    missing file starts with a header that explains it."""

    def patch(current: EventLog, _text: str) -> dict[str, Any]:
        return add_event(
            current, date, text, kind=kind, measures=measures, known_measures=known_measures
        )

    empty = schema_comment("events") + EVENTS_HEADER
    value, _, _ = update_file(root, root / EVENTS_FILE, EventLog, patch, empty=empty)
    return value.events[-1]
