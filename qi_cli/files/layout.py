"""The names of a project's files and folders (a module of its own so that shell
completion can find them without loading the models)."""

from __future__ import annotations

PROJECT_FILE = "project.yaml"
DRIVERS_FILE = "drivers.yaml"
PROCESS_FILE = "process.yaml"
STAKEHOLDERS_FILE = "stakeholders.yaml"
EVENTS_FILE = "events.yaml"
MEASURES_DIR = "measures"
CYCLES_DIR = "cycles"
GITATTRIBUTES = ".gitattributes"
FISHBONE_FILE = "fishbone.yaml"
PARETO_DIR = "pareto"
