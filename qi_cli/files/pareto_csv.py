"""A Pareto chart's data file (CSV), read with every problem at its line and column.

Two shapes, told apart by the header (names in any case, in any order):

- one row per event, with a `category` column (other columns, such as `date` or
  `note`, are kept in the file for people and ignored here);
- one row per category, with `category` and `count` columns (a category written on
  several rows is summed: e.g. one row per month).

An empty category cell is a missing value: left out of the chart unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qi_cli.errors import Issue, excerpt
from qi_cli.files.csv_records import CsvSyntaxError, column_of, read_records
from qi_cli.files.disk import MAX_CSV_BYTES, read_text

CATEGORY = "category"
COUNT = "count"
_HEADER_HINT = "the first line must name a `category` column (and `count` for counts)"


@dataclass
class ParetoData:
    """What a Pareto CSV counts: events (one label each) or counts per category."""

    events: list[str | None] | None = None
    counts: dict[str | None, int] | None = None
    rows: int = 0  # data rows read (for messages)
    issues: list[Issue] = field(default_factory=list)

    @property
    def categories(self) -> list[str | None] | dict[str | None, int]:
        """The input of `qi_cli.stats.pareto`."""
        if self.counts is not None:
            return self.counts
        return self.events or []


def _count(text: str) -> int:
    value = float(text.replace(",", "")) if text else float("nan")
    if not value.is_integer() or value < 0:
        raise ValueError(text)
    return int(value)


def parse_pareto(text: str, display: str) -> ParetoData:
    """The categories of a Pareto CSV's text, and each problem with its line and column."""
    data = ParetoData()
    lines = text.splitlines()
    records = read_records(text)
    try:
        try:
            header_line, header = next(records)
        except StopIteration:
            data.issues.append(Issue(display, "file is empty", line=1, column=1, hint=_HEADER_HINT))
            return data
        names = [h.strip().lower() for h in header]
        if CATEGORY not in names:
            data.issues.append(
                Issue(
                    display, "no `category` column", line=header_line, column=1, hint=_HEADER_HINT
                )
            )
            return data
        at, count_at = names.index(CATEGORY), names.index(COUNT) if COUNT in names else None
        events: list[str | None] = []
        counts: dict[str | None, int] = {}
        for line, cells in records:
            if not any(c.strip() for c in cells):
                continue  # a blank line
            data.rows += 1
            category = cells[at].strip() if at < len(cells) else ""
            if "\n" in category:
                data.issues.append(
                    Issue(
                        display,
                        "the category runs over several lines",
                        line=line,
                        column=1,
                        hint='is a quote (") misplaced? a category is one line of text',
                    )
                )
                continue
            label = category or None
            if count_at is None:
                events.append(label)
                continue
            cell = cells[count_at].strip() if count_at < len(cells) else ""
            try:
                counts[label] = counts.get(label, 0) + _count(cell)
            except ValueError:
                data.issues.append(
                    Issue(
                        display,
                        f"count {excerpt(cell)} is not a whole number of 0 or more"
                        if cell
                        else "the count is missing",
                        line=line,
                        column=column_of(lines, line, count_at),
                        hint="write how many times the category happened, e.g. 12",
                    )
                )
    except CsvSyntaxError as exc:
        data.issues.append(
            Issue(display, str(exc), line=exc.line, column=exc.column, hint=exc.hint)
        )
        return data
    if count_at is None:
        data.events = events
    else:
        data.counts = counts
    if not data.rows:
        data.issues.append(
            Issue(
                display,
                "no data rows yet",
                line=header_line + 1,
                column=1,
                severity="warning",
                hint="add one row per event (or per category, with a count)",
            )
        )
    return data


def read_pareto(path: Path, display: str, *, root: Path | None = None) -> ParetoData:
    """Read a Pareto CSV file (size and encoding checked as for a measure's data; of the
    project at `root`: see `disk.read_text`)."""
    return parse_pareto(read_text(path, display, root=root, max_bytes=MAX_CSV_BYTES), display)
