"""Adding drivers and change ideas to the driver diagram (`qi driver add`, `qi change add`).

Functions here check what a person typed and build the patch to write; only
`write_drivers` touches a file, through `qi_cli.files.yaml_write`, which keeps the
comments and layout of what people wrote by hand. Reading the diagram is
`qi_cli.drivers`: commands that only read do not load the YAML writer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from qi_cli.driver_model import DriverDiagram
from qi_cli.drivers import clean, required_text, unknown
from qi_cli.errors import FieldError, UsageError
from qi_cli.files.layout import DRIVERS_FILE
from qi_cli.files.yaml_write import update_file
from qi_cli.project import slugify
from qi_cli.schemas import schema_comment

DRIVERS_HEADER = (
    "# The driver diagram: the aim's primary drivers, the secondary drivers that feed them,\n"
    "# and the change ideas to test. A driver with no `parents` is a primary driver.\n"
    "drivers: {}\nchanges: {}\n"
)


# --- drivers and change ideas ----------------------------------------------------------


def _new_id(title: str, given: str | None, diagram: DriverDiagram, kind: str) -> str:
    taken = set(diagram.drivers) | set(diagram.changes)
    new_id = given.strip() if given is not None else slugify(title, fallback=kind.split()[0])
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", new_id) or len(new_id) > 64:
        raise UsageError(
            f"'{new_id}' is not a valid id",
            hint="ids use lower-case letters, digits and hyphens, e.g. physio-review",
        )
    if new_id in taken:
        where = "driver" if new_id in diagram.drivers else "change idea"
        known = ", ".join(sorted(taken))
        raise FieldError(
            "id",
            f"there is already a {where} with the id '{new_id}'",
            hint=f"choose another id with {{id}} (ids in use: {known})",
            exit_code=1,
        )
    return new_id


def add_driver(
    diagram: DriverDiagram,
    name: str,
    *,
    parents: Sequence[str] = (),
    driver_id: str | None = None,
    measure: str | None = None,
    measures: Iterable[str] = (),
) -> tuple[str, dict[str, Any]]:
    """A new driver's id and the patch that adds it to drivers.yaml."""
    name = required_text(name, "driver name")
    new_id = _new_id(name, driver_id, diagram, "driver")
    for parent in parents:
        if parent not in diagram.drivers:
            known = ", ".join(sorted(diagram.drivers)) or "none yet"
            raise FieldError(
                "parent",
                f"no driver '{parent}'",
                hint=f"known drivers: {known}; a {{parent}} must exist first",
                exit_code=1,
            )
    if measure is not None and measure not in set(measures):
        raise unknown("measure", measure, measures, "add it with `qi measure add`")
    entry: dict[str, Any] = {"name": name}
    if parents:
        entry["parents"] = list(dict.fromkeys(parents))
    if measure:
        entry["measure"] = measure
    return new_id, {"drivers": {new_id: entry}}


def add_change(
    diagram: DriverDiagram,
    title: str,
    *,
    drivers: Sequence[str] = (),
    change_id: str | None = None,
    description: str | None = None,
    source: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """A new change idea's id and the patch that adds it to drivers.yaml."""
    title = required_text(title, "change idea")
    new_id = _new_id(title, change_id, diagram, "change idea")
    for driver in drivers:
        if driver not in diagram.drivers:
            raise unknown("driver", driver, diagram.drivers, "add it with `qi driver add`")
    entry: dict[str, Any] = {"title": title}
    if drivers:
        entry["drivers"] = list(dict.fromkeys(drivers))
    for key, value in (("description", description), ("source", source)):
        if clean(value):
            entry[key] = clean(value)
    return new_id, {"changes": {new_id: entry}}


def write_drivers(
    root: Path, make: Callable[[DriverDiagram], tuple[str, dict[str, Any]]]
) -> tuple[str, DriverDiagram]:
    """Add to drivers.yaml under the lock, re-reading it so parallel adds both land.

    `make` is `add_driver` or `add_change` on the diagram as it is now; a missing
    drivers.yaml starts from an empty diagram with a header that explains it.
    """
    result: dict[str, str] = {}

    def patch(current: DriverDiagram, _text: str) -> dict[str, Any]:
        new_id, data = make(current)
        result["id"] = new_id
        return data

    empty = schema_comment("drivers") + DRIVERS_HEADER
    value, _, _ = update_file(root, root / DRIVERS_FILE, DriverDiagram, patch, empty=empty)
    return result["id"], value
