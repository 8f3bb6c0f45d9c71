"""Creating a project folder from the templates shipped in the wheel.

The templates live in the top-level `templates/` folder of the source tree and are
installed as the package `qi_cli.templates`, so `qi project new` works from any folder
after a plain `pip install`. A new project is written into a temporary folder beside
its destination and renamed into place at the end: it appears whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from qi_cli.errors import QiError, UsageError
from qi_cli.files.disk import display_path
from qi_cli.schemas import SCHEMA_DIR, write_schemas

if TYPE_CHECKING:
    from importlib.abc import Traversable

TEMPLATES = ("blank", "example")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# names a template file cannot carry in a wheel; they are renamed when copied
_RENAMES = {"gitignore": ".gitignore"}


def slugify(text: str, *, fallback: str = "project", max_length: int = 48) -> str:
    """A safe file name from any title: lower-case ASCII letters, digits and hyphens.

    >>> slugify("Rib fracture pathway")
    'rib-fracture-pathway'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("Démence: signalétique")
    'demence-signaletique'
    >>> slugify("病棟の転倒")  # non-Latin letters: a stable name from the title's hash
    'project-4ef4c7'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].strip("-")
    if not slug:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
        slug = f"{fallback}-{digest}"
    return slug


def yaml_scalar(value: object) -> str:
    """A value written as a YAML scalar that reads back as exactly the same value.

    >>> yaml_scalar("Reduce falls: 20% by March")
    '"Reduce falls: 20% by March"'
    >>> yaml_scalar("Ward 7")
    'Ward 7'
    >>> yaml_scalar("yes")
    '"yes"'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 .,()'/-]*", text) and not text.endswith(" ")
    special = text.lower() in {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
    if plain and not special:
        return text
    return json.dumps(text, ensure_ascii=False)


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
            (target / name).mkdir()
            _copy_tree(item, target / name, values)
        elif name.endswith((".yaml", ".md", ".csv")) or name.startswith("."):
            text = fill(item.read_text(encoding="utf-8"), values)
            text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
            (target / name).write_text(text, encoding="utf-8", newline="\n")
        else:
            (target / name).write_bytes(item.read_bytes())


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
    target = parent / name
    if target.exists() or target.is_symlink():
        raise QiError(
            f"{display_path(target)}: already exists; qi never overwrites a project",
            hint="choose another title, or --dir for another parent folder",
            path=display_path(target),
        )
    if not parent.is_dir():
        raise QiError(
            f"{display_path(parent)}: no such folder",
            hint="create it first, or choose --dir",
            path=display_path(parent),
        )
    filled = {
        "title": yaml_scalar(title.strip()),
        "today": dt.date.today().isoformat(),
        **(values or {}),
    }
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".new", dir=parent))
    except OSError as exc:
        raise QiError(
            f"{display_path(parent)}: cannot write here: {exc.strerror or exc}",
            hint="check that you may write to this folder",
        ) from None
    try:
        _copy_tree(source, staging, filled)
        # the editor schemas that the files' first-line comments point to (qi_cli.schemas)
        write_schemas(staging / SCHEMA_DIR)
        os.chmod(staging, 0o755)
        if target.exists():
            raise QiError(f"{display_path(target)}: already exists; qi never overwrites a project")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
