"""PDSA cycles: planning one, logging what happened, and finding and showing them.

Names follow the IHI PDSA worksheet: a cycle tests one change idea; its Plan holds the
questions, each with a prediction; Do records what happened; Study compares it with
each prediction; Act decides adopt, adapt or abandon. A ramp is a series of cycles of
one change idea, each `follows` the one before.

- `answers`: what a person types (yes / no, decisions, purposes, date order)
- `planning`: `qi cycle new`: the plan, its checks, the new file and its name
- `log`: `qi cycle log`: the Do / Study / Act patch and clashes with another writer
- `finding`: choosing a cycle from a reference, listing, ramps and next steps
- `worksheets`: the editor worksheets and the worksheet text of `qi cycle show`

Errors name fields (`do.start`, `study.actual`); the commands name their flags.
"""
