"""`qi schema` and the shipped JSON Schemas: current, draft-07, and accepted by editors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from qi_cli.schemas import (
    DRAFT_07,
    KINDS,
    SCHEMA_DIR,
    package_schema_dir,
    render_schema,
    schema_comment,
    shipped_schema,
)
from tests.conftest import run

REFRESH = "qi schema --out qi_cli/schemas"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KIND_OF_FOLDER = {"measures": "measure", "cycles": "cycle", "pareto": "pareto"}
# the files at the top of a project: project.yaml, drivers.yaml, process.yaml, ...
ROOT_KINDS = {files: kind for kind, (_, files) in KINDS.items() if "/" not in files}


def walk(node: Any) -> list[dict[str, Any]]:
    """Every mapping inside a schema."""
    if isinstance(node, dict):
        return [node, *(m for v in node.values() for m in walk(v))]
    if isinstance(node, list):
        return [m for v in node for m in walk(v)]
    return []


def kind_of(path: Path, root: Path) -> str:
    rel = path.relative_to(root)
    if len(rel.parts) == 1:
        return ROOT_KINDS.get(rel.name, "?")
    return KIND_OF_FOLDER.get(rel.parts[0], "?")


class YamlAsEditorsReadIt(yaml.SafeLoader):
    """YAML 1.2 as the YAML language server (and qi) reads it: a date is a string, and
    only true and false are booleans (`prediction: Yes` is text)."""


YamlAsEditorsReadIt.yaml_implicit_resolvers = {
    key: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YamlAsEditorsReadIt.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_as_editor(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YamlAsEditorsReadIt)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_shipped_schema_is_current(kind: str) -> None:
    shipped = (package_schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert shipped == render_schema(kind), (
        f"qi_cli/schemas/{kind}.schema.json is stale: the models changed. Refresh with: {REFRESH}"
    )
    assert shipped_schema(kind) == shipped


def test_no_stray_schema_files() -> None:
    names = sorted(p.name for p in package_schema_dir().glob("*.json"))
    assert names == sorted(f"{k}.schema.json" for k in KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_is_draft_07(kind: str) -> None:
    schema = json.loads(render_schema(kind))
    assert schema["$schema"] == DRAFT_07
    assert schema["title"].startswith("qi ")
    assert "docs/format.md" in schema["description"]
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    text = json.dumps(schema)
    assert "$defs" not in text and "prefixItems" not in text
    definitions = schema.get("definitions", {})
    for node in walk(schema):
        if "$ref" in node:
            assert set(node) == {"$ref"}, "draft-07 ignores the neighbours of a $ref"
            name = node["$ref"].removeprefix("#/definitions/")
            assert name in definitions, node["$ref"]
        if "patternProperties" in node:
            assert node["additionalProperties"] is False


def test_schema_follows_the_model() -> None:
    from qi_cli.cycle_model import Cycle
    from qi_cli.measure_model import Measure
    from qi_cli.project_model import Project

    for kind, model in (("project", Project), ("measure", Measure), ("cycle", Cycle)):
        schema = json.loads(render_schema(kind))
        assert set(schema["properties"]) == set(model.model_fields)
    measure = json.loads(render_schema("measure"))
    assert measure["required"] == ["name", "kind", "data_type"]
    assert measure["properties"]["direction"]["enum"] == ["increase", "decrease", "neutral"]
    project = json.loads(render_schema("project"))
    score = project["definitions"]["ProgressEntry"]["properties"]["score"]
    assert score["enum"] == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]
    # text fields read numbers too, as the models do (`prediction: 4`)
    question = json.loads(render_schema("cycle"))["definitions"]["Question"]
    assert question["properties"]["question"]["type"] == ["string", "number"]


def test_schema_comment() -> None:
    assert schema_comment("measure", 1) == (
        "# yaml-language-server: $schema=../.qi/schemas/measure.schema.json\n"
    )
    with pytest.raises(ValueError, match="unknown schema kind"):
        schema_comment("measures")


def test_every_template_yaml_starts_with_its_schema_comment() -> None:
    files = sorted(TEMPLATES.glob("*/**/*.yaml"))
    assert len(files) > 10
    for path in files:
        template = next(p for p in TEMPLATES.iterdir() if p in path.parents)
        kind = kind_of(path, template)
        depth = len(path.relative_to(template).parts) - 1
        first = path.read_text(encoding="utf-8").splitlines(keepends=True)[0]
        assert first == schema_comment(kind, depth), path


@pytest.mark.parametrize("template", ["blank", "example"])
def test_new_project_carries_the_schemas_its_comments_point_to(
    template: str, runner: CliRunner, tmp_path: Path
) -> None:
    code, _, err = run(
        runner, "project", "new", "Schemas", "--template", template, "--dir", str(tmp_path)
    )
    assert code == 0, err
    root = tmp_path / "schemas"
    for kind in KINDS:
        assert (root / SCHEMA_DIR / f"{kind}.schema.json").read_text() == shipped_schema(kind)
    for path in sorted(root.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert target != first, path
        # the YAML language server resolves a relative path from the file's folder
        assert (path.parent / target).resolve().is_file(), path
    assert run(runner, "validate", str(root))[0] == 0


def test_example_project_is_valid_for_a_draft_07_validator(
    runner: CliRunner, tmp_path: Path
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, _, err = run(
        runner, "project", "new", "Ex", "--template", "example", "--dir", str(tmp_path)
    )
    assert code == 0, err
    root = tmp_path / "ex"
    validators = {}
    for kind in KINDS:
        schema = json.loads(shipped_schema(kind))
        jsonschema.Draft7Validator.check_schema(schema)
        validators[kind] = jsonschema.Draft7Validator(
            schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        )
    files = sorted(root.rglob("*.yaml"))
    assert len(files) == 19
    for path in files:
        errors = list(validators[kind_of(path, root)].iter_errors(load_as_editor(path)))
        assert errors == [], (path, [e.message for e in errors])
    cycle = load_as_editor(next(root.glob("cycles/*.yaml")))
    cycle["act"]["decision"] = "adopted"
    cycle["purpose"] = "test"
    cycle["stduy"] = {}
    cycle["plan"]["start"] = "2026-02-30"
    errors = list(validators["cycle"].iter_errors(cycle))
    assert sorted(e.json_path for e in errors) == ["$", "$.act", "$.plan.start"]
    assert any("'stduy' was unexpected" in e.message for e in errors)


def test_cli_lists_prints_and_writes(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(runner, "schema")
    assert code == 0
    assert "measure   measures/ID.yaml" in out
    code, out, _ = run(runner, "schema", "measure")
    assert code == 0
    assert out == shipped_schema("measure")
    code, out, err = run(runner, "schema", "--out", str(tmp_path / "s"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(
        f"{k}.schema.json" for k in KINDS
    )
    assert out.count("wrote ") == len(KINDS)
    code, out, _ = run(runner, "schema", "cycle", "-o", str(tmp_path / "one"))
    assert code == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["cycle.schema.json"]


def test_cli_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = run(runner, "schema", "measures")
    assert code == 2
    assert "unknown file type 'measures'" in err and "did you mean 'measure'?" in err
    assert out == ""
    (tmp_path / "file").write_text("x")
    code, _, err = run(runner, "schema", "--out", str(tmp_path / "file"))
    assert code == 2
    assert "is a file, expected a folder" in err
    code, _, err = run(runner, "schema", "--nope")
    assert code == 2
    assert "Traceback" not in err
