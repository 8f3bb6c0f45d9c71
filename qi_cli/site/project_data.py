"""One project's part of the site, read once: its library row, its page, its learning.

`read_project` runs in a worker process (`parallel.map_projects`), so everything it
returns is plain data: the row the library and measures pages show, the words the
search index and the similar-projects box use, each change idea with what was learned
from it, and the page's HTML (the report and every cycle, in the site's frame; its
similar-projects box is added once all are read). Only the page's HTML is not kept in
the manifest: an unchanged project's row is taken from there, unread.

Whether a project changed is said first by its files' names, sizes and modification
times (cheap), and when those differ by a hash of their bytes (a fresh checkout gives
every file a new time, not new bytes).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qi_cli.files.loaded import LoadedProject
from qi_cli.files.loader import load_project
from qi_cli.files.stamps import files_digest, files_stamp
from qi_cli.render.report_charts import chart_svgs
from qi_cli.render.site_pages import (
    learning_item,
    library_row,
    measure_rows,
    project_body,
    project_page,
)
from qi_cli.reports.portfolio import summarise_loaded
from qi_cli.reports.report import analyse_all, analyse_all_units, build_report
from qi_cli.validate import validate_project

DECISION_OUTCOMES = {"adopt": "adopted", "adapt": "adapted", "abandon": "abandoned"}


@dataclass
class ProjectPart:
    """A project as the site needs it (`page` is None for a project not published)."""

    visibility: str | None
    stamp: str = ""
    digest: str = ""
    row: dict[str, Any] | None = None
    page: str | None = None
    problem: str | None = None


_WORD = re.compile(r"[^\W\d_]{3,}")


def _text(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p)


def _learning(report: dict[str, Any], drivers: dict[str, str]) -> list[dict[str, Any]]:
    """Each change idea, where it sits in the driver diagram, and what its cycles taught."""
    items = []
    for change in report["changes"]:
        decided = [c for c in change["cycles"] if c["decision"]]
        outcome = (
            DECISION_OUTCOMES[decided[-1]["decision"]]
            if decided and decided[-1] is change["cycles"][-1]
            else change["status"]
        )
        items.append(
            {
                "title": change["title"],
                "status": change["status"],
                "outcome": outcome,
                "drivers": [drivers[d] for d in change["drivers"] if d in drivers],
                "cycles": len(change["cycles"]),
                "learned": [
                    {
                        "short_id": c["short_id"],
                        "number": c["number"],
                        "date": c["date"],
                        "decision": c["decision"],
                        "text": c["learned"],
                    }
                    for c in change["cycles"]
                    if c["learned"]
                ],
            }
        )
    return items


def place_keys(directorate: str | None, ward: str | None) -> tuple[list[str], list[str]]:
    """The values and labels by which the library filters a project's place.

    >>> place_keys("Surgery", "Ward 7")
    (['d-surgery', 'w-ward-7'], ['Surgery (directorate)', 'Ward 7 (ward or team)'])
    """
    keys, labels = [], []
    if directorate:
        keys.append("d-" + "-".join(re.findall(r"\w+", directorate.casefold())))
        labels.append(f"{directorate} (directorate)")
    if ward:
        keys.append("w-" + "-".join(re.findall(r"\w+", ward.casefold())))
        labels.append(f"{ward} (ward or team)")
    return keys, labels


def _row(
    p: LoadedProject, report: dict[str, Any], summary: dict[str, Any], slug: str
) -> dict[str, Any]:
    """The library's row of a project, the words that find it, and its parts of the
    aggregate pages, drawn now so that a rebuild only puts them together."""
    pr = p.project
    assert pr is not None
    drivers = {d["id"]: d["name"] for d in report["driver_diagram"]["drivers"]}
    learning = _learning(report, drivers)
    aim = pr.aim.statement if pr.aim else None
    measure_names = [m["name"] for m in report["measures"]]
    search = _text(
        pr.title,
        aim,
        pr.directorate,
        pr.ward,
        " ".join(pr.tags),
        pr.lead,
        *[item["title"] for item in learning],
        *[c["objective"] for c in report["cycles"]],
        *[c["learned"] for c in report["cycles"]],
        *measure_names,
    )
    keys, labels = place_keys(pr.directorate, pr.ward)
    row = {
        **{k: v for k, v in summary.items() if k != "path"},
        "slug": slug,
        "directorate": pr.directorate,
        "ward": pr.ward,
        "place_keys": keys,
        "place_labels": labels,
        "tags": list(pr.tags),
        "aim": aim,
        "search": " ".join(search.casefold().split()),
        # the words the similar-projects box compares: what the project is trying to move
        "words": sorted({w.casefold() for w in _WORD.findall(_text(aim, *measure_names))}),
    }
    place = " · ".join(x for x in (pr.directorate, pr.ward) if x)
    row["library_html"] = library_row(row)
    row["measures_html"] = measure_rows(row)
    # what the aggregate pages need of each part once it is drawn: the manifest keeps
    # 1,000 of these, read and written at every rebuild
    row["learning"] = [
        {
            "title": item["title"],
            "drivers": item["drivers"],
            "outcome": item["outcome"],
            "html": learning_item({**item, "slug": slug, "project": pr.title, "place": place}),
        }
        for item in learning
    ]
    row["measures"] = [
        {k: m.get(k) for k in ("kind", "variation", "assurance_icon")} for m in row["measures"]
    ]
    return row


def read_project(
    root: Path,
    visible: frozenset[str],
    today: dt.date,
    slugs: dict[str, str],
    site: dict[str, Any],
) -> ProjectPart:
    """Read, check and draw one project, if `visible` lets it be published; `slugs`
    gives each project's address by its folder, `site` what the frame of its page shows.
    The page is drawn whole but for its similar-projects box (`with_similar`).

    The hashes of its files are taken here, before it is read (a file changed while it
    is read gives a new hash at the next build), on the worker's core rather than in
    the main process: 1.4 s of a cold build of 1,000 projects (bench/bench_site.py)."""
    stamp, digest = files_stamp(root), files_digest(root)
    p = load_project(root)
    if p.project is None:
        # unreadable, so its visibility is unknown: never published
        return ProjectPart(
            visibility=None, stamp=stamp, digest=digest, problem="its project.yaml has errors"
        )
    if p.project.visibility not in visible:
        return ProjectPart(visibility=p.project.visibility, stamp=stamp, digest=digest)
    issues = validate_project(p)
    analyses = analyse_all(p)
    units = analyse_all_units(p, analyses)  # measures kept per unit: one chart a unit
    # no points listed: the page draws its charts from the analyses themselves
    report = build_report(p, issues, analyses=analyses, units=units, today=today, max_points=0)
    summary = summarise_loaded(p, issues, today, analyses)
    row = _row(p, report, summary, slugs[str(root)])
    page = project_page(row, project_body(report, chart_svgs(analyses, units)), site)
    return ProjectPart(
        visibility=p.project.visibility, stamp=stamp, digest=digest, row=row, page=page
    )
