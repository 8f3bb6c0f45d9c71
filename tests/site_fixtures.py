"""Project libraries on disk for the `qi site` tests, and a reader of the pages built."""

from __future__ import annotations

import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.conftest import base_files

PRIVATE_TITLE = "Sepsis screening pilot"
PRIVATE_PHRASE = "zebracorn handover card"
INTERNAL_TITLE = "Falls on ward 7"
INTERNAL_PHRASE = "night lights in bays"  # a change idea of the internal project
PUBLIC_TITLE = "Falls in the community"


def write_files(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def project_files(
    *,
    title: str,
    visibility: str | None = None,
    extra: str = "",
    change: str = "Night lights in bays",
    driver: str = "Lighting at night",
    aim: str = "Reduce falls on ward 7 from 8 to 4 per 1,000 bed days by 30 June 2026",
    learned: str = "Patients like the lights; one found it too bright",
) -> dict[str, str]:
    """The conftest's small project (one measure, one logged cycle), retitled."""
    files = base_files()
    project = files["project.yaml"].replace("title: Falls on ward 7", f"title: {title}")
    project = project.replace(
        "  statement: Reduce falls on ward 7 from 8 to 4 per 1,000 bed days by 30 June 2026",
        f"  statement: {aim}",
    )
    if visibility:
        project = project.replace("status: active\n", f"status: active\nvisibility: {visibility}\n")
    files["project.yaml"] = project + extra
    files["drivers.yaml"] = (
        files["drivers.yaml"]
        .replace("title: Night lights in bays", f"title: {change}")
        .replace("name: Lighting at night", f"name: {driver}")
    )
    cycle = "cycles/2026-02-02-night-lights-a1b2.yaml"
    files[cycle] = files[cycle].replace(
        "learned: Patients like the lights; one found it too bright", f"learned: {learned}"
    )
    return files


def library(top: Path) -> Path:
    """A folder of three projects, one of each visibility."""
    root = top / "projects"
    write_files(
        root / "falls-ward-7",
        project_files(
            title=INTERNAL_TITLE,
            extra="directorate: Medicine\nward: Ward 7\ntags: [falls, frailty]\n",
        ),
    )
    write_files(
        root / "community-falls",
        project_files(
            title=PUBLIC_TITLE,
            visibility="public",
            change="Home hazard check",
            aim="Reduce falls at home among district nursing patients by a third by March 2027",
            learned="A checklist on the back of the visit form was used every time",
        ),
    )
    write_files(
        root / "sepsis",
        project_files(
            title=PRIVATE_TITLE,
            visibility="private",
            change=f"The {PRIVATE_PHRASE}",
            aim="Screen every emergency admission for sepsis within an hour",
            learned=f"The {PRIVATE_PHRASE} was lost at night",
        ),
    )
    return root


class Page(HTMLParser):
    """The links, ids and elements of one page (the standard library's HTML parser)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if "id" in found:
            self.ids.add(found["id"])
        for key in ("href", "src"):
            if key in found and tag != "use":
                self.links.append(found[key])


def page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def broken_links(site: Path) -> list[str]:
    """Every link of every page that does not lead to a file (and id) of the site."""
    problems = []
    pages = {p: page(p) for p in site.rglob("*.html")}
    for path, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("/"):
                problems.append(f"{path}: {link} is not relative")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                problems.append(f"{path}: {link} leads to no file")
            elif parts.fragment and parts.fragment not in pages[target].ids:
                problems.append(f"{path}: {link} leads to no id {parts.fragment}")
    return problems


def every_file_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(site.rglob("*")) if p.is_file())


def snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    """Each file's modification time and bytes."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in site.rglob("*")
        if p.is_file()
    }
