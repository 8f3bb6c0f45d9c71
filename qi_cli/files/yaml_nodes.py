"""libyaml's side of reading YAML: the node tree, plain values built from it, positions.

Imported only when a file is outside the plain shape `yamlfast` reads, or when a
problem needs its position: a clean project never loads PyYAML. See `yamlio` for
the rules (YAML 1.2 core schema, no aliases, duplicate keys refused).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from qi_cli.errors import QiError
from qi_cli.files import yamlfast
from qi_cli.files.yaml_read import Key, Position

try:  # the C parser is several times faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
    """A safe loader whose implicit types follow the YAML 1.2 core schema."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", yamlfast.BOOL, "tTfF"),
    ("int", yamlfast.INT, "-+0123456789"),
    ("float", yamlfast.FLOAT, "-+.0123456789"),
    ("null", yamlfast.NULL, ["~", "n", "N", ""]),
):
    _Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(f"^{_pattern.pattern}$"), list(_first)
    )


def compose(text: str, display: str) -> yaml.Node | None:
    """libyaml's node tree of `text`; a syntax error becomes a QiError at its position."""
    try:
        loader = _Loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise QiError(
            f"{display}: YAML syntax error: {problem}",
            hint="check the indentation and the quoting near this position; "
            "text with ': ' or '#' in it needs quotes",
            path=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise QiError(f"{display}: YAML error: {exc}", path=display) from None


def walk(
    node: yaml.Node | None, loc: tuple[Key, ...]
) -> tuple[yaml.Node | None, yaml.Node | None, int]:
    """The value node and key node at `loc`, and how many parts of `loc` were found."""
    key_node: yaml.Node | None = None
    found = 0
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and str(_scalar_value(k)) == part:
                    node, key_node = v, k
                    break
            else:
                return node, None, found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return node, None, found
            node, key_node = node.value[part], None
        else:
            return node, None, found
        found += 1
    return node, key_node, found


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """A key node's value, converted as the builder converts it (for finding positions)."""
    if node.value == "":
        return ""
    try:
        return Builder("").build(node)
    except QiError:
        return node.value


def position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str")
) | {"!"}


class Builder:
    """Turns a composed node tree into dicts, lists and scalars; refuses what qi does not
    read (aliases, complex keys, duplicate keys, unknown tags)."""

    def __init__(self, display: str) -> None:
        self.display = display
        self._seen: set[int] = set()

    def _fail(self, node: yaml.Node, message: str, hint: str) -> QiError:
        pos = position(node)
        return QiError(
            f"{self.display}: {message}",
            hint=hint,
            path=self.display,
            line=pos.line,
            column=pos.column,
        )

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self._seen:
            raise self._fail(
                node,
                "YAML aliases (*name) are not supported in qi files",
                "write the value out in full instead of referring to an anchor",
            )
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise self._fail(
                    key_node,
                    "keys must be plain words",
                    "write `name: value` with a simple name before the colon",
                )
            key = str(self._scalar(key_node)) if key_node.value != "" else ""
            if key in first_line:
                raise self._fail(
                    key_node,
                    f"duplicate key '{key}' (first on line {first_line[key]})",
                    "a key can appear once in a mapping: merge the two entries or remove one",
                )
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag in _TAGS:
            return yamlfast.scalar(tag, node.value)
        raise self._fail(
            node,
            f"unsupported YAML tag {tag}",
            "qi files use plain values: text, numbers, true/false, lists and mappings",
        )
