"""The process map: process.yaml checked, drawn as an outline, Mermaid and an SVG flowchart."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from qi_cli.render.process_svg import layers
from qi_cli.toolkit.process import process_view
from tests.conftest import WriteProject, run
from tests.goldens import check_golden
from tests.test_coaching import PROCESS_YAML, issues_of

SVG = "{http://www.w3.org/2000/svg}"
Rect = tuple[float, float, float, float]  # left, top, right, bottom


@pytest.fixture
def example(runner: CliRunner, tmp_path: Path) -> Path:
    code, _, err = run(
        runner, "project", "new", "Rib fractures", "--template", "example", "--dir", str(tmp_path)
    )
    assert code == 0, err
    return tmp_path / "rib-fractures"


def errors(runner: CliRunner, root: Path) -> list[tuple[str, str, str]]:
    """(line:column, message, hint) of every error of process.yaml."""
    return [
        (f"{i['line']}:{i['column']}", str(i["message"]), str(i["hint"]))
        for i in issues_of(runner, root)
        if i["severity"] == "error" and str(i["path"]).endswith("process.yaml")
    ]


# --- checks ------------------------------------------------------------------------------


def test_the_example_and_the_base_map_are_clean(
    example: Path, runner: CliRunner, write_project: WriteProject
) -> None:
    assert issues_of(runner, example) == []
    assert issues_of(runner, write_project({"process.yaml": PROCESS_YAML})) == []


@pytest.mark.parametrize(
    ("old", "new", "where", "message", "hint"),
    [
        (
            "      next: walk\n",
            "      next: wlak\n",
            "12:13",
            "step 'wait': no step 'wlak'",
            "did you mean 'walk'?",
        ),
        (
            "      changes: [night-lights]\n",
            "      changes: [night-light]\n",
            "16:17",
            "step 'walk': no change idea 'night-light' in drivers.yaml",
            "did you mean 'night-lights'?",
        ),
        (
            "      kind: end\n",
            "",
            "18:5",
            "step 'back' leads nowhere",
            "add `next: ID`, or make it the end of the process with `kind: end`",
        ),
        (
            "      kind: start\n",
            "      kind: action\n      role: Patient\n",
            "3:3",
            "the current state has no start step",
            "mark the first step with `kind: start`",
        ),
        (
            "      next: back\n",
            "      next: call\n",
            "17:13",
            "step 'walk' leads back to the start 'call'",
            "a process starts once: point it at the step after the start",
        ),
        (
            "      next: walk\n",
            "      next: wait\n",
            "12:13",
            "step 'wait' leads to itself",
            "point it at the step that follows",
        ),
    ],
)
def test_a_broken_map_is_an_error_at_its_place(
    old: str,
    new: str,
    where: str,
    message: str,
    hint: str,
    write_project: WriteProject,
    runner: CliRunner,
) -> None:
    assert old in PROCESS_YAML
    root = write_project({"process.yaml": PROCESS_YAML.replace(old, new)})
    found = errors(runner, root)
    assert (where, message, hint) in found, found


def test_unreachable_steps_missing_end_and_bad_decisions(
    write_project: WriteProject, runner: CliRunner
) -> None:
    text = """\
    current:
      steps:
        in:
          kind: start
          label: Arrives
          next: ask
        ask:
          kind: decision
          label: Fallen before?
          role: Nurse
          next: in
          branches:
            - label: "yes"
              to: assess
        assess:
          label: Falls assessment
          role: Nurse
          branches:
            - {label: "x", to: ask}
        island:
          label: Nobody gets here
          role: Porter
          next: assess
    """
    found = errors(runner, write_project({"process.yaml": text}))
    messages = [m for _, m, _ in found]
    assert "decision 'ask' goes on by its branches, not by `next`" in messages
    assert "decision 'ask' needs at least two branches" in messages
    assert "step 'assess' has branches but is not a decision" in messages
    assert "the current state has no end step" in messages
    assert "step 'island' cannot be reached from the start 'in'" in messages
    assert ("20:5", "step 'island' cannot be reached from the start 'in'") in [
        (w, m) for w, m, _ in found
    ]


def test_unknown_key_and_kind_at_their_place(
    write_project: WriteProject, runner: CliRunner
) -> None:
    text = PROCESS_YAML.replace("      duration: 4 min\n", "      duraton: 4 min\n").replace(
        "kind: wait", "kind: pause"
    )
    issues = issues_of(runner, write_project({"process.yaml": text}))
    found = {(f"{i['line']}:{i['column']}", str(i["message"]), str(i["hint"])) for i in issues}
    assert ("11:7", "unknown key 'duraton'", "did you mean 'duration'?") in found
    assert any(
        w == "9:13" and "'pause' is not allowed here" in m and "start" in h and "wait" in h
        for w, m, h in found
    ), found


def test_a_second_start_and_a_broken_future(write_project: WriteProject, runner: CliRunner) -> None:
    future = PROCESS_YAML.split("current:\n", 1)[1].replace("next: back", "next: gone")
    text = (
        PROCESS_YAML.replace(
            "    back:\n",
            "    again:\n      kind: start\n      label: Again\n      next: walk\n    back:\n",
        )
        + "future:\n"
        + future
    )
    found = errors(runner, write_project({"process.yaml": text}))
    messages = [m for _, m, _ in found]
    assert "the current state has more than one start step ('call' and 'again')" in messages
    assert "step 'walk': no step 'gone'" in messages  # in the future state
    assert [w for w, m, _ in found if m == "step 'walk': no step 'gone'"] == ["40:13"]


# --- the map as data ------------------------------------------------------------------------


def test_steps_are_numbered_as_written_with_their_exits(example: Path) -> None:
    view = process_view(load_project(example))
    steps = view["steps"]
    assert [s["number"] for s in steps] == list(range(1, 17))
    decision = next(s for s in steps if s["id"] == "fracture-found")
    assert decision["number"] == 6
    assert decision["exits"] == [
        {"label": "yes", "to": "analgesia", "number": 7},
        {"label": "no", "to": "other-care", "number": 16},
    ]
    referral = next(s for s in steps if s["id"] == "physio-referral")
    assert referral["changes"] == [
        {"id": "auto-physio-referral", "title": "Automatic physio referral from ED"}
    ]
    future = process_view(load_project(example), future=True)
    assert future["state"] == "future" and len(future["steps"]) == 16


def test_layers_put_every_forward_step_below_and_loops_against_the_flow(example: Path) -> None:
    for future in (False, True):
        view = process_view(load_project(example), future=future)
        layer = layers(view)
        back = 0
        for step in view["steps"]:
            for out in step["exits"]:
                if layer[out["number"] - 1] <= layer[step["number"] - 1]:
                    back += 1
        assert layer[0] == 0
        # the current state has one loop (more analgesia, then ask again), the future none
        assert back == (0 if future else 1)
    # the longest path: the future state's two analgesia routes meet at the admission
    view = process_view(load_project(example), future=True)
    layer = {s["id"]: layer for s, layer in zip(view["steps"], layers(view), strict=True)}
    assert layer["block-review"] == layer["analgesia"] == layer["high-risk"] + 1
    assert layer["admit"] == layer["analgesia"] + 1


# --- the SVG flowchart ------------------------------------------------------------------------


def box_of(shape: ET.Element) -> Rect:
    """The rectangle a step's shape covers, computed from its own geometry."""
    tag = shape.tag.removeprefix(SVG)
    if tag == "rect":
        x, y = float(shape.get("x", 0)), float(shape.get("y", 0))
        return x, y, x + float(shape.get("width", 0)), y + float(shape.get("height", 0))
    if tag == "polygon":
        pairs = [tuple(map(float, p.split(","))) for p in shape.get("points", "").split()]
        xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
        return min(xs), min(ys), max(xs), max(ys)
    assert tag == "path", tag
    # M x,y L x,y A r,r 0 0 1 x,y L x,y Z: the arc is a half circle bulging right
    d = shape.get("d", "")
    arc = re.search(r"A([\d.]+),([\d.]+) 0 0 1 ([\d.]+),([\d.]+)", d)
    assert arc is not None, d
    points = [tuple(map(float, p)) for p in re.findall(r"[ML]([\d.]+),([\d.]+)", d)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), float(arc.group(3)) + float(arc.group(1)), max(ys)


def overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("future", [False, True])
def test_svg_draws_every_step_readably_without_overlaps(
    future: bool, example: Path, runner: CliRunner
) -> None:
    args = ["process", "--format", "svg", "--project", str(example)]
    code, out, err = run(runner, *args, *(["--future"] if future else []))
    assert code == 0, err
    root = ET.fromstring(out)
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    view = process_view(load_project(example), future=future)
    groups = root.findall(f"{SVG}g[@class]")
    steps = {g.get("data-step"): g for g in groups if "step" in (g.get("class") or "")}
    assert list(steps) == [s["id"] for s in view["steps"]]
    boxes = {}
    for step in view["steps"]:
        group = steps[step["id"]]
        shapes = group.findall(f"{SVG}*[@class='shape']")
        assert len(shapes) == 1
        kind_tag = {"decision": "polygon", "wait": "path"}.get(step["kind"], "rect")
        assert shapes[0].tag == SVG + kind_tag, step["id"]
        if step["kind"] in ("start", "end"):
            assert float(shapes[0].get("rx", 0)) >= 10  # rounded
        box = box_of(shapes[0])
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
        boxes[step["id"]] = box
        # the label, wrapped over lines, is there word for word
        text = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
        assert f"{step['number']}. {step['label']}" in text, (step["id"], text)
        if step["role"]:
            assert step["role"] in text
        # targeted steps are amber and starred with the change idea
        changed = "step-changed" in (group.get("class") or "")
        assert changed == bool(step["changes"])
        if changed:
            assert shapes[0].get("fill") == "#fff3c4"
            assert all(c["title"] in " ".join(text.split()) for c in step["changes"])
    for (a, ra), (b, rb) in itertools.combinations(boxes.items(), 2):
        assert not overlap(ra, rb), (a, b, ra, rb)
    edges = root.findall(f"{SVG}polyline[@class='edge']")
    assert len(edges) == sum(len(s["exits"]) for s in view["steps"])
    # every edge is drawn at right angles, and never through a box it does not join
    for edge in edges:
        pts = [tuple(map(float, p.split(","))) for p in (edge.get("points") or "").split()]
        for (x1, y1), (x2, y2) in itertools.pairwise(pts):
            assert x1 == x2 or y1 == y2
    branch_labels = [t.text for t in root.findall(f"{SVG}text[@class='branch']")]
    assert sorted(branch_labels) == sorted(
        e["label"] for s in view["steps"] for e in s["exits"] if e["label"]
    )


def test_edges_go_down_between_the_boxes(example: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "process", "-f", "svg", "--project", str(example), "--future")
    assert code == 0
    root = ET.fromstring(out)
    boxes = [box_of(s) for s in root.iter() if s.get("class") == "shape"]
    for edge in root.findall(f"{SVG}polyline[@class='edge']"):
        pts = [tuple(map(float, p.split(","))) for p in (edge.get("points") or "").split()]
        for (x1, y1), (x2, y2) in itertools.pairwise(pts):
            # shrink the segment by a pixel at each end: it may touch the boxes it joins
            seg = (
                min(x1, x2) + (0 if x1 == x2 else 1),
                min(y1, y2) + (0 if y1 == y2 else 1),
                max(x1, x2) - (0 if x1 == x2 else 1),
                max(y1, y2) - (0 if y1 == y2 else 1),
            )
            thin = (seg[0] - 0.1, seg[1] - 0.1, seg[2] + 0.1, seg[3] + 0.1)
            assert not any(overlap(thin, box) for box in boxes), (seg, edge.get("points"))


def test_text_is_escaped_everywhere(write_project: WriteProject, runner: CliRunner) -> None:
    nasty = 'Check "A&E" <b>now</b> | [x](y) #1'
    root = write_project({"process.yaml": PROCESS_YAML.replace("Wait for a nurse", f"'{nasty}'")})
    code, out, err = run(runner, "process", "-f", "svg", "--project", str(root))
    assert code == 0, err
    tree = ET.fromstring(out)  # would fail on a raw < or &
    assert "<script>" not in out
    texts = " ".join(t.text or "" for t in tree.iter(f"{SVG}text"))
    assert nasty in " ".join(texts.split())
    code, out, _ = run(runner, "process", "-f", "markdown", "--project", str(root))
    assert code == 0
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert '"' not in block.split("s2{{", 1)[1].split("\n")[0][2:-3]
    assert "2. Check #34;A#38;E#34; #60;b#62;now#60;/b#62; #124; [x](y) #35;1" in block
    code, out, _ = run(runner, "process", "--project", str(root))
    assert nasty in " ".join(out.split())


def test_the_outline_never_prints_escape_sequences(
    write_project: WriteProject, runner: CliRunner
) -> None:
    text = PROCESS_YAML.replace("Wait for a nurse", '"Wait\\e[2J for a nurse"').replace(
        "Healthcare assistant", '"Healthcare\\e[31m assistant"'
    )
    root = write_project({"process.yaml": text})
    code, out, err = run(runner, "process", "--project", str(root))
    assert code == 0, err
    assert "\x1b" not in out
    assert "2. wait: Wait?[2J for a nurse" in out and "Healthcare?[31m assistant" in out


def test_a_long_word_is_broken_not_cut(write_project: WriteProject, runner: CliRunner) -> None:
    word = "Thoracolumbarradiographicassessmentprotocol"
    root = write_project({"process.yaml": PROCESS_YAML.replace("Wait for a nurse", word)})
    code, out, _ = run(runner, "process", "-f", "svg", "--project", str(root))
    assert code == 0
    group = next(g for g in ET.fromstring(out).iter(f"{SVG}g") if g.get("data-step") == "wait")
    lines = [t.text or "" for t in group.iter(f"{SVG}text")]
    assert len(lines) > 2 and "…" not in "".join(lines)
    assert word in "".join(lines)


# --- the command ----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
def test_outline_golden(width: int, example: Path, request: pytest.FixtureRequest) -> None:
    runner = CliRunner()
    for state, extra in (("current", []), ("future", ["--future"])):
        result = runner.invoke(
            __import__("qi_cli.cli", fromlist=["app"]).app,
            ["process", "--project", str(example), *extra],
            env={"NO_COLOR": "1", "COLUMNS": str(width)},
        )
        assert result.exit_code == 0, result.stderr
        check_golden(f"toolkit/process-{state}-{width}.txt", result.stdout, request)


def test_markdown_golden(example: Path, runner: CliRunner, request: pytest.FixtureRequest) -> None:
    code, out, err = run(runner, "process", "--format", "markdown", "--project", str(example))
    assert code == 0, err
    check_golden("toolkit/process-current.md", out, request)
    assert out.count("```") == 2
    assert '  s6 -->|"yes"| s7' in out and "  s6{" in out and "  s1([" in out


def test_outline_shows_jumps_branches_and_changes(example: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "process", "--project", str(example))
    assert code == 0
    assert "   6. decision: Rib fracture identified? · ED doctor\n" in out
    assert "        yes → 7. Oral analgesia prescribed\n" in out
    assert "        no  → 16. Other care (no rib fracture)\n" in out
    assert "        → 10. Pain controlled enough to cough?\n" in out  # the loop back
    assert "        ★ change idea: Automatic physio referral from ED\n" in out
    assert "   3. wait: Wait to be seen by an ED doctor (typically 2 h 10 min)\n" in out


def test_command_errors(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project()
    code, out, err = run(runner, "process", "--project", str(root))
    assert code == 1 and out == ""
    assert "process.yaml: no process map yet" in err and "hint:" in err
    root = write_project({"process.yaml": PROCESS_YAML}, name="p2")
    code, _, err = run(runner, "process", "--future", "--project", str(root))
    assert code == 1
    assert "process.yaml has no future state yet" in err
    code, _, err = run(runner, "process", "-f", "pdf", "--project", str(root))
    assert code == 2 and "unknown format 'pdf'" in err
    broken = PROCESS_YAML.replace("next: walk", "next: wlak").replace("next: back", "next: bak")
    root = write_project({"process.yaml": broken}, name="p3")
    code, _, err = run(runner, "process", "--project", str(root))
    assert code == 1
    assert err.startswith(f"error: {root}/process.yaml:12:13: step 'wait': no step 'wlak'")
    assert "did you mean 'walk'?; 3 more: qi validate" in err
    assert "Traceback" not in err
    root = write_project({"process.yaml": "current: [1\n"}, name="p4")
    code, _, err = run(runner, "process", "--project", str(root))
    assert code == 1 and "process.yaml:" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["process.yaml", "stakeholders.yaml"])
def test_the_examples_in_the_format_doc_are_valid(
    name: str, example: Path, runner: CliRunner
) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "format.md").read_text()
    section = doc.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (example / name).write_text(block, encoding="utf-8")
    issues = issues_of(runner, example)
    assert [i for i in issues if i["severity"] == "error"] == []


def test_renaming_a_change_idea_renames_it_in_both_states(example: Path, runner: CliRunner) -> None:
    path = example / "process.yaml"
    before = path.read_text(encoding="utf-8")
    assert before.count("changes: [auto-physio-referral]") == 2
    code, out, err = run(
        runner, "rename", "change", "auto-physio-referral", "referral", "-p", str(example)
    )
    assert code == 0, err
    assert "process.yaml" in out
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("changes: [auto-physio-referral]", "changes: [referral]")
    view = process_view(load_project(example), future=True)
    admit = next(s for s in view["steps"] if s["id"] == "admit")
    assert admit["changes"] == [{"id": "referral", "title": "Automatic physio referral from ED"}]
