"""The root command loads commands lazily: its list must match the real commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from qi_cli.cli import COMMANDS, app
from qi_cli.cli.cycle import CycleGroup


def _first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


def test_summaries_match_each_commands_help() -> None:
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    for name, (_module, summary) in COMMANDS.items():
        command = root.get_command(ctx, name)  # type: ignore[attr-defined]
        assert command is not None, name
        assert _first_paragraph(command.help) == summary, name


def test_cycle_subcommand_summaries_match_their_help() -> None:
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    group = root.get_command(ctx, "cycle")  # type: ignore[attr-defined]
    for name, (_module, summary) in CycleGroup.lazy_commands.items():
        command = group.get_command(ctx, name)
        assert command is not None, name
        assert _first_paragraph(command.help) == summary, name
    assert set(group.commands) == set(CycleGroup.lazy_commands)


def test_every_registered_command_is_listed() -> None:
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    for name in list(COMMANDS):
        root.get_command(ctx, name)  # type: ignore[attr-defined]
    assert set(root.commands) == set(COMMANDS)  # type: ignore[attr-defined]


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys\nfrom qi_cli.__main__ import main\nsys.argv = ['qi', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('qi_cli.'))\n"
        "print('modules=' + ','.join(loaded), file=sys.stderr)\n"
        "heavy = [m for m in ('pydantic', 'yaml', 'rich.console', 'plotext') if m in sys.modules]\n"
        "print('heavy=' + ','.join(heavy), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = dict(line.split("=", 1) for line in out.stderr.splitlines() if "=" in line)
    allowed = {"qi_cli.cli", "qi_cli.cli._common", "qi_cli.errors", "qi_cli.__main__"}
    # every line printed passes the terminal's escaping (re and html only)
    allowed |= {"qi_cli.render", "qi_cli.render.escape"}
    assert set(lines["modules"].split(",")) <= allowed
    assert lines["heavy"] == ""


def _modules_loaded_by(*argv: str) -> set[str]:
    code = (
        "import sys\nfrom qi_cli.__main__ import main\n"
        f"sys.argv = ['qi', *{list(argv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('qi_cli.', 'ruamel', 'rich.', 'concurrent.', 'jinja2')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(names))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.strip().splitlines()[-1].split(","))


def test_cycle_list_loads_neither_the_prompts_nor_the_planning_code(tmp_path: Path) -> None:
    new = [sys.executable, "-m", "qi_cli", "project", "new", "Demo", "--no-input"]
    subprocess.run([*new, "--dir", str(tmp_path)], capture_output=True, check=True)
    loaded = _modules_loaded_by("cycle", "list", "-p", str(tmp_path / "demo"))
    assert "qi_cli.cli.cycle_list" in loaded
    assert not loaded & {"qi_cli.cli.cycle_new", "qi_cli.cli.cycle_log", "qi_cli.cli.prompts"}
    # a command that only reads does not load the YAML writer, nor rich's console and tables
    assert not {m for m in loaded if m.startswith("ruamel")}
    assert not loaded & {"qi_cli.files.yaml_write", "rich.console", "rich.table"}


TOOLKIT_MODELS = {
    "qi_cli.fishbone_model",
    "qi_cli.process_model",
    "qi_cli.stakeholder_model",
    "qi_cli.pareto_model",
}


def test_chart_and_cycle_list_load_only_what_they_show(tmp_path: Path) -> None:
    """bench/startup.py's `qi chart` and `qi cycle list` figures: a plain chart reads
    neither the toolkit's files (fishbone, process map, stakeholders, Pareto charts) nor
    loads the per-unit charts, the funnel or the Pareto statistics; the cycle list
    reads no toolkit file either. The example project has every kind of file."""
    new = [sys.executable, "-m", "qi_cli", "project", "new", "Demo", "--template", "example"]
    subprocess.run([*new, "--dir", str(tmp_path)], capture_output=True, check=True)
    chart = _modules_loaded_by("chart", "length-of-stay", "-p", str(tmp_path / "demo"))
    assert "qi_cli.cli.chart" in chart
    assert not chart & TOOLKIT_MODELS
    assert not chart & {"qi_cli.files.toolkit_loader", "qi_cli.cli.chart_units"}
    assert not chart & {"qi_cli.unit_charts", "qi_cli.render.multiples"}
    assert not chart & {"qi_cli.stats.funnel", "qi_cli.stats.pareto"}
    listed = _modules_loaded_by("cycle", "list", "-p", str(tmp_path / "demo"))
    assert "qi_cli.cli.cycle_list" in listed
    assert not listed & (TOOLKIT_MODELS | {"qi_cli.files.toolkit_loader"})


def test_a_terminal_report_loads_no_web_page_templates(tmp_path: Path) -> None:
    """jinja2 costs ~70 ms to import: only the HTML and A3 formats load it."""
    new = [sys.executable, "-m", "qi_cli", "project", "new", "Demo", "--template", "example"]
    subprocess.run([*new, "--dir", str(tmp_path)], capture_output=True, check=True)
    terminal = _modules_loaded_by("report", str(tmp_path / "demo"))
    assert "qi_cli.cli.report" in terminal
    report = [sys.executable, "-m", "qi_cli", "report", str(tmp_path / "demo")]
    assert subprocess.run(report, capture_output=True).returncode == 0  # the same call works
    assert not {m for m in terminal if m.startswith("jinja2")}
    html = tmp_path / "report.html"
    page = _modules_loaded_by("report", "-f", "html", "-o", str(html), str(tmp_path / "demo"))
    assert "jinja2" in page and html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_terminal_portfolio_loads_only_its_table(tmp_path: Path) -> None:
    """The portfolio's table needs no chart (plotext), diagram (igraph), Markdown, web
    page (jinja2) or rich console: those are for the other formats and --compare."""
    new = [sys.executable, "-m", "qi_cli", "project", "new", "Demo", "--template", "example"]
    subprocess.run([*new, "--dir", str(tmp_path)], capture_output=True, check=True)
    table = _modules_loaded_by("portfolio", str(tmp_path), "--no-cache")
    assert "qi_cli.render.portfolio_table" in table
    drawn_elsewhere = {
        "qi_cli.render.chart",
        "qi_cli.render.process_svg",
        "qi_cli.render.markdown",
        "qi_cli.render.html",
        "qi_cli.render.funnel",
        "qi_cli.cli.report",
        "rich.console",
    }
    assert not table & drawn_elsewhere
    assert not {m for m in table if m.startswith("jinja2")}
    page = _modules_loaded_by("portfolio", str(tmp_path), "--no-cache", "-f", "markdown")
    assert "qi_cli.render.markdown" in page


def test_the_toolkit_views_do_not_load_the_yaml_writer(tmp_path: Path) -> None:
    new = [sys.executable, "-m", "qi_cli", "project", "new", "Demo", "--template", "example"]
    subprocess.run([*new, "--dir", str(tmp_path)], capture_output=True, check=True)
    for command in ("process", "stakeholders"):
        loaded = _modules_loaded_by(command, "-p", str(tmp_path / "demo"))
        assert f"qi_cli.cli.{command}" in loaded
        assert not {m for m in loaded if m.startswith("ruamel")}
        assert "qi_cli.files.yaml_write" not in loaded


def test_validate_of_one_project_loads_no_writer_pool_or_statistics(tmp_path: Path) -> None:
    """`qi validate` on one project (the example has every kind of file) reads and checks:
    it needs neither the YAML writer, nor a pool of worker processes, nor the charts'
    statistics engine."""
    new = [sys.executable, "-m", "qi_cli", "project", "new", "Demo", "--template", "example"]
    subprocess.run([*new, "--dir", str(tmp_path)], capture_output=True, check=True)
    loaded = _modules_loaded_by("validate", str(tmp_path / "demo"))
    assert "qi_cli.validate" in loaded
    assert not {m for m in loaded if m.startswith(("ruamel", "concurrent.", "qi_cli.stats"))}


def test_a_command_loads_its_own_command_module_and_no_other(tmp_path: Path) -> None:
    """Start-up is won by loading command modules on demand: `qi validate` must not
    pay for the cycle prompts, the chart drawing or the report renderers."""
    code = (
        "import sys\nfrom qi_cli.__main__ import main\n"
        f"sys.argv = ['qi', 'validate', {str(tmp_path / 'demo')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('qi_cli.'))))\n"
    )
    new = [sys.executable, "-m", "qi_cli", "project", "new", "Demo", "--no-input"]
    subprocess.run([*new, "--dir", str(tmp_path)], capture_output=True, check=True)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.strip().splitlines()[-1].split(","))
    commands = {m for m in loaded if m.startswith("qi_cli.cli.")}
    assert commands <= {"qi_cli.cli._common", "qi_cli.cli._project", "qi_cli.cli.validate"}
    assert "qi_cli.cli.validate" in commands
    escaping = {"qi_cli.render", "qi_cli.render.escape"}  # every printed line passes it
    assert not {m for m in loaded if m.startswith("qi_cli.render")} - escaping


PLUGINS_PROBE = (
    "import os, sys\n"
    "sys.argv = ['qi', '--version']\n"
    "import qi_cli.__main__ as entry\n"
    "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
    "print(repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')))\n"
)


def test_the_command_turns_off_pydantic_plugins_unless_told_otherwise() -> None:
    # pydantic's plugin search reads every installed package's metadata at the first
    # model build; qi uses no plugins, so its command skips the search...
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run(
        [sys.executable, "-c", PLUGINS_PROBE], capture_output=True, text=True, env=env
    )
    assert out.stdout.splitlines()[-1] == "'__all__'"
    # ...but a value the user set, even an empty one, is left as it is
    env["PYDANTIC_DISABLE_PLUGINS"] = ""
    out = subprocess.run(
        [sys.executable, "-c", PLUGINS_PROBE], capture_output=True, text=True, env=env
    )
    assert out.stdout.splitlines()[-1] == "''"
