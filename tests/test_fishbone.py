"""`fishbone.yaml`: its checks, `qi fishbone add`, and the diagram in every format."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import WriteProject, run
from tests.goldens import check_golden

SVG = "{http://www.w3.org/2000/svg}"

FISHBONE = """\
# why patients fall at night
effect: Falls at night on ward 7
categories:
  - name: environment   # the ward itself
    causes:
      - cause: Dark bays at night
        addressed_by: [night-lights]
  - name: people
    causes:
      - cause: Agency staff on nights
"""


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return create_project(
        tmp_path, "Rib fracture pathway", template="example", folder_name="rib-fracture-pathway"
    )


def issues_of(runner: CliRunner, root: Path) -> list[dict[str, object]]:
    _, out, err = run(runner, "validate", str(root), "--format", "json")
    assert "Traceback" not in err
    return [i for i in json.loads(out)["issues"] if "fishbone" in str(i["path"])]


def test_example_is_valid_and_fully_addressed(example: Path, runner: CliRunner) -> None:
    assert issues_of(runner, example) == []
    code, out, _ = run(runner, "fishbone", "-p", str(example), "--format", "json")
    assert code == 0
    view = json.loads(out)
    assert [c["name"] for c in view["categories"]] == [
        "People",
        "Methods",
        "Equipment",
        "Environment",
        "Materials",
        "Measurement",
    ]
    assert view["unaddressed"] == []
    first = view["categories"][0]["causes"][0]
    assert first["addressed_by"] == [
        {"id": "auto-physio-referral", "title": "Automatic physio referral from ED"}
    ]


def test_unknown_keys_and_links_are_errors_at_their_place(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(
        {
            "fishbone.yaml": """\
                effect: Falls at night
                categories:
                  - name: environment
                    causes:
                      - cause: Dark bays
                        adressed_by: [night-lights]
                """
        }
    )
    issues = issues_of(runner, root)
    assert [(i["line"], i["column"], i["message"], i["hint"]) for i in issues] == [
        (6, 9, "unknown key 'adressed_by'", "did you mean 'addressed_by'?")
    ]
    root = write_project(
        {
            "fishbone.yaml": """\
                effect: Falls at night
                categories:
                  - name: environment
                    causes:
                      - cause: Dark bays
                        addressed_by: [lighting, night-light]
                        causes:
                          - cause: Bulbs broken
                            addressed_by: [estates]
                  - name: Environment
                """
        },
        name="links",
    )
    issues = issues_of(runner, root)
    assert [(i["severity"], i["line"], i["column"], i["message"]) for i in issues] == [
        ("error", 6, 34, "addressed_by: no driver or change idea 'night-light'"),
        ("error", 9, 28, "addressed_by: no driver or change idea 'estates'"),
        ("error", 10, 11, "category 'Environment' is written twice"),
    ]
    assert issues[0]["hint"] == "did you mean 'night-lights'?"


def test_links_are_not_checked_when_drivers_yaml_is_broken(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"fishbone.yaml": FISHBONE, "drivers.yaml": "drivers: [\n"})
    messages = [i["message"] for i in issues_of(runner, root)]
    assert not any("no driver or change idea" in str(m) for m in messages)


def test_a_cause_addressed_through_a_sub_cause_is_addressed(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(
        {
            "fishbone.yaml": """\
                effect: Falls
                categories:
                  - name: people
                    causes:
                      - cause: Staffing
                        causes:
                          - cause: Agency staff
                            addressed_by: [lighting]
                """
        }
    )
    assert issues_of(runner, root) == []


def test_add_keeps_comments_and_writes_only_the_new_lines(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"fishbone.yaml": FISHBONE})
    code, out, err = run(
        runner, "fishbone", "add", "People", "Nobody checks the call bell",
        "--addressed-by", "night-lights", "-p", str(root),
    )  # fmt: skip
    assert code == 0, err
    assert "added a cause to" in out
    code, _, err = run(
        runner, "fishbone", "add", "environment", "Bulbs not replaced",
        "--under", "dark", "-p", str(root),
    )  # fmt: skip
    assert code == 0, err
    text = (root / "fishbone.yaml").read_text()
    assert text == textwrap.dedent(
        """\
        # why patients fall at night
        effect: Falls at night on ward 7
        categories:
          - name: environment   # the ward itself
            causes:
              - cause: Dark bays at night
                addressed_by: [night-lights]
                causes:
                  - cause: Bulbs not replaced
          - name: people
            causes:
              - cause: Agency staff on nights
              - cause: Nobody checks the call bell
                addressed_by:
                  - night-lights
        """
    )


def test_add_starts_a_category_and_refuses_typing_slips(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"fishbone.yaml": FISHBONE})
    before = (root / "fishbone.yaml").read_text()
    code, _, err = run(runner, "fishbone", "add", "poeple", "x", "-p", str(root))
    assert code == 1
    assert "no category 'poeple'" in err and "did you mean 'people'?" in err and "--new" in err
    code, _, err = run(runner, "fishbone", "add", "Patient factors", "Frailty", "-p", str(root))
    assert code == 1
    assert (root / "fishbone.yaml").read_text() == before
    code, _, err = run(
        runner, "fishbone", "add", "Patient factors", "Frailty", "--new", "-p", str(root)
    )
    assert code == 0, err
    code, _, err = run(runner, "fishbone", "add", "methods", "No falls protocol", "-p", str(root))
    assert code == 0, err  # one of the classic six needs no --new
    code, out, _ = run(runner, "fishbone", "-p", str(root), "--format", "json")
    names = [c["name"] for c in json.loads(out)["categories"]]
    assert names == ["environment", "people", "Patient factors", "methods"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["people", "x", "--addressed-by", "night-light"], 1, "did you mean 'night-lights'?"),
        (["people", "x", "--under", "nobody"], 1, "no cause 'nobody' in people for --under"),
        (["people", "agency staff ON nights"], 1, "is already a cause under people"),
        (["people", "  "], 2, "the cause is empty"),
        (["people", "x", "--effect", "Falls"], 1, "fishbone.yaml already states its effect"),
    ],
)
def test_add_refuses_and_writes_nothing(
    args: list[str], code: int, message: str, write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"fishbone.yaml": FISHBONE})
    before = (root / "fishbone.yaml").read_text()
    exit_code, _, err = run(runner, "fishbone", "add", *args, "-p", str(root))
    assert exit_code == code
    assert message in err and "Traceback" not in err
    assert (root / "fishbone.yaml").read_text() == before


def test_add_starts_the_file_with_its_effect(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project()
    code, _, err = run(runner, "fishbone", "add", "people", "Agency staff", "-p", str(root))
    assert code == 1
    assert "no fishbone.yaml yet" in err and "--effect" in err
    assert not (root / "fishbone.yaml").exists()
    code, _, err = run(
        runner, "fishbone", "add", "people", "Agency staff", "--effect", "Falls: at night",
        "-p", str(root),
    )  # fmt: skip
    assert code == 0, err
    text = (root / "fishbone.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=.qi/schemas/fishbone.schema.json\n")
    assert 'effect: "Falls: at night"\ncategories:\n  - name: people\n' in text
    assert [i["code"] for i in issues_of(runner, root)] == ["Q601"]


@pytest.mark.parametrize("width", [80, 120])
def test_example_terminal_golden(
    width: int, example: Path, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    code, out, err = run(runner, "fishbone", "-p", str(example), "--width", str(width))
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= width
    check_golden(f"toolkit/fishbone-example-{width}.txt", out, request)


def test_example_markdown_golden(
    example: Path, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    code, out, err = run(runner, "fishbone", "-p", str(example), "--format", "markdown")
    assert code == 0, err
    check_golden("toolkit/fishbone-example.md", out, request)


def test_example_svg_is_a_fishbone(example: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "fishbone", "-p", str(example), "--format", "svg")
    assert code == 0
    svg = ET.fromstring(out)
    assert svg.find(f".//{SVG}path[@class='spine']") is not None
    assert svg.find(f".//{SVG}rect[@class='head']") is not None
    assert len(svg.findall(f".//{SVG}path[@class='bone']")) == 6
    assert len(svg.findall(f".//{SVG}g[@class='cause']")) == 10
    assert len(svg.findall(f".//{SVG}g[@class='subcause']")) == 4
    categories = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "cat"]
    assert categories == [
        "People",
        "Methods",
        "Equipment",
        "Environment",
        "Materials",
        "Measurement",
    ]
    # a long cause is wrapped onto lines, each no longer than the wrap width
    lines = [t.text or "" for t in svg.iter(f"{SVG}tspan")]
    assert "One physiotherapist covers" in lines
    assert max(len(line) for line in lines) <= 34
    # the effect is in the head, and bones above alternate with bones below
    effect = " ".join(
        "".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "effect"
    )
    assert "physiotherapy review" in effect
    spine = svg.find(f".//{SVG}path[@class='spine']")
    assert spine is not None
    spine_y = float(spine.get("d", "").split()[1].split("H")[0])
    bones = svg.findall(f".//{SVG}path[@class='bone']")
    ends = [float(b.get("d", "").split("L")[1].split()[1]) for b in bones]
    assert [end < spine_y for end in ends] == [True, False, True, False, True, False]


def test_unaddressed_ribs_are_dashed(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project({"fishbone.yaml": FISHBONE})
    code, out, _ = run(runner, "fishbone", "-p", str(root), "--format", "svg")
    assert code == 0
    ribs = {
        g.find(f"{SVG}title").text: g.find(f"{SVG}path").get("stroke-dasharray")
        for g in ET.fromstring(out).iter(f"{SVG}g")
    }
    assert ribs == {
        "Dark bays at night: addressed by Night lights in bays": None,
        "Agency staff on nights: not addressed yet": "4 3",
    }


def test_user_text_is_escaped_in_every_format(
    write_project: WriteProject, runner: CliRunner
) -> None:
    nasty = 'A "quote" <b>&</b> ``` #1; | *x*'
    root = write_project(
        {
            "fishbone.yaml": f"""\
                effect: '{nasty}'
                categories:
                  - name: "- people\\u001b[31m"
                    causes:
                      - cause: "line\\nbreak `x`"
                        addressed_by: [lighting]
                """
        }
    )
    code, out, _ = run(runner, "fishbone", "-p", str(root), "--format", "markdown")
    assert code == 0
    mermaid = out.split("```mermaid\n")[1].split("\n```\n")[0]
    for bracket in ('["', '"]', '("', '")'):
        mermaid = mermaid.replace(bracket, "")
    assert '"' not in mermaid  # every quote in a label is an entity
    assert "#34;quote#34;" in mermaid and "#60;b#62;#38;#60;/b#62;" in mermaid
    assert "#96;#96;#96;" in mermaid and "#35;1;" in mermaid
    assert "line break #96;x#96;" in mermaid  # the line break is a space
    assert "\n```" not in mermaid  # the fence is never closed early
    assert "  - line break \\`x\\`" in out
    assert "- **\\- people" in out  # not read as a nested list
    code, out, _ = run(runner, "fishbone", "-p", str(root), "--width", "80")
    assert "\x1b" not in out and "- people?[31m" in out
    code, out, _ = run(runner, "fishbone", "-p", str(root), "--format", "svg")
    svg = ET.fromstring(out)  # well formed: everything escaped
    assert nasty in (svg.find(f"{SVG}title").text or "")


def test_no_fishbone_yet(write_project: WriteProject, runner: CliRunner) -> None:
    code, _, err = run(runner, "fishbone", "-p", str(write_project()))
    assert code == 1
    assert "no fishbone.yaml yet" in err and "qi fishbone add" in err
    code, _, err = run(runner, "fishbone", "-p", str(write_project()), "--format", "pdf")
    assert code == 2
