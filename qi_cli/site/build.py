"""Build the site: read what changed, link similar projects, write what differs.

The steps: find the projects; decide from the manifest which changed (file names,
sizes and times, then the bytes); read those (`project_data.read_project`, on several
cores when many); find similar projects among all the published ones; redraw the page
of each project that changed or whose similar projects changed; rewrite the library,
learning and measures pages and the search index; remove the pages of projects no
longer published; save the manifest. A page whose bytes are the same is not touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from qi_cli import __version__
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.files.project_folder import require_projects
from qi_cli.files.stamps import files_digest, files_stamp
from qi_cli.parallel import map_projects
from qi_cli.render.site_pages import (
    REPORT_CSS,
    learning_page,
    library_page,
    measures_page,
    search_index_script,
    with_similar,
)
from qi_cli.reports.portfolio import PROJECT_STATUSES
from qi_cli.reports.words import assurance_words, variation_words
from qi_cli.site.audience import published
from qi_cli.site.folder import (
    MANIFEST,
    SITE_SCHEMA,
    check_site_folder,
    remove_page,
    write_if_changed,
    write_pages,
)
from qi_cli.site.learning import OUTCOMES, learning_themes
from qi_cli.site.project_data import ProjectPart, read_project
from qi_cli.site.similar import similar_projects

ASSETS = ("site.css", "site.js")
AUDIENCE_WORDS = {
    "internal": "public and internal projects",
    "public": "public projects only",
}


@dataclass
class SiteBuild:
    """What a build did, for the command to tell."""

    out: Path
    published: int = 0
    read: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _relative(project: Path, root: Path) -> str:
    """A project's folder relative to ROOT (`require_projects` gives them under it)."""
    rel = project.relative_to(root).as_posix() if project != root else "."
    return rel if rel != "." else project.resolve().name


def _slugs(rels: list[str]) -> dict[str, str]:
    """Each project's address under `projects/`: its path made plain, unique."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for rel in sorted(rels):
        base = re.sub(r"[^a-z0-9]+", "-", rel.casefold()).strip("-") or "project"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out[rel] = slug
    return out


def _hidden_key(rel: str) -> str:
    """How the manifest names a project it does not publish: not by its path."""
    return "h-" + hashlib.sha256(rel.encode()).hexdigest()[:32]


def _page_path(slug: str) -> str:
    return f"projects/{slug}/index.html"


def _filters(rows: list[dict[str, Any]]) -> dict[str, Any]:
    places: dict[str, str] = {}
    for r in rows:
        for key, label in zip(r["place_keys"], r["place_labels"], strict=True):
            places.setdefault(key, label)
    outcomes = [r["outcome"] for r in rows if r.get("outcome")]
    return {
        "statuses": [s for s in PROJECT_STATUSES if any(r["status"] == s for r in rows)],
        "places": [
            {"key": k, "label": places[k]} for k in sorted(places, key=lambda k: places[k].lower())
        ],
        "tags": sorted({t for r in rows for t in r["tags"]}),
        **_icon_filters(outcomes),
    }


def _icon_filters(measures: list[dict[str, Any]]) -> dict[str, Any]:
    variations = sorted({m["variation"] for m in measures if m.get("variation")})
    assurances = sorted({m["assurance_icon"] for m in measures if m.get("assurance_icon")})
    return {
        "variations": [
            {"key": v, "label": variation_words({"variation": v}) or "no data yet"}
            for v in variations
        ],
        "assurances": [
            {"key": a, "label": assurance_words({"assurance_icon": a}, short=True)}
            for a in assurances
        ],
    }


def _read(
    roots: list[Path],
    visible: frozenset[str],
    today: dt.date,
    slugs: dict[str, str],
    site: dict[str, Any],
) -> dict[Path, ProjectPart]:
    parts = map_projects(read_project, roots, visible, today, slugs, site)
    return dict(zip(roots, parts, strict=True))


def _templates() -> str:
    """A hash of the templates the pages are drawn with: parts of pages drawn by other
    templates are not reused."""
    h = hashlib.sha256()
    folder = resources.files("qi_cli.render") / "templates"
    for item in sorted((folder / "site").iterdir(), key=lambda t: t.name):
        h.update(item.name.encode() + b"\0" + item.read_bytes())
    h.update((folder / "base.html.j2").read_bytes())
    return h.hexdigest()


@dataclass
class _Plan:
    """What this build knows of each project before reading any: its path under ROOT,
    its address, and its manifest entry (reused when its files did not change)."""

    rels: dict[Path, str]
    slugs: dict[str, str]
    entries: dict[Path, dict[str, Any]]
    to_read: list[Path]


def _plan(roots: list[Path], root: Path, cached: dict[str, Any], visible: frozenset[str]) -> _Plan:
    """Which projects must be read: those whose files changed (names, sizes and times,
    then bytes), that moved to another address, or that are published without a row."""
    rels = {r: _relative(r, root) for r in roots}
    slugs = _slugs(list(rels.values()))
    entries: dict[Path, dict[str, Any]] = {}
    to_read: list[Path] = []
    for r, rel in rels.items():
        prev = cached.get(rel) or cached.get(_hidden_key(rel))
        entry: dict[str, Any] = {}
        if prev is None:  # new, or a cold build: hashed where it is read (`read_project`)
            entries[r] = entry
            to_read.append(r)
            continue
        stamp = files_stamp(r)
        entry["stamp"] = stamp
        if prev["stamp"] != stamp:
            digest = files_digest(r)
            if digest == prev.get("digest"):
                prev = {**prev, "stamp": stamp}
            else:
                entry["digest"] = digest
                prev = None
        if prev and prev.get("row") and prev["row"]["slug"] != slugs[rel]:
            prev = None  # another project took its address: drawn again with its new one
        if prev and (prev.get("row") or prev.get("visibility") not in visible):
            entries[r] = prev
        else:
            entries[r] = entry
            to_read.append(r)
    return _Plan(rels=rels, slugs=slugs, entries=entries, to_read=to_read)


def _similar_boxes(shown: dict[Path, dict[str, Any]]) -> dict[Path, list[dict[str, Any]]]:
    """Each published project's similar-projects box, as its page shows it."""
    by_slug = {row["slug"]: row for row in shown.values()}
    similar = similar_projects({row["slug"]: row["words"] for row in shown.values()})
    return {
        r: [
            {
                "slug": other,
                "title": by_slug[other]["title"],
                "place": " · ".join(
                    x for x in (by_slug[other]["directorate"], by_slug[other]["ward"]) if x
                ),
                "shared": words,
            }
            for other, words in similar[row["slug"]]
        ]
        for r, row in shown.items()
    }


def _aggregate_pages(rows: list[dict[str, Any]], site: dict[str, Any]) -> dict[str, str]:
    """The library, learning and measures pages, the search index and the assets."""
    measures = [m for row in rows for m in row["measures"]]
    pages = {
        "index.html": library_page([row["library_html"] for row in rows], _filters(rows), site),
        "learning.html": learning_page(learning_themes(rows), OUTCOMES, site),
        "measures.html": measures_page(
            [row["measures_html"] for row in rows],
            len(measures),
            {"kinds": sorted({m["kind"] for m in measures}), **_icon_filters(measures)},
            site,
        ),
        "search-index.js": search_index_script(
            [{"slug": row["slug"], "text": row["search"]} for row in rows]
        ),
        "assets/report.css": REPORT_CSS.lstrip("\n"),
    }
    assets = resources.files("qi_cli.site") / "assets"
    for name in ASSETS:
        pages[f"assets/{name}"] = (assets / name).read_text(encoding="utf-8")
    return pages


def _manifest_projects(plan: _Plan) -> dict[str, Any]:
    """The manifest's projects: a published one by its path, with its row; one not
    published by a hash of its path, with nothing but hashes of its files."""
    projects: dict[str, Any] = {}
    for r, entry in plan.entries.items():
        rel = plan.rels[r]
        if entry.get("row"):
            projects[rel] = entry
        else:
            projects[_hidden_key(rel)] = {
                k: entry[k] for k in ("stamp", "digest", "visibility", "problem") if k in entry
            }
    return projects


def build_site(
    root: Path,
    out: Path,
    *,
    audience: str = "internal",
    force: bool = False,
    today: dt.date | None = None,
    title: str = "QI project library",
) -> SiteBuild:
    """Build (or bring up to date) the site in `out` from every project under `root`."""
    visible = published(audience)
    today = today or dt.date.today()
    roots = require_projects(root)
    manifest = check_site_folder(out, root, force=force)
    # what every page depends on besides its project: a change rebuilds everything
    key = hashlib.sha256(
        "\n".join(
            [SITE_SCHEMA, __version__, audience, title, today.isoformat(), _templates()]
        ).encode()
    ).hexdigest()
    before: dict[str, Any] = manifest["projects"] if manifest else {}
    plan = _plan(roots, root, before if manifest and manifest.get("key") == key else {}, visible)
    by_root = {str(r): plan.slugs[rel] for r, rel in plan.rels.items()}
    result = SiteBuild(out=out)

    # what the frame of every page shows (the library adds how many are published)
    site: dict[str, Any] = {
        "title": title,
        "generated": today.isoformat(),
        "audience_words": AUDIENCE_WORDS[audience],
    }
    parts = _read(plan.to_read, visible, today, by_root, site)
    result.read = len(parts)
    for r, part in parts.items():
        entry = plan.entries[r]
        entry.setdefault("stamp", part.stamp)
        entry.setdefault("digest", part.digest)
        entry["visibility"] = part.visibility
        entry.pop("row", None)
        entry.pop("similar", None)
        if part.row is not None:
            entry["row"] = part.row
        if part.problem:
            entry["problem"] = part.problem
    result.skipped = [
        f"{display_path(r)}: {e['problem']}" for r, e in plan.entries.items() if e.get("problem")
    ]
    shown = {r: e["row"] for r, e in plan.entries.items() if e.get("row")}
    result.published = len(shown)
    site = {**site, "projects": len(shown)}

    # a project's page: redrawn when the project changed, when its similar projects (or
    # their titles) did, or when the file is missing
    boxes = _similar_boxes(shown)
    redraw = []
    for r, row in shown.items():
        entry = plan.entries[r]
        if (
            r in parts
            or entry.get("similar") != boxes[r]
            or not (out / _page_path(row["slug"])).is_file()
        ):
            redraw.append(r)
        entry["similar"] = boxes[r]
    unread = [r for r in redraw if r not in parts]
    parts.update(_read(unread, visible, today, by_root, site))
    result.read += len(unread)

    def pages() -> Iterator[tuple[str, str]]:
        for r in redraw:
            body, parts[r].page = parts[r].page, None  # let each go once it is drawn
            if body is not None:  # None: changed between the two reads, now not published
                path = _page_path(shown[r]["slug"])
                yield path, with_similar(body, boxes[r])

    result.written += write_pages(out, pages())

    # pages of projects no longer published (gone, now private, or a narrower audience)
    now = {_page_path(row["slug"]) for row in shown.values()}
    for prev in before.values():
        if prev.get("row"):
            path = _page_path(prev["row"]["slug"])
            if path not in now and remove_page(out, path):
                result.removed.append(path)

    rows = sorted(shown.values(), key=lambda row: (str(row["title"]).casefold(), row["slug"]))
    for path, text in _aggregate_pages(rows, site).items():
        if write_if_changed(out / path, text):
            result.written.append(path)

    saved = {
        "schema": SITE_SCHEMA,
        "generated_by": f"qi {__version__}",
        "key": key,
        "audience": audience,
        "built": today.isoformat(),
        "projects": _manifest_projects(plan),
    }
    if saved != manifest:  # nothing changed: not even the manifest is written
        write_atomic(out / MANIFEST, json.dumps(saved, ensure_ascii=False) + "\n")
    return result
