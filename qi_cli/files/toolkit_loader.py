"""The toolkit's files: fishbone.yaml, process.yaml, stakeholders.yaml and pareto/
(each chart's data and its optional title).

Read by `loader.load_project` (every command that checks, reports or writes a project);
`core_loader.load_core` leaves them out.
"""

from __future__ import annotations

from qi_cli.errors import Issue, QiError
from qi_cli.files.layout import FISHBONE_FILE, PARETO_DIR, PROCESS_FILE, STAKEHOLDERS_FILE
from qi_cli.files.loaded import LoadedPareto, LoadedProject
from qi_cli.files.pareto_csv import read_pareto
from qi_cli.files.project_folder import (
    folder_inside,
    issue_from_error,
    list_files,
    read_optional,
    read_yaml_model,
    valid_file_id,
)
from qi_cli.fishbone_model import Fishbone
from qi_cli.pareto_model import ParetoChart
from qi_cli.process_model import ProcessMap
from qi_cli.stakeholder_model import StakeholderAnalysis


def load_fishbone(loaded: LoadedProject) -> None:
    loaded.fishbone = read_optional(loaded, FISHBONE_FILE, Fishbone)


def load_process(loaded: LoadedProject) -> None:
    loaded.process = read_optional(loaded, PROCESS_FILE, ProcessMap)


def load_stakeholders(loaded: LoadedProject) -> None:
    loaded.stakeholders = read_optional(loaded, STAKEHOLDERS_FILE, StakeholderAnalysis)


def load_pareto(loaded: LoadedProject) -> None:
    """`pareto/ID.csv` (the data) and `pareto/ID.yaml` (its title, optional)."""
    folder = loaded.root / PARETO_DIR
    if not folder.is_dir() or not folder_inside(loaded, folder):
        return
    files = list_files(loaded, folder, (".yaml", ".csv"))
    charts: dict[str, ParetoChart | None] = {}
    for path, name, stem, suffix, _ in files:
        if suffix == ".yaml" and valid_file_id(stem, loaded, PARETO_DIR, name):
            charts[stem] = read_yaml_model(loaded, path, ParetoChart, PARETO_DIR, name)
            if not (folder / f"{stem}.csv").exists():
                loaded.issues.append(
                    Issue(
                        loaded.display(PARETO_DIR, name),
                        f"no data file {PARETO_DIR}/{stem}.csv for this chart",
                        hint=f"add {PARETO_DIR}/{stem}.csv with a `category` column",
                    )
                )
    for path, name, stem, suffix, _ in files:
        if suffix != ".csv" or not valid_file_id(stem, loaded, PARETO_DIR, name):
            continue
        display = loaded.display(PARETO_DIR, name)
        try:
            data = read_pareto(path, display, root=loaded.root)
        except QiError as exc:
            loaded.issues.append(issue_from_error(exc))
            continue
        loaded.issues.extend(data.issues)
        loaded.pareto[stem] = LoadedPareto(id=stem, path=path, data=data, chart=charts.get(stem))
