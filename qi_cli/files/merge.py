"""git's merge driver for project.yaml and drivers.yaml: everyday additions merge.

Two people who each add a driver or a change idea, or each record a progress score, on
their own branch add lines at the same end of the same mapping or list: git's line merge
stops with a conflict although nothing conflicts. `qi merge-file BASE OURS THEIRS` (which
`qi project gitattributes` installs as the `qi` merge driver) does this instead:

1. git's own line merge (`git merge-file`); when it is clean, that is the result;
2. otherwise a three-way merge of the parsed data: a key or a list entry that one side
   added, changed or removed is taken from that side; both sides appending to a list
   keep both appends (ours first); the same key added or changed on both sides with
   different values is a real conflict;
3. the result is ours with only the data theirs brought spliced in (comments and layout
   kept, as every qi write), read back and checked to hold exactly the merged data;
4. a real conflict, a removal that ours still holds, or a file that cannot be read falls
   back to git's line merge with its conflict markers, as without the driver.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from qi_cli.driver_model import DriverDiagram
from qi_cli.errors import QiError
from qi_cli.files.disk import read_text, write_atomic
from qi_cli.files.layout import DRIVERS_FILE, PROJECT_FILE
from qi_cli.files.yaml_read import parse_yaml
from qi_cli.files.yaml_write import splice
from qi_cli.project_model import Project

MODELS: dict[str, type[BaseModel]] = {PROJECT_FILE: Project, DRIVERS_FILE: DriverDiagram}
"""The files the driver merges by their data (the order of their keys), by name."""


class Conflict(Exception):
    """Both sides changed the same value differently: left to a person."""


def merge3(base: Any, ours: Any, theirs: Any) -> Any:
    """A three-way merge of plain data; raises Conflict where both sides disagree.

    >>> merge3({"a": 1}, {"a": 1, "b": 2}, {"a": 1, "c": 3})
    {'a': 1, 'b': 2, 'c': 3}
    >>> merge3([1], [1, 2], [1, 3])
    [1, 2, 3]
    """
    if ours == theirs:
        return ours
    if theirs == base:
        return ours
    if ours == base:
        return theirs
    if isinstance(ours, dict) and isinstance(theirs, dict):
        old = base if isinstance(base, dict) else {}
        merged: dict[str, Any] = {}
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            if key in ours and key in theirs:
                merged[key] = merge3(old.get(key), ours[key], theirs[key])
            elif key in ours:
                if key in old and old[key] != ours[key]:
                    raise Conflict(key)  # changed on ours, removed on theirs
                if key not in old:
                    merged[key] = ours[key]
            else:
                if key in old and old[key] != theirs[key]:
                    raise Conflict(key)
                if key not in old:
                    merged[key] = theirs[key]
        return merged
    if isinstance(ours, list) and isinstance(theirs, list) and isinstance(base, list):
        n = len(base)
        if ours[:n] == base and theirs[:n] == base:  # both appended: keep both
            return base + ours[n:] + [item for item in theirs[n:] if item not in ours[n:]]
    raise Conflict(repr(base))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_written(value: Any) -> Any:
    """Data as a qi writer gives it: a date read as text is a date again, so that it is
    written `2026-03-02`, as it was, not quoted."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_written(v) for v in value]
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _patch(merged: Any, ours: Any) -> dict[str, Any] | None:
    """What to splice into ours to make it `merged`; None if a key must be removed."""
    patch: dict[str, Any] = {}
    if any(key not in merged for key in ours):
        return None
    for key, value in merged.items():
        if key in ours and ours[key] == value:
            continue
        if key in ours and isinstance(value, dict) and isinstance(ours[key], dict):
            inner = _patch(value, ours[key])
            if inner is None:
                return None
            patch[key] = inner
        elif key in ours and isinstance(value, list) and isinstance(ours[key], list):
            if value[: len(ours[key])] != ours[key]:
                return None  # splice merges lists item by item: only appends are safe
            patch[key] = value
        else:
            patch[key] = value
    return patch


def merge_texts(base: str, ours: str, theirs: str, name: str) -> str | None:
    """The merged text of a qi YAML file, or None when a person must decide."""
    model = MODELS.get(Path(name).name)
    if model is None:
        return None
    try:
        datas = [parse_yaml(text, name).data for text in (base or "{}\n", ours, theirs)]
        if not all(isinstance(d, dict) for d in datas):
            return None
        merged = merge3(*datas)
        patch = _patch(merged, datas[1])
        if patch is None:
            return None
        text = splice(ours, _as_written(patch), model, name)
        if parse_yaml(text, name).data != merged:  # exactly the merged data, or nothing
            return None
        model.model_validate(merged)
    except (Conflict, QiError, ValueError):
        return None
    return text if text.endswith("\n") else text + "\n"


def merge_file(base: Path, ours: Path, theirs: Path, name: str) -> bool:
    """git's merge driver: leave the result in `ours`; True if clean, else False with
    git's conflict markers in `ours`."""
    line_merge = ["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs"]
    clean = subprocess.run(
        [*line_merge, "-p", "-q", str(ours), str(base), str(theirs)],
        capture_output=True,
        text=True,
        check=False,
    )
    if clean.returncode == 0:
        write_atomic(ours, clean.stdout)
        return True
    try:  # a base that a recursive merge left with conflict markers is not read
        texts = [read_text(p, name) if p.stat().st_size else "" for p in (base, ours, theirs)]
        merged = merge_texts(texts[0], texts[1], texts[2], name)
    except (QiError, OSError):
        merged = None
    if merged is not None:
        write_atomic(ours, merged)
        return True
    subprocess.run([*line_merge, "-q", str(ours), str(base), str(theirs)], check=False)
    return False
