"""The files every command reads: project.yaml, drivers.yaml, events.yaml, measures/
(definitions and data) and cycles/.

`load_core` reads only these, for the commands that show nothing of the toolkit
(`qi chart`, `qi cycle list`, `qi cycle show`): they start without the toolkit's models
(bench/startup.py's `qi chart` figure). Every other command reads the whole project
with `loader.load_project`, which runs these steps and the toolkit's.
"""

from __future__ import annotations

from pathlib import Path

from qi_cli.cycle_model import Cycle
from qi_cli.driver_model import DriverDiagram
from qi_cli.errors import Issue, QiError
from qi_cli.event_model import EventLog
from qi_cli.files.csv_file import read_data
from qi_cli.files.disk import display_path
from qi_cli.files.layout import CYCLES_DIR, DRIVERS_FILE, EVENTS_FILE, MEASURES_DIR, PROJECT_FILE
from qi_cli.files.loaded import LoadedCycle, LoadedProject, number_cycles
from qi_cli.files.project_folder import (
    folder_inside,
    issue_from_error,
    links_root,
    list_files,
    not_a_folder,
    read_optional,
    read_yaml_model,
    valid_file_id,
)
from qi_cli.measure_model import Measure
from qi_cli.project_model import Project


def load_core(root: Path) -> LoadedProject:
    """Read the project's core files at `root`; problems go to `.issues`, never raised."""
    loaded = LoadedProject(root=root)
    load_project_file(loaded)
    load_drivers(loaded)
    load_events(loaded)
    load_measures(loaded)
    load_cycles(loaded)
    return loaded


def load_project_file(loaded: LoadedProject) -> None:
    """project.yaml, which every project has."""
    project_path = loaded.root / PROJECT_FILE
    if not project_path.exists():
        loaded.issues.append(
            Issue(
                display_path(project_path),
                "missing project file",
                hint="create it with `qi project new`",
            )
        )
    else:
        loaded.project = read_yaml_model(loaded, project_path, Project, PROJECT_FILE)


def load_drivers(loaded: LoadedProject) -> None:
    loaded.drivers = read_optional(loaded, DRIVERS_FILE, DriverDiagram)


def load_events(loaded: LoadedProject) -> None:
    loaded.events = read_optional(loaded, EVENTS_FILE, EventLog)


def load_measures(loaded: LoadedProject) -> None:
    folder = loaded.root / MEASURES_DIR
    if not folder.is_dir():
        not_a_folder(loaded, folder)
        return
    if not folder_inside(loaded, folder):
        return
    files = list_files(loaded, folder, (".yaml", ".csv"))
    for listed in files:
        path, name, stem, suffix, _ = listed
        if suffix == ".yaml":
            loaded.measure_files.add(stem)
            if valid_file_id(stem, loaded, MEASURES_DIR, name):
                measure = read_yaml_model(loaded, path, Measure, MEASURES_DIR, name, listed=listed)
                if measure is not None:
                    loaded.measures[stem] = measure
    for listed in files:
        path, name, stem, suffix, _ = listed
        if suffix != ".csv":
            continue
        display = loaded.display(MEASURES_DIR, name)
        if stem not in loaded.measure_files:
            loaded.issues.append(
                Issue(
                    display,
                    f"data file for unknown measure '{stem}'",
                    line=1,
                    column=1,
                    hint=f"add measures/{stem}.yaml (`qi measure add`) or rename the file",
                )
            )
            continue
        try:
            rows, issues = read_data(
                path, loaded.measures.get(stem), display, root=links_root(loaded, listed)
            )
        except QiError as exc:
            loaded.issues.append(issue_from_error(exc))
            continue
        loaded.issues.extend(issues)
        loaded.data[stem] = rows


def load_cycles(loaded: LoadedProject) -> None:
    folder = loaded.root / CYCLES_DIR
    if not folder.is_dir():
        not_a_folder(loaded, folder)
        return
    if not folder_inside(loaded, folder):
        return
    cycles: list[LoadedCycle] = []
    for listed in list_files(loaded, folder, (".yaml",)):
        path, name, stem, _, _ = listed
        loaded.cycle_files.add(stem)
        if not valid_file_id(stem, loaded, CYCLES_DIR, name):
            continue
        cycle = read_yaml_model(loaded, path, Cycle, CYCLES_DIR, name, listed=listed)
        if cycle is not None:
            cycles.append(LoadedCycle(id=stem, path=path, cycle=cycle))
    loaded.cycles = number_cycles(cycles)
