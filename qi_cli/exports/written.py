"""Where an export may be written: a new file, or one qi wrote before.

`-o` never replaces a person's own file: a file qi exported carries a mark (the
`category` of an Office file's properties, a PNG's `Software` text, a comment at the
top of an SVG), and any other existing file needs `--force`.
"""

from __future__ import annotations

import re
import zipfile
from importlib.util import find_spec
from pathlib import Path
from xml.etree import ElementTree

from qi_cli.errors import QiError
from qi_cli.files.disk import display_path
from qi_cli.files.output import refuse_bad_target, refuse_project_file

MARK = "qi export"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XML 1.0 cannot hold
SVG_MARK = f"<!-- {MARK} -->"
_CORE = "docProps/core.xml"
_CATEGORY = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}category"
_PNG_TEXT = b"tEXtSoftware\x00" + MARK.encode()


def is_qi_export(path: Path) -> bool:
    """Whether the file at `path` is one qi exported (see the module docstring)."""
    try:
        if path.suffix.lower() in (".pptx", ".docx"):
            with zipfile.ZipFile(path) as office:
                root = ElementTree.fromstring(office.read(_CORE))
            return root.findtext(_CATEGORY) == MARK
        with path.open("rb") as handle:
            head = handle.read(4096)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return False
    return SVG_MARK.encode() in head or _PNG_TEXT in head


def check_output(path: Path, *, force: bool) -> None:
    """Refuse an output path in a missing folder, a folder, or a file qi did not write."""
    refuse_bad_target(path)
    refuse_project_file(path)  # never over project.yaml or into measures/, even with --force
    if path.exists() and not force and not is_qi_export(path):
        raise QiError(
            f"{display_path(path)}: already exists and was not written by qi",
            hint="choose another name, or add --force to replace it",
        )


def svg_file(svg: str) -> str:
    """The SVG of the report as a file of its own, marked as a qi export (a control
    character in a name, which XML cannot hold, as `?`)."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{SVG_MARK}\n{CONTROL.sub("?", svg)}\n'


OFFICE_MODULES = {
    "pptx": "python-pptx",
    "docx": "python-docx",
    "resvg_py": "resvg-py",
    "PIL": "pillow",
}


def require_office(command: str) -> None:
    """Say exactly what to install when the optional office extra is missing."""
    missing = [name for module, name in OFFICE_MODULES.items() if find_spec(module) is None]
    if missing:
        raise QiError(
            f"{command} needs the office extra, which is not installed "
            f"(missing: {', '.join(missing)})",
            hint='pip install "qi-cli[office]"',
        )
