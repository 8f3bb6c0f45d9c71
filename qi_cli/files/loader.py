"""Reading a whole project folder: `load_project`.

`load_project` reads every file of a project (YAML through `yaml_read`, measure data
through `csv_file`), checks each YAML file against its pydantic model (`model_errors`
turns a refusal into issues at `path:line:column`) and returns a `LoadedProject` with
what it could read plus every problem found. It never stops at the first problem:
`qi validate` reports them all in one run.

The steps live beside the files they read: `core_loader.py` (project, drivers, events,
measures, cycles; `load_core` runs only these) and `toolkit_loader.py` (fishbone,
process map, stakeholders, Pareto charts). Finding project folders and reading one
file: `project_folder.py`; what was read: `loaded.py`.
"""

from __future__ import annotations

from pathlib import Path

from qi_cli.files.core_loader import (
    load_cycles,
    load_drivers,
    load_events,
    load_measures,
    load_project_file,
)
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.toolkit_loader import load_fishbone, load_pareto, load_process, load_stakeholders


def load_project(root: Path) -> LoadedProject:
    """Read every file of the project at `root`; problems go to `.issues`, never raised.

    The steps run in this order, which is the order `qi validate` reports problems in."""
    loaded = LoadedProject(root=root)
    load_project_file(loaded)
    load_fishbone(loaded)
    load_drivers(loaded)
    load_process(loaded)
    load_events(loaded)
    load_stakeholders(loaded)
    load_measures(loaded)
    load_cycles(loaded)
    load_pareto(loaded)
    return loaded
