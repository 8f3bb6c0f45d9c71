"""Charts and the driver diagram as pictures: the report's SVG, and PNG for slides.

The SVG is the HTML report's own drawing (`render.svg`, `render.diagram`); the PNG is
that SVG rasterised by resvg (resvg-py: one self-contained wheel, no system library
and no browser; cairosvg would need the cairo library installed). PNGs are drawn at
twice the SVG's size so they stay sharp on a projector.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import resvg_py
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from qi_cli.exports.written import CONTROL, MARK, check_output, svg_file
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.measure_analysis import MeasureAnalysis, unit_of
from qi_cli.render.escape import terminal_text
from qi_cli.render.svg import alt_text, svg_for

ZOOM = 2.0  # 2× the SVG's own size: a 720-wide chart becomes 1440 pixels


@dataclass(frozen=True)
class Picture:
    """A PNG with its text alternative and its size in pixels."""

    png: bytes
    alt: str
    width: int
    height: int


def picture(svg: str, alt: str, *, zoom: float = ZOOM) -> Picture:
    """`svg` drawn as a PNG on white, marked as a qi export, with `alt` as its alt text."""
    svg = CONTROL.sub("?", svg)  # a control character in a name would stop the XML parser
    raw = bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom, background="#ffffff"))
    info = PngInfo()
    info.add_text("Software", MARK)
    dpi = round(96 * zoom)  # so that Office places it at the SVG's own size
    out = io.BytesIO()
    with Image.open(io.BytesIO(raw)) as image:
        image.save(out, "PNG", pnginfo=info, dpi=(dpi, dpi), optimize=True)
    return Picture(
        png=out.getvalue(), alt=terminal_text(alt), width=image.width, height=image.height
    )


def chart_alt(analysis: MeasureAnalysis) -> str:
    """The chart's text alternative, the same sentence as the HTML report's."""
    unit = unit_of(analysis.series.measure) or ""
    return alt_text(analysis.result, analysis.labels, analysis.title, unit)


def chart_picture(analysis: MeasureAnalysis) -> Picture:
    return picture(svg_for(analysis), chart_alt(analysis))


def write_chart(analysis: MeasureAnalysis, path: Path, *, force: bool) -> None:
    """One measure's chart as `.svg` or `.png` (chosen by the file's name)."""
    check_output(path, force=force)
    if path.suffix.lower() == ".png":
        write_atomic(path, chart_picture(analysis).png)
    else:
        write_atomic(path, svg_file(svg_for(analysis)))


def write_charts(
    analyses: dict[str, MeasureAnalysis], folder: Path, *, kind: str, force: bool
) -> list[Path]:
    """Every measure's chart into `folder`, as MEASURE.svg and/or MEASURE.png."""
    suffixes = {"png": [".png"], "svg": [".svg"], "both": [".svg", ".png"]}[kind]
    paths = [folder / f"{mid}{suffix}" for mid in analyses for suffix in suffixes]
    for path in paths:  # check them all first: refuse before writing any
        check_output(path, force=force)
    for path in paths:
        write_chart(analyses[path.stem], path, force=force)
    return paths


def shown(paths: list[Path]) -> str:
    return ", ".join(display_path(p) for p in paths)
