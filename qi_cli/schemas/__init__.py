"""JSON Schemas (draft-07) of qi's files, so editors validate and complete while typing.

The schemas are generated from the pydantic models in `qi_cli.*_model`, the same models
`qi validate` checks files with, and shipped beside this module as
`qi_cli/schemas/KIND.schema.json` (tests/test_schema.py fails when they are stale).

Editors find a schema through a first-line comment that the YAML language server (VS
Code's YAML extension, and the editors built on the same server) reads:

    # yaml-language-server: $schema=.qi/schemas/project.schema.json

Every project carries its own copy of the schemas in `.qi/schemas/`, written by
`qi project new` (and refreshed with `qi schema --out .qi/schemas`), and the comment
points there with a path relative to the YAML file: it works offline, behind a hospital
proxy, and always matches the qi version that wrote the files. A URL would need a
network and could drift from the installed qi.

Draft-07, not pydantic's default 2020-12, because it is the newest draft that every
editor and validator in use reads: `$defs` become `definitions`, and a `$ref` that has
neighbours is wrapped in `allOf` (draft-07 ignores the neighbours of a `$ref`).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from qi_cli import (
    cycle_model,
    driver_model,
    event_model,
    fishbone_model,
    measure_model,
    pareto_model,
    process_model,
    project_model,
    stakeholder_model,
)
from qi_cli.files.disk import write_atomic
from qi_cli.model import PROGRESS_SCALE

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = ".qi/schemas"  # inside each project, relative to its folder

# kind -> (model class name in one of MODEL_MODULES, the files it describes)
KINDS: dict[str, tuple[str, str]] = {
    "project": ("Project", "project.yaml"),
    "drivers": ("DriverDiagram", "drivers.yaml"),
    "measure": ("Measure", "measures/ID.yaml"),
    "cycle": ("Cycle", "cycles/*.yaml"),
    "fishbone": ("Fishbone", "fishbone.yaml"),
    "pareto": ("ParetoChart", "pareto/ID.yaml"),
    "process": ("ProcessMap", "process.yaml"),
    "stakeholders": ("StakeholderAnalysis", "stakeholders.yaml"),
    "events": ("EventLog", "events.yaml"),
}
# the modules that hold the models KINDS names
MODEL_MODULES = (
    project_model,
    driver_model,
    measure_model,
    cycle_model,
    fishbone_model,
    pareto_model,
    process_model,
    stakeholder_model,
    event_model,
)


def schema_file_name(kind: str) -> str:
    """`measure` -> `measure.schema.json`."""
    return f"{kind}.schema.json"


def schema_comment(kind: str, depth: int = 0) -> str:
    """The first line of a new YAML file of `kind`, `depth` folders below the project.

    Writers of new files put it first: `schema_comment("cycle", 1) + text`.

    >>> schema_comment("project")
    '# yaml-language-server: $schema=.qi/schemas/project.schema.json\\n'
    >>> schema_comment("cycle", depth=1)
    '# yaml-language-server: $schema=../.qi/schemas/cycle.schema.json\\n'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown schema kind {kind!r}")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{schema_file_name(kind)}\n"


def build_schema(kind: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of one file type, from its pydantic model."""
    name, files = KINDS[kind]
    cls = next(getattr(m, name) for m in MODEL_MODULES if hasattr(m, name))
    raw = cls.model_json_schema(ref_template="#/definitions/{model}")
    definitions = raw.pop("$defs", None)
    description = (raw.pop("description", "") or "").strip()
    schema: dict[str, Any] = {
        "$schema": DRAFT_07,
        "title": f"qi {files}",
        "description": (description + " " if description else "")
        + "Written for qi's project format version 1; see docs/format.md.",
    }
    schema.update((k, v) for k, v in raw.items() if k != "title")
    if definitions:
        schema["definitions"] = definitions
    _progress_scale(schema)
    return _draft07(schema)  # type: ignore[no-any-return]


def _draft07(node: Any) -> Any:
    """Rewrite what draft-07 reads differently from pydantic's 2020-12 output."""
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _draft07(value) for key, value in node.items()}
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    if "patternProperties" in out and "additionalProperties" not in out:
        # a mapping keyed by ids: a key that is not an id is an error, as in qi validate
        out["additionalProperties"] = False
    if out.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(out):
        # the models read a number as text (`prediction: 4`), so the editor must too
        out["type"] = ["string", "number"]
    return out


def _progress_scale(schema: dict[str, Any]) -> None:
    """The progress score is checked by a validator in the model; offer its values."""
    entry = schema.get("definitions", {}).get("ProgressEntry")
    if entry is not None:
        entry["properties"]["score"]["enum"] = list(PROGRESS_SCALE)


def render_schema(kind: str) -> str:
    """The schema as the text of its file: stable key order, two-space indent, newline."""
    return json.dumps(build_schema(kind), indent=2, ensure_ascii=False) + "\n"


def shipped_schema(kind: str) -> str:
    """The schema file shipped in the package (generated by `qi schema --out`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown schema kind {kind!r}")
    return (resources.files(__name__) / schema_file_name(kind)).read_text(encoding="utf-8")


def package_schema_dir() -> Path:
    """Where the shipped schemas live in a source checkout (for regenerating them)."""
    return Path(__file__).resolve().parent


def write_schemas(folder: Path, *, generate: bool = False) -> list[Path]:
    """Write every schema into `folder`: the shipped files, or freshly generated ones."""
    written = []
    for kind in KINDS:
        path = folder / schema_file_name(kind)
        write_atomic(path, render_schema(kind) if generate else shipped_schema(kind))
        written.append(path)
    return written
