"""A colleague's text is shown as written, never obeyed: rich markup, terminal escape
sequences and Markdown or HTML in names, titles and notes (issue 20, points 2 to 4).

Each case writes the hostile text into a real project, runs the real CLI and checks
what reaches the terminal or the Markdown file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from qi_cli.cli import app
from qi_cli.render.escape import markdown_text, terminal_output
from tests.conftest import CYCLE_YAML, LOGGED_YAML, MEASURE_YAML, PROJECT_YAML, WriteProject

CYCLE = "cycles/2026-02-02-night-lights-a1b2.yaml"
# what a terminal obeys: C0 but tab and line break, DEL, C1 (ESC is \x1b, CSI \x9b)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
# YAML double-quoted escapes: \e is ESC, \a BEL, \x9b the one-byte CSI
CLIPBOARD = r"\e]52;c;ZXZpbA==\e\\"
WINDOW_TITLE = r"\e]0;owned\a"
CLEAR = r"\x9b2J\e[2J"
RED = r"\e[31m"


def invoke(*args: str, colour: bool = False, width: int = 100) -> tuple[int, str, str]:
    env = {"COLUMNS": str(width)}
    env.update({"FORCE_COLOR": "1", "NO_COLOR": ""} if colour else {"NO_COLOR": "1"})
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def obeyed(text: str) -> list[str]:
    """The control characters a terminal would act on, qi's own colours apart."""
    return CONTROL.findall(COLOUR.sub("", text))


# --- 2. rich markup in names --------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
def test_a_measure_named_with_square_brackets_is_reported(
    write_project: WriteProject, width: int
) -> None:
    root = write_project()
    code, _, err = invoke(
        "measure", "add", "Falls [/1000 bed days]", "--kind", "outcome", "--data-type",
        "count", "--direction", "decrease", "--description", "falls", "-p", str(root),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = invoke("report", str(root), width=width)
    assert code == 0, err
    assert "Falls [/1000 bed days]" in out


@pytest.mark.parametrize("colour", [False, True])
def test_rich_markup_in_user_text_prints_as_written(
    write_project: WriteProject, colour: bool
) -> None:
    link = "[link=https://e.x]hi[/link]"
    root = write_project(
        {
            "measures/falls.yaml": MEASURE_YAML.replace(
                "name: Falls per 1,000 bed days", f"name: '{link}'"
            ),
            "drivers.yaml": f"""\
                drivers:
                  lighting:
                    name: '[bold]Lighting[/bold] {link}'
                changes:
                  night-lights:
                    title: '[red]Night lights[/] {link}'
                    drivers: [lighting]
                """,
        }
    )
    for args in (["report", str(root)], ["change", "list", "-p", str(root)]):
        code, out, err = invoke(*args, colour=colour, width=120)
        assert code == 0, (args, err)
        assert link in out, args
        assert "\x1b]8;" not in out, args  # no hidden terminal hyperlink
        assert not re.search(r"^\W*hi\b", COLOUR.sub("", out), re.M), args  # markup eaten
    _, out, _ = invoke("drivers", "-p", str(root), colour=colour)
    assert "[bold]Lighting[/bold]" in out
    _, out, _ = invoke("change", "list", "-p", str(root), colour=colour, width=120)
    assert "[red]Night lights[/]" in out


# --- 3. terminal escape sequences ------------------------------------------------------


def hostile_project(write_project: WriteProject) -> Path:
    """Escape sequences in a title, a lead, a measure's name and unit, a change idea, a
    cycle's scale and learning, and a phase's reason."""
    return write_project(
        {
            "project.yaml": PROJECT_YAML.replace(
                "title: Falls on ward 7", f'title: "Falls {CLIPBOARD} on {WINDOW_TITLE} ward 7"'
            ).replace("name: Alex Moss", f'name: "Alex {CLEAR}Moss"'),
            "measures/falls.yaml": MEASURE_YAML.replace(
                "name: Falls per 1,000 bed days", f'name: "Falls {RED}per{WINDOW_TITLE} bed day"'
            )
            + f'  unit: "{CLIPBOARD}"\nphases:\n  - date: 2026-02-16\n'
            f'    reason: "lights {WINDOW_TITLE}"\n',
            "drivers.yaml": f"""\
                drivers:
                  lighting:
                    name: "Lighting {CLEAR}"
                changes:
                  night-lights:
                    title: "Night {CLIPBOARD} lights"
                    drivers: [lighting]
                """,
            CYCLE: (CYCLE_YAML + LOGGED_YAML)
            .replace("scale: one bay, one night", f'scale: "one {WINDOW_TITLE} bay"')
            .replace(
                "learned: Patients like the lights; one found it too bright",
                f'learned: "Patients {CLIPBOARD} like it"',
            ),
        }
    )


TERMINAL_COMMANDS = [
    ["report", "{root}"],
    ["validate", "{root}"],
    ["measure", "list", "-p", "{root}"],
    ["change", "list", "-p", "{root}"],
    ["drivers", "-p", "{root}"],
    ["cycle", "list", "-p", "{root}"],
    ["cycle", "show", "a1b2", "-p", "{root}"],
    ["chart", "falls", "-p", "{root}"],
]


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("args", TERMINAL_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_escape_sequences_in_files_never_reach_the_terminal(
    write_project: WriteProject, args: list[str], colour: bool
) -> None:
    root = hostile_project(write_project)
    code, out, err = invoke(*(a.format(root=root) for a in args), colour=colour)
    assert code in (0, 1), err  # validate finds the escape sequences in the file
    assert obeyed(out) == [] and obeyed(err) == []
    if not colour:
        assert "\x1b" not in out + err


def test_a_colleagues_colour_codes_show_as_text(write_project: WriteProject) -> None:
    """qi's own colours stay; a colour code written in a file is shown, not obeyed."""
    root = hostile_project(write_project)
    _, out, _ = invoke("report", str(root), colour=True)
    assert "\x1b[31m" not in out  # the measure's name holds ESC [31m
    assert "?[31m" in out
    assert "\x1b[1m" in out  # qi's bold headings


@pytest.mark.parametrize("colour", [False, True])
def test_escape_sequences_in_titles_never_reach_the_portfolio(
    write_project: WriteProject, tmp_path: Path, colour: bool
) -> None:
    hostile_project(write_project)
    for width in (80, 120):
        code, out, err = invoke("portfolio", str(tmp_path), colour=colour, width=width)
        assert code == 0, err
        assert obeyed(out) == [] and obeyed(err) == []
        assert "Falls ?]52;c;ZXZpbA==?\\" in out.replace("\n", "")


def test_an_error_quoting_a_value_never_sends_an_escape(write_project: WriteProject) -> None:
    root = write_project(
        {"measures/falls.csv": "date,value,denominator\n2026-01-05,\x1b]0;owned\x07,350\n"}
    )
    code, out, err = invoke("validate", str(root))
    assert code == 1
    assert obeyed(out + err) == []
    assert "is not a number" in out + err


def test_terminal_output_keeps_only_line_breaks_tabs_and_colours() -> None:
    text = "a\tb\n\x1b[1mbold\x1b[0m \x1b]0;t\x07 \x9b2J \x7f \x85"
    assert terminal_output(text, colour=True) == (
        "a\tb\n\x1b[1mbold\x1b[0m \\u001b]0;t\\u0007 \\u009b2J \\u007f \\u0085"
    )
    assert terminal_output(text, colour=False) == (
        "a\tb\nbold \\u001b]0;t\\u0007 \\u009b2J \\u007f \\u0085"
    )


def test_json_output_means_the_same_after_the_terminal_gate(write_project: WriteProject) -> None:
    """DEL and C1 characters may stand in JSON as they are: the gate shows them as JSON
    escapes, so the parsed output still holds the title as written."""
    import json

    root = write_project(
        {"project.yaml": PROJECT_YAML.replace("title: Falls on ward 7", 'title: "Falls\\x85\\x7f"')}
    )
    code, out, _ = invoke("report", "--format", "json", str(root))
    assert code == 0
    assert obeyed(out) == []
    assert json.loads(out)["project"]["title"] == "Falls\x85\x7f"


# --- 4. Markdown injection ---------------------------------------------------------------

INJECTION = "Break\n```\n\n<img src=x onerror=alert(1)>\n\n# Injected heading"


def markdown_report(write_project: WriteProject) -> str:
    root = write_project(
        {
            "project.yaml": PROJECT_YAML.replace(
                "title: Falls on ward 7", "title: '<script>alert(1)</script> Falls'"
            )
            + "problem: |\n  First paragraph <b>bold</b>\n\n  # not a heading\n  - not a list\n",
            "drivers.yaml": """\
                drivers:
                  lighting:
                    name: |
                      Break
                      ```

                      <img src=x onerror=alert(1)>

                      # Injected heading
                changes:
                  night-lights:
                    title: "Night | lights\\n# Heading <i>x</i>"
                    drivers: [lighting]
                """,
            "measures/falls.yaml": MEASURE_YAML.replace(
                "name: Falls per 1,000 bed days", "name: '## Falls ``` <img src=y>'"
            ),
            CYCLE: (CYCLE_YAML + LOGGED_YAML).replace(
                "learned: Patients like the lights; one found it too bright",
                "learned: |\n    fine\n    # Learned heading\n    <script>x</script>",
            ),
        }
    )
    code, out, err = invoke("report", "--format", "markdown", str(root))
    assert code == 0, err
    return out


def test_markdown_report_keeps_user_text_as_text(write_project: WriteProject) -> None:
    text = markdown_report(write_project)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html and "<script" not in html and "<i>" not in html
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    injected = ("Injected", "Heading", "Learned", "not a heading")
    assert not [h for h in headings if h.startswith(injected)]
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Falls</h1>" in html  # the title
    assert "<h3>## Falls ``` &lt;img src=y&gt;</h3>" in html
    # one Mermaid block, holding the whole diagram
    fences = [t for t in tokens if t.type == "fence"]
    mermaid = [t for t in fences if t.info == "mermaid"]
    assert len(mermaid) == 1
    assert "Injected heading" in mermaid[0].content
    assert "night_lights" in mermaid[0].content  # the change idea after the driver
    assert "<img" not in mermaid[0].content and "```" not in mermaid[0].content
    # each user line stays in its table cell and list item
    assert "<li>not a list</li>" not in html
    assert "# not a heading" in html
    assert "Night | lights # Heading &lt;i&gt;x&lt;/i&gt;" in html


def test_markdown_text_refuses_structure() -> None:
    assert markdown_text(INJECTION) == (
        "Break \\`\\`\\` &lt;img src=x onerror=alert(1)&gt; \\# Injected heading"
    )
    assert markdown_text("- item") == "\\- item"
    assert markdown_text("12) item") == "12\\) item"
    assert markdown_text("-5 days") == "-5 days"


def test_html_report_still_escapes(write_project: WriteProject, tmp_path: Path) -> None:
    root = write_project(
        {
            "project.yaml": PROJECT_YAML.replace(
                "title: Falls on ward 7", "title: '<script>alert(1)</script> Falls'"
            ),
            "measures/falls.yaml": MEASURE_YAML.replace(
                "name: Falls per 1,000 bed days", "name: '<img src=x onerror=alert(1)>'"
            ),
        }
    )
    out = tmp_path / "report.html"
    code, _, err = invoke("report", "--format", "html", "-o", str(out), str(root))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Falls" in page


def test_markdown_portfolio_keeps_titles_as_text(
    write_project: WriteProject, tmp_path: Path
) -> None:
    write_project(
        {
            "project.yaml": PROJECT_YAML.replace(
                "title: Falls on ward 7", "title: '<script>alert(1)</script> | # Falls'"
            ).replace("name: Alex Moss", "name: '<img src=x onerror=alert(1)>'"),
        }
    )
    code, out, err = invoke("portfolio", str(tmp_path), "--format", "markdown")
    assert code == 0, err
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<script" not in html and "<img" not in html
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; | # Falls</td>" in html
    assert html.count("<h1>") == 1


def test_data_list_shows_a_notes_own_colour_codes_rather_than_obeying_them(
    write_project: WriteProject,
) -> None:
    """With colour on, qi's colours pass the terminal gate: a note's `ESC [8m` (conceal)
    passed with them and hid the rest of the line."""
    root = write_project()
    csv = root / "measures" / "falls.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[0] += ",note"
    lines[1] += ",ok \x1b[8mhidden"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = invoke("data", "list", "falls", "-p", str(root), colour=True)
    assert code == 0, err
    assert "\x1b[8m" not in out and "hidden" in out


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[8mhidden", "a\\u001b[8mhidden"),  # conceal: never one of qi's codes
        ("a\x1b[0;8mhidden", "a\\u001b[0;8mhidden"),
        ("\x1b[38;5;8mgrey\x1b[0m", "\x1b[38;5;8mgrey\x1b[0m"),  # colour number 8: a colour
        ("\x1b[38;2;8;8;8mdark\x1b[0m", "\x1b[38;2;8;8;8mdark\x1b[0m"),
        ("\x1b[1;33mbold yellow\x1b[0m", "\x1b[1;33mbold yellow\x1b[0m"),
    ],
)
def test_the_terminal_gate_keeps_colours_but_shows_conceal(text: str, shown: str) -> None:
    """With colour on, qi's colours pass the gate; text hidden from the reader does not."""
    assert terminal_output(text, colour=True) == shown
