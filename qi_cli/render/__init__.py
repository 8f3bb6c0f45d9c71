"""Output: everything qi shows is built here as text, and returned, never printed.

Renderers take values from the library (a `series.MeasureAnalysis`, a report dict)
and return strings; the commands in `qi_cli.cli` decide where they go and whether
colour is on (`cli._common.use_colour`), and pass that in as a plain bool.

* `chart`: terminal run and control charts (plotext), with phases and PDSA cycles;
  `chart_page(analysis, width=, height=, colour=)` is what `qi chart` prints.
* `text`: the words under a chart: legend, centre lines, signals, icons, latest value.
* `marks`: what every chart format shares: the marks, the points a signal marks, and
  how values are written.
* `markdown`, `html`, `terminal`: reports and portfolios; `svg`: charts for the web;
  `table`: the portfolio's plain-text table. Their words come from `reports.words`.
* `pareto`, `fishbone`, `fishbone_svg`: the Pareto chart and the cause-and-effect
  diagram (terminal, Markdown, SVG), each from its view data; `escape`: user text made
  safe for each format.

Each module imports what it uses at the top; a command imports only the renderers it
needs, so plotext loads only for a terminal chart and rich only for terminal output.
"""
