"""Output: everything qi shows is built here as text, and returned, never printed.

Renderers take values from the library (a `series.MeasureAnalysis`, a report dict)
and return strings; the commands in `qi_cli.cli` decide where they go and whether
colour is on (`cli._common.use_colour`), and pass that in as a plain bool.

* `chart`: terminal run and control charts (plotext), with phases and PDSA cycles;
  `chart_page(analysis, width=, height=, colour=)` is what `qi chart` prints.
* `text`: the words under a chart: legend, centre lines, signals, icons, latest value.

Heavy imports (plotext, rich) happen inside the functions that need them.
"""
