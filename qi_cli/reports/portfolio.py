"""A whole programme of projects at a glance: one row per project under a folder.

`build_portfolio` finds every project under ROOT (a repository can hold the whole
trust's programme), loads and validates each one, and summarises it: lead, status,
progress score and its change, cycles run, change ideas adopted and abandoned, the
outcome measure against its target, and each measure's Making Data Count icons.
A broken project does not stop the portfolio: it is listed with its error count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, get_args

from qi_cli import __version__
from qi_cli.drivers import change_status
from qi_cli.errors import Issue, QiError, UsageError
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.loader import load_project
from qi_cli.files.project_folder import require_projects
from qi_cli.measure_analysis import MeasureAnalysis
from qi_cli.measures import classify_variation
from qi_cli.model import Status
from qi_cli.parallel import map_projects
from qi_cli.reports.report import analyse_all, measure_order, measure_summary
from qi_cli.validate import validate_project

SORT_KEYS = ("title", "status", "score", "last-cycle", "cycles", "errors")
PROJECT_STATUSES: tuple[str, ...] = get_args(Status)
"""A project's statuses (`status:` in project.yaml), in the order the portfolio sorts by."""


def _variation(entry: dict[str, Any], analysis: MeasureAnalysis | QiError) -> str:
    """mdc's icon, else `measures.classify_variation`'s word; no_data without values."""
    if entry.get("variation_icon"):
        return str(entry["variation_icon"])
    if isinstance(analysis, QiError) or not entry.get("latest"):
        return "no_data"
    return classify_variation(analysis)


def summarise_project(root: Path, today: dt.date) -> dict[str, Any]:
    """One portfolio row for the project at `root`, even when it is broken."""
    p = load_project(root)
    return summarise_loaded(p, validate_project(p), today)


def summarise_loaded(
    p: LoadedProject,
    issues: Sequence[Issue],
    today: dt.date,
    analyses: dict[str, MeasureAnalysis | QiError] | None = None,
) -> dict[str, Any]:
    """One portfolio row for a project already loaded and checked (`qi site` renders its
    page from the same load); `analyses` as `analyse_all` gives them, when at hand."""
    root = p.root
    errors = sum(1 for i in issues if i.severity == "error")
    row: dict[str, Any] = {
        "path": display_path(root),
        "title": p.project.title if p.project else root.name,
        "lead": None,
        "status": None,
        "progress_score": None,
        "progress_change": None,
        "score_date": None,
        "last_cycle": None,
        "cycles": len(p.cycles),
        "adopted": 0,
        "abandoned": 0,
        "testing": 0,
        "outcome": None,
        "measures": [],
        "errors": errors,
        "warnings": len(issues) - errors,
        "stale_days": None,
    }
    if p.project is None:
        return row
    pr = p.project
    row.update(lead=pr.lead, status=pr.status, progress_score=pr.progress_score)
    if pr.progress:
        row["score_date"] = pr.progress[-1].date.isoformat()
    if len(pr.progress) >= 2:
        row["progress_change"] = round(pr.progress[-1].score - pr.progress[-2].score, 2)
    dates = [c.cycle.date for c in p.cycles if c.cycle.date]
    if dates:
        last = max(dates)
        row["last_cycle"] = last.isoformat()
        row["stale_days"] = (today - last).days
    if p.drivers:
        statuses = [change_status(p, cid) for cid in p.drivers.changes]
        row["adopted"] = statuses.count("adopted")
        row["abandoned"] = statuses.count("abandoned")
        row["testing"] = statuses.count("testing")
    analyses = analyses if analyses is not None else analyse_all(p)
    outcome_id = pr.aim.outcome_measure if pr.aim else None
    for mid in measure_order(p):
        entry = measure_summary(p, mid, analyses[mid], points=False)
        latest = entry.get("latest")
        short = {
            "id": mid,
            "name": entry["name"],
            "kind": entry["kind"],
            "unit": entry["unit"],
            "latest": latest["value"] if latest else None,
            "latest_date": latest["date"] if latest else None,
            "target": entry["target"],
            "signals": entry.get("signals", []),
            "variation": _variation(entry, analyses[mid]),
            "variation_icon": entry.get("variation_icon"),
            "assurance_icon": entry.get("assurance_icon"),
            "variation_words": entry.get("variation_words"),
            "assurance_words": entry.get("assurance_words"),
        }
        row["measures"].append(short)
        if mid == outcome_id:
            row["outcome"] = short
    return row


def _stamps(root: Path) -> Iterator[str]:
    """Name, size and modification time of every file a project summary depends on."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            rel = os.path.relpath(os.path.join(folder, name), root)
            yield f"{rel}:{st.st_size}:{st.st_mtime_ns}"


def cache_dir() -> Path:
    """Where portfolio rows are cached: $QI_CACHE_DIR, else the user's cache folder."""
    if os.environ.get("QI_CACHE_DIR"):
        return Path(os.environ["QI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qi" / "portfolio"


def cached_summary(root: Path, today: dt.date, folder: Path | None) -> dict[str, Any]:
    """`summarise_project`, remembered until any file of the project changes.

    A row depends only on the project's files, today's date (stale cycles) and qi's
    version, so those make the key; a cache that cannot be read or written is
    simply not used.
    """
    if folder is None:
        return summarise_project(root, today)

    absolute = str(root.resolve())
    key = hashlib.sha256(
        "\n".join([__version__, today.isoformat(), absolute, *_stamps(root)]).encode()
    ).hexdigest()
    path = folder / (hashlib.sha256(absolute.encode()).hexdigest()[:32] + ".json")
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("key") == key:
            row: dict[str, Any] = saved["row"]
            row["path"] = display_path(root)
            return row
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    row = summarise_project(root, today)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"key": key, "row": row}))
    except (OSError, QiError):
        pass
    return row


def _summaries(roots: list[Path], today: dt.date, use_cache: bool) -> list[dict[str, Any]]:
    return map_projects(cached_summary, roots, today, cache_dir() if use_cache else None)


def build_portfolio(
    root: Path,
    *,
    status: list[str] | None = None,
    stale: int | None = None,
    sort: str = "title",
    today: dt.date | None = None,
    use_cache: bool = True,
) -> dict[str, Any]:
    """Every project under `root`, summarised, filtered and sorted."""
    if sort not in SORT_KEYS:
        raise UsageError(
            f"unknown sort key '{sort}'", hint=f"choose one of: {', '.join(SORT_KEYS)}"
        )
    for s in status or []:
        if s not in PROJECT_STATUSES:
            raise UsageError(
                f"unknown status '{s}'", hint=f"choose one of: {', '.join(PROJECT_STATUSES)}"
            )
    today = today or dt.date.today()
    roots = require_projects(root)
    rows = _summaries(roots, today, use_cache)
    if status:
        rows = [r for r in rows if r["status"] in status]
    if stale is not None:
        # stale: no cycle for `stale` days or more (or no cycle at all)
        rows = [r for r in rows if r["stale_days"] is None or r["stale_days"] >= stale]
    keys = {
        "title": lambda r: (str(r["title"]).lower(),),
        "status": lambda r: (
            PROJECT_STATUSES.index(r["status"]) if r["status"] in PROJECT_STATUSES else 99,
            str(r["title"]).lower(),
        ),
        "score": lambda r: (-(r["progress_score"] or 0), str(r["title"]).lower()),
        "last-cycle": lambda r: (r["last_cycle"] or "", str(r["title"]).lower()),
        "cycles": lambda r: (-r["cycles"], str(r["title"]).lower()),
        "errors": lambda r: (-r["errors"], str(r["title"]).lower()),
    }
    rows.sort(key=keys[sort])
    return {
        "schema": "qi-portfolio/1",
        "generated": today.isoformat(),
        # "." says nothing on a board paper: name the folder instead
        "root": display_path(root) if display_path(root) != "." else root.resolve().name,
        "projects": rows,
    }
