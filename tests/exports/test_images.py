"""Chart images: `qi chart --svg/--png` and `qi export charts`, read back pixel by pixel."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from tests.conftest import WriteProject, run, weekly_csv

# An I chart of 10, 12, 10, 12, ...: centre 11, every moving range 2, so the limits are
# 11 ± 2.66 × 2 = 16.32 and 5.68 (Montgomery; Provost & Murray). The y axis then runs
# from 5 to 17.5 in steps of 2.5 (`nice_ticks`), a grey gridline at each step.
ALTERNATING = """\
name: Minutes to triage
kind: process
data_type: continuous
direction: decrease
chart: i
method: anhoej
definition:
  description: minutes from arrival to triage
  unit: minutes
"""
LIMIT = (0x73, 0x73, 0x73)
GRID = (0xEE, 0xEE, 0xEE)
CENTRE = (0x33, 0x33, 0x33)


def _project(write_project: WriteProject) -> Path:
    return write_project(
        {
            "measures/triage.yaml": ALTERNATING,
            "measures/triage.csv": weekly_csv([10, 12] * 10),
        }
    )


def _bands(image: Image.Image, colour: tuple[int, int, int], share: float) -> list[float]:
    """The middles of the horizontal lines drawn in `colour` over `share` of the width."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    data = rgb.tobytes()  # r, g, b, r, g, b, ... row after row
    rows = []
    for y in range(height):
        row = data[y * width * 3 : (y + 1) * width * 3]
        found = sum(
            max(abs(row[i] - colour[0]), abs(row[i + 1] - colour[1]), abs(row[i + 2] - colour[2]))
            <= 4
            for i in range(0, len(row), 3)
        )
        if found >= share * width:
            rows.append(y)
    bands: list[list[int]] = []
    for y in rows:
        if bands and y == bands[-1][-1] + 1:
            bands[-1].append(y)
        else:
            bands.append([y])
    return [sum(b) / len(b) for b in bands]


def test_png_shows_the_limits_where_the_hand_calculation_puts_them(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = _project(write_project)
    out = tmp_path / "triage.png"
    code, _, err = run(runner, "chart", "triage", "-p", str(root), "--png", str(out))
    assert code == 0, err
    with Image.open(out) as image:
        image.load()
    assert image.width == 1440  # the report's 720-wide drawing at 2×
    assert image.info["Software"] == "qi export"
    grid = _bands(image, GRID, 0.5)
    limits = _bands(image, LIMIT, 0.25)  # dashed: about half their length is drawn
    centre = _bands(image, CENTRE, 0.5)
    assert len(grid) == 6  # 5, 7.5, 10, 12.5, 15, 17.5
    step = (grid[-1] - grid[0]) / 5  # pixels for 2.5 minutes
    assert len(limits) == 2 and len(centre) == 1
    upper, lower = limits
    assert abs((upper - grid[0]) / step - (17.5 - 16.32) / 2.5) < 0.03
    assert abs((lower - upper) / step - (16.32 - 5.68) / 2.5) < 0.03
    assert abs((centre[0] - grid[0]) / step - (17.5 - 11) / 2.5) < 0.03


def test_svg_is_the_reports_drawing_and_marked_as_qis(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = _project(write_project)
    out = tmp_path / "triage.svg"
    code, _, err = run(runner, "chart", "triage", "-p", str(root), "--svg", str(out))
    assert code == 0, err
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- qi export -->\n<svg')
    assert "<title>Minutes to triage" in svg
    assert "limits (3σ)" in svg
    # run again: qi's own file is replaced without --force
    code, _, err = run(runner, "chart", "triage", "-p", str(root), "--svg", str(out))
    assert code == 0, err


def test_a_file_qi_did_not_write_is_kept_unless_forced(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = _project(write_project)
    mine = tmp_path / "mine.png"
    mine.write_bytes(b"my holiday photo")
    code, _, err = run(runner, "chart", "triage", "-p", str(root), "--png", str(mine))
    assert code == 1
    assert "mine.png: already exists and was not written by qi" in err
    assert "--force" in err and "Traceback" not in err
    assert mine.read_bytes() == b"my holiday photo"
    code, _, err = run(runner, "chart", "triage", "-p", str(root), "--png", str(mine), "--force")
    assert code == 0, err
    with Image.open(mine) as image:
        assert image.width == 1440


def test_export_charts_writes_every_measure(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = _project(write_project)
    folder = tmp_path / "charts"
    folder.mkdir()
    code, _, err = run(runner, "export", "charts", "-p", str(root), "-o", str(folder), "-f", "both")
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "falls.png",
        "falls.svg",
        "restraint.png",
        "restraint.svg",
        "triage.png",
        "triage.svg",
    ]
    code, _, err = run(runner, "export", "charts", "-p", str(root), "-o", str(tmp_path / "no"))
    assert code == 1
    assert "no such folder" in err
