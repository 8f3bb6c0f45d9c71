"""The model of `pareto/ID.yaml`: what a Pareto chart's data counts, no I/O.

The data is `pareto/ID.csv` (read by `qi_cli.files.pareto_csv`); this optional file
beside it gives the chart its title and says where the data came from.
"""

from pydantic import Field, StrictBool

from qi_cli.model import Strict, Text


class ParetoChart(Strict):
    """`pareto/ID.yaml`: the title and description of the Pareto chart of pareto/ID.csv."""

    title: Text = Field(min_length=1, description="what is counted, e.g. reasons for delay")
    description: Text | None = Field(None, description="how and when the data was collected")
    source: Text | None = Field(None, description="where the data came from, e.g. an audit")
    include_missing: StrictBool = Field(
        False, description="count rows with no category as one more bar (missing)"
    )
