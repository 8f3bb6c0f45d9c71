"""Creating a project folder from the templates shipped in the wheel, and its progress.

The templates live in the top-level `templates/` folder of the source tree and are
installed as the package `qi_cli.templates`, so `qi project new` works from any folder
after a plain `pip install`. A new project is written into a temporary folder beside
its destination and renamed into place at the end: it appears whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from qi_cli.dates import parse_user_date
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.core_loader import load_core
from qi_cli.files.disk import (
    create_folder,
    display_path,
    read_text,
    resolve_path,
    write_atomic,
)
from qi_cli.files.git import merge_attribute
from qi_cli.files.layout import GITATTRIBUTES, PROJECT_FILE
from qi_cli.files.yaml_write import merge, update_file, yaml_scalar
from qi_cli.model import PROGRESS_SCALE
from qi_cli.project_model import Project, date_order_problems
from qi_cli.schemas import SCHEMA_DIR, write_schemas

if TYPE_CHECKING:
    from importlib.abc import Traversable

M = TypeVar("M", bound=BaseModel)
TEMPLATES = ("blank", "example")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# names a template file cannot carry in a wheel; they are renamed when copied
_RENAMES = {"gitignore": ".gitignore", "gitattributes": ".gitattributes"}
MERGE_RULE = "measures/*.csv merge=union"
"""git keeps both sides' new lines of a measure's data file instead of a conflict."""
QI_MERGE_RULES = ("project.yaml merge=qi", "drivers.yaml merge=qi")
"""Additions to these files on two branches are merged by `qi merge-file`."""


def slugify(text: str, *, fallback: str = "project", max_length: int = 48) -> str:
    """A safe file name from any title: lower-case ASCII letters, digits and hyphens.

    >>> slugify("Rib fracture pathway")
    'rib-fracture-pathway'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("Démence: signalétique")
    'demence-signaletique'
    >>> slugify("Patients can see and understand the way to the toilet")
    'patients-can-see-and-understand-the-way-to-the'
    >>> slugify("病棟の転倒")  # non-Latin letters: a stable name from the title's hash
    'project-4e3720'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:  # cut at the last word that fits, never inside a word
        head = slug[: max_length + 1]
        slug = head[: head.rindex("-")] if "-" in head else slug[:max_length]
    if not slug:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
        slug = f"{fallback}-{digest}"
    return slug


def template_root(name: str) -> Traversable:
    if name not in TEMPLATES:
        raise UsageError(
            f"unknown template '{name}'", hint=f"choose one of: {', '.join(TEMPLATES)}"
        )
    try:
        root: Traversable = resources.files("qi_cli.templates") / name
    except ModuleNotFoundError:
        # Run from a source checkout (python -m pytest puts it first on sys.path): the
        # templates are the top-level folder, which a wheel installs as qi_cli.templates.
        root = Path(__file__).resolve().parent.parent / "templates" / name
    if not root.is_dir():  # pragma: no cover - a broken installation
        raise QiError(
            f"template '{name}' is missing from the installation",
            hint="reinstall qi-cli: pip install --force-reinstall qi-cli",
        )
    return root


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace `{{name}}` placeholders; an unknown name is left for the reader to see."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _copy_tree(source: Traversable, target: Path, values: Mapping[str, str]) -> None:
    for item in sorted(source.iterdir(), key=lambda t: t.name):
        if item.name in ("__pycache__", "__init__.py") or item.name.endswith(".pyc"):
            continue
        name = _RENAMES.get(item.name, item.name)
        if item.is_dir():
            _copy_tree(item, target / name, values)
        elif name.endswith((".yaml", ".md", ".csv")) or name.startswith("."):
            text = fill(item.read_text(encoding="utf-8"), values)
            text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
            write_atomic(target / name, text, overwrite=False)
        else:
            write_atomic(target / name, item.read_bytes(), overwrite=False)


def create_project(
    parent: Path,
    title: str,
    *,
    template: str = "blank",
    values: Mapping[str, str] | None = None,
    folder_name: str | None = None,
) -> Path:
    """Create a project folder under `parent`; refuse if the folder already exists."""
    source = template_root(template)
    if not title.strip():
        raise UsageError("the project title is empty", hint='qi project new "Rib fracture pathway"')
    if any(ord(ch) < 32 for ch in title):
        raise UsageError(
            "the project title contains control characters",
            hint="use letters, digits, spaces and punctuation",
        )
    name = folder_name or slugify(title)
    resolve_path(parent)  # a link loop is named as one, not as a missing folder
    target = parent / name
    if target.exists() or target.is_symlink():
        raise FieldError(
            "parent",
            f"{display_path(target)}: already exists; qi never overwrites a project",
            hint="choose another title, or {parent} for another parent folder",
            exit_code=1,
            path=display_path(target),
        )
    if not parent.is_dir():
        raise FieldError(
            "parent",
            f"{display_path(parent)}: no such folder",
            hint="create it first, or choose {parent}",
            exit_code=1,
            path=display_path(parent),
        )
    filled = {
        "title": yaml_scalar(title.strip()),
        "today": dt.date.today().isoformat(),
        **(values or {}),
    }

    def fill_folder(folder: Path) -> None:
        _copy_tree(source, folder, filled)
        # the editor schemas that the files' first-line comments point to (qi_cli.schemas)
        write_schemas(folder / SCHEMA_DIR)

    create_folder(target, fill_folder)
    return target


def add_merge_rule(root: Path) -> str:
    """Give an existing project the `.gitattributes` that new projects get, so that data
    added on two branches merges; an existing `.gitattributes` gets the one line added,
    its other lines kept. Returns "created", "added" or "present"."""
    path = root / GITATTRIBUTES
    template = (template_root("blank") / "gitattributes").read_text(encoding="utf-8")
    if not path.exists():
        write_atomic(path, template, overwrite=False)
        return "created"
    text = read_text(path, display_path(path), root=root)
    lines = {line.strip() for line in text.splitlines()}
    if MERGE_RULE not in lines and merge_attribute(root, "measures/data.csv") == "union":
        lines.add(MERGE_RULE)  # set above the project
    if {MERGE_RULE, *QI_MERGE_RULES} <= lines:
        return "present"
    if text and not text.endswith("\n"):
        text += "\n"
    # the template's lines that are missing, each with the comment above it
    added, comments = [], []
    for line in template.splitlines():
        if line.startswith("#"):
            comments.append(line)
            continue
        if line.strip() not in lines:
            added += [*comments, line]
        comments = []
    write_atomic(path, text + "\n".join(added) + "\n")
    return "added"


def template_values(
    *, lead: str | None, aim: str | None, texts: Mapping[str, str | None]
) -> dict[str, str]:
    """What fills the blank template's placeholders: each of `texts` (sponsor, coach,
    problem, reason, scope_in, scope_out) as a YAML scalar, the team with its lead, and
    the aim (or, without one, a commented-out aim to fill in)."""
    values = {key: yaml_scalar(value) for key, value in texts.items()}
    values["team"] = f"\n  - name: {yaml_scalar(lead)}\n    role: Project lead" if lead else " []"
    if aim:
        values["aim"] = (
            f"aim:\n  statement: {yaml_scalar(aim)}\n"
            "  outcome_measure:  # the id of the outcome measure in measures/\n"
            "  baseline:\n  target:\n  target_date:  # YYYY-MM-DD\n  population:"
        )
    else:
        values["aim"] = (
            "# aim:\n#   statement: Reduce ... from ... to ... by ...\n"
            "#   outcome_measure: ...  # the id of the outcome measure in measures/\n"
            "#   baseline: ...\n#   target: ...\n#   target_date: YYYY-MM-DD\n"
            "#   population: ..."
        )
    return values


def record_score(root: Path, value: float, note: str | None, when: dt.date) -> Project:
    """Add a dated entry on the IHI progress scale to project.yaml; entries stay in date
    order."""
    if value not in PROGRESS_SCALE:
        scale = ", ".join(f"{k:g} {v}" for k, v in PROGRESS_SCALE.items())
        raise UsageError(f"{value:g} is not on the IHI progress scale", hint=f"choose: {scale}")

    def patch(current: Project, _text: str) -> dict[str, object]:
        if current.progress and when < current.progress[-1].date:
            raise FieldError(
                "date",
                f"{when} is before the last progress entry ({current.progress[-1].date})",
                hint="progress entries are kept in date order; give a later {date}",
                exit_code=1,
            )
        entry: dict[str, object] = {"date": when, "score": value}
        if note:
            entry["note"] = note
        return {"progress": [{} for _ in current.progress] + [entry]}

    after, _, _ = update_file(root, root / PROJECT_FILE, Project, patch)
    return after


# --- setting one field of a file from the command line ---------------------------------


def _unwrap(annotation: Any) -> Any:
    """The type inside `X | None` and `Annotated[X, ...]`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def settable_fields(model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    """The fields one value sets (`aim.target`), with their types; lists and mappings
    (team, progress, phases...) are left to the commands that add to them."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        kind = _unwrap(info.annotation)
        if get_origin(kind) in (Union, UnionType) and float in get_args(kind):
            kind = float  # a number, or a form written in the file (a measure's target)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out.update(settable_fields(kind, f"{prefix}{name}."))
        elif get_origin(kind) not in (list, dict) and name != "format":
            out[prefix + name] = kind
    return out


# the fields `qi project new` and `qi measure add` take as one line (a title, a name):
# a line break or a control character in one is refused, as those commands refuse it
PROJECT_ONE_LINE = frozenset({"title", "directorate", "ward", "sponsor", "coach"})
MEASURE_ONE_LINE = frozenset({"name", "definition.unit", "own_unit", "shared_as"})


def field_value(kind: Any, field: str, text: str, *, one_line: bool = False) -> Any:
    """A value typed on the command line, as the field's type wants it; text without
    control characters (a line break only where the field holds paragraphs)."""
    text = text.strip()
    allowed = "" if one_line else "\n\t"
    if any((ord(ch) < 32 or ord(ch) == 127) and ch not in allowed for ch in text):
        raise FieldError(
            field,
            f"{{{field}}} contains "
            + ("a line break or a control character" if one_line else "control characters"),
            hint=("it is one line: " if one_line else "") + "use letters, digits, spaces "
            "and punctuation",
        )
    if kind is dt.date:
        return parse_user_date(text, field, dt.date.today())
    if kind is float or kind is int:
        try:
            number = float(text)
        except ValueError:
            raise FieldError(field, f"{{{field}}}: '{text}' is not a number") from None
        return int(number) if number.is_integer() else number
    if kind is bool:
        words = {"true": True, "yes": True, "false": False, "no": False}
        if text.lower() not in words:
            raise FieldError(field, f"{{{field}}}: '{text}' is not true or false")
        return words[text.lower()]
    if not text:
        raise FieldError(field, f"{{{field}}} cannot be empty", hint="give a value in quotes")
    return text


@dataclass(frozen=True)
class FieldChange:
    """What `set_field` did: the field, its old and new value, and the file."""

    field: str
    old: Any
    new: Any
    path: Path
    warnings: tuple[str, ...] = ()
    """What the value leaves to do (a measure named before it is defined)."""

    @property
    def changed(self) -> bool:
        return bool(self.old != self.new)


def check_field(model: type[M], fields: Mapping[str, Any], field: str) -> None:
    """Refuse an unknown field, naming the ones a value can be set for."""
    if field not in fields:
        close = difflib.get_close_matches(field, list(fields), n=1)
        raise FieldError(
            "field",
            f"no field '{field}' to set in a {model.__name__.lower()}",
            hint=(f"did you mean {close[0]}? " if close else "") + "fields: " + ", ".join(fields),
        )


def set_field(
    root: Path,
    path: Path,
    model: type[M],
    field: str,
    text: str,
    *,
    check: Callable[[M, M], None] | None = None,
    one_line: frozenset[str] = frozenset(),
) -> FieldChange:
    """Set one field of a YAML file (`aim.target`, `definition.numerator`), checked by
    the model (and by `check`, given the file's model before and after) before anything
    is written; comments are kept. A field in `one_line` takes no line break.

    A FieldError names the field (`{field}` for an unknown field, `{value}` otherwise).
    """
    field = field.strip().replace("-", "_")
    fields = settable_fields(model)
    check_field(model, fields, field)
    try:
        value = field_value(fields[field], field, text, one_line=field in one_line)
    except FieldError as exc:
        raise FieldError("value", exc.message, hint=exc.hint) from None
    parts = field.split(".")
    seen: dict[str, Any] = {}

    def patch(current: M, _text: str) -> dict[str, Any]:
        old: Any = current
        for part in parts:
            old = getattr(old, part, None) if old is not None else None
        seen["old"] = old
        if old == value:
            return {}
        data: Any = value
        for part in reversed(parts):
            data = {part: data}
        merged = merge(current.model_dump(exclude_unset=True), data)
        try:
            after = model.model_validate(merged)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in error["loc"])
            if error["type"] == "literal_error":
                expected = error.get("ctx", {}).get("expected", "")
                raise FieldError(
                    "value", f"{where}: '{text}' is not allowed", hint=f"choose {expected}"
                ) from None
            message = error["msg"].removeprefix("Value error, ")
            hint = f"set {where} first" if error["type"] == "missing" else None
            raise FieldError("value", f"{where}: {message}", hint=hint) from None
        if check is not None:
            check(current, after)
        return data  # type: ignore[no-any-return]

    update_file(root, path, model, patch)
    return FieldChange(field=field, old=seen.get("old"), new=value, path=path)


def set_project_field(root: Path, field: str, text: str) -> FieldChange:
    """Set one field of project.yaml, checked as a whole before anything is written:
    a value that breaks a rule between its fields (an end before the start) is refused.
    A rule the file broke already is left for `qi validate` to report."""

    def check(before: Project, after: Project) -> None:
        broken = {message for _, message in date_order_problems(before)}
        for _, message in date_order_problems(after):
            if message not in broken:
                raise FieldError(
                    "value",
                    f"{message}: nothing was written",
                    hint=f"the project's dates come on or after its start_date "
                    f"({after.start_date}); change the other date first if it is the wrong one",
                    exit_code=1,
                )

    change = set_field(
        root, root / PROJECT_FILE, Project, field, text, check=check, one_line=PROJECT_ONE_LINE
    )
    if change.changed and change.field == "aim.outcome_measure":
        # an aim is often written before its measures are: said, not refused
        known = load_core(root).measure_files
        if change.new not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            change = replace(
                change,
                warnings=(
                    f"no measure '{change.new}' yet (known: {listed}): add it with "
                    f"`qi measure add NAME --id {change.new}`, or `qi validate` calls it an error",
                ),
            )
    return change
