"""The coaching codes of `qi validate`: what each warning means and how to fix it.

Every warning of a check in `qi_cli.validate` carries one of these codes; `qi explain
CODE` prints the entry, and a project can silence a code in its settings.
`qi explain shift` prints the rules a chart applies (`CHART_RULES`). Reading the aim
sentence for the aim's codes lives in `qi_cli.aim_reading`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One coaching code: a short title, why it matters, an example and the fix."""

    title: str
    why: str
    example: str
    fix: str = ""


CODES: dict[str, Code] = {
    "Q101": Code(
        title="the aim has no number",
        why="A SMART aim says by how much things will improve. Without a number nobody can "
        "tell when the aim is reached.",
        example="statement: Reduce median length of stay from 7.2 to 5 days by 31 March 2026\n"
        "baseline: 7.2\ntarget: 5",
        fix="say by how much, e.g. 'from 7.2 to 5 days', and set `target:`",
    ),
    "Q102": Code(
        title="the aim has no date",
        why="A SMART aim is time-bound: 'by when' keeps the team focused and sets the review date.",
        example="target_date: 2026-03-31",
        fix="say by when in the aim ('... by 31 July 2026') or add `target_date: YYYY-MM-DD` "
        "under aim",
    ),
    "Q103": Code(
        title="the aim does not say for whom",
        why="The aim names its population so that measures count the right patients.",
        example="population: adults admitted with one or more rib fractures",
        fix="name the people the aim is for in the aim (patients with ..., residents of ..., "
        "on Ward ...) or add `population:` under aim",
    ),
    "Q104": Code(
        title="no outcome measure is linked to the aim",
        why="The aim is answered by an outcome measure; link it so reports can show "
        "progress against the target.",
        example="aim:\n  outcome_measure: length-of-stay",
        fix="add `outcome_measure: ID` under aim (the id of a measure in measures/)",
    ),
    "Q105": Code(
        title="the project has no aim",
        why="The first question of the Model for Improvement: what are we trying to accomplish?",
        example="aim:\n  statement: Reduce ... from ... to ... by ...",
        fix="add an `aim:` with a SMART statement to project.yaml",
    ),
    "Q201": Code(
        title="no balancing measure",
        why="A balancing measure checks that improving one thing does not make another worse "
        "(e.g. readmissions when length of stay falls).",
        example="kind: balancing   # in measures/readmissions.yaml",
        fix="add a balancing measure: `qi measure add ... --kind balancing`",
    ),
    "Q202": Code(
        title="the measure has no operational definition",
        why="Without a precise definition, two people count differently and the chart "
        "shows their differences, not the process.",
        example="definition:\n  description: ...\n  numerator: ...\n  denominator: ...",
        fix="add a `definition:` with what is counted, numerator and denominator",
    ),
    "Q203": Code(
        title="the measure has no direction of improvement",
        why="Charts and icons can only call a signal an improvement or a concern when they "
        "know which way is better.",
        example="direction: decrease",
        fix="add `direction: increase` or `direction: decrease`",
    ),
    "Q204": Code(
        title="the measure has no target",
        why="A target shows whether the process can meet the aim (the assurance icon).",
        example="target: 90",
        fix="add `target:` with the value the team aims for",
    ),
    "Q205": Code(
        title="a phase (rebase) has no reason",
        why="Recalculating limits hides change unless there is a known reason, such as a "
        "change adopted after testing.",
        example="phases:\n  - date: 2026-03-02\n    reason: physio review adopted on all wards",
        fix="add `reason:` to the phase, e.g. the change adopted at that date",
    ),
    "Q206": Code(
        title="too little data for the chosen rules",
        why="Each rule set needs enough points before its signals mean anything. Run chart "
        "rules (a run chart, or method ihi) need 10 useful points; SPC limits (method "
        "anhoej on an SPC chart) are provisional under 12 points; Making Data Count limits "
        "(method mdc) are provisional under 13. Useful points have a value and are not "
        "excluded. Keep collecting before drawing conclusions.",
        example="20 weekly rows in measures/falls.csv before judging the first change;\n"
        "until then, read the chart as a picture, not as evidence",
        fix="keep collecting: conclusions from so few points are unreliable",
    ),
    "Q207": Code(
        title="the measure has no data yet",
        why="A measure without data cannot show whether a change is an improvement.",
        example="qi data add length-of-stay 6.5 --date 2026-01-05",
        fix="add data with `qi data add ID VALUE`",
    ),
    "Q302": Code(
        title="a period is missing from the data",
        why="A missing week or month is a gap in the chart, never a zero; check whether the "
        "data was not collected or was lost.",
        example="add the missing row, or leave the value empty if it was not collected",
        fix="add the missing period, with an empty value if it was not collected",
    ),
    "Q303": Code(
        title="an excluded point has no reason",
        why="Leaving a point out changes the limits; the reason keeps the chart honest.",
        example="exclude:\n  - date: 2026-02-09\n    reason: IT outage, data incomplete",
        fix="add `reason:` to the exclusion",
    ),
    "Q304": Code(
        title="measure data files will conflict when two git branches add data",
        why="In git, two people who each add a week of data on their own branch change the "
        "same end of the file, and git stops the merge with a conflict. With "
        "`measures/*.csv merge=union` in .gitattributes git keeps the new rows of both; qi "
        "reads rows in any order and names a date entered twice.",
        example="qi project gitattributes && git add .gitattributes && git commit",
        fix="run `qi project gitattributes` and commit .gitattributes",
    ),
    "Q305": Code(
        title="a temporary file left by a qi command that was cut short",
        why="qi writes a file in full to a hidden temporary file, then renames it into place, "
        "so that a crash never leaves half a file. A command killed in between (kill -9, a "
        "power cut) leaves the temporary file; `git add -A` would commit it. It holds a write "
        "that never happened: the file beside it is whole.",
        example="rm measures/.time-to-physio.csv.3f9a1c2b.tmp",
        fix="if no qi command is running, remove it",
    ),
    "Q401": Code(
        title="the cycle has no predictions",
        why="Predictions, written before the test, turn a trial into learning: Study "
        "compares what happened with what you expected.",
        example="questions:\n  - question: Will the physio see the patient within 24 h?\n"
        "    prediction: Yes, for 4 of 5 patients",
        fix="add a `prediction:` to each question of the plan, before the test",
    ),
    "Q402": Code(
        title="the Study does not answer each prediction",
        why="Study compares the data with each prediction, question by question.",
        example="study:\n  answers:\n    - actual: 3 of 5 seen within 24 h\n      held: false",
        fix="add one `answers:` entry per question under study",
    ),
    "Q403": Code(
        title="the cycle has no Act decision",
        why="Every cycle ends with a decision: adopt, adapt or abandon.",
        example="act:\n  decision: adapt\n  next_steps: test on the weekend shift",
        fix="log the decision: `qi cycle log` (adopt, adapt or abandon)",
    ),
    "Q404": Code(
        title="the cycle was planned long ago and never logged",
        why="PDSA cycles are small and quick; a cycle left open for weeks is usually "
        "finished but unrecorded, or stalled.",
        example='qi cycle log 3f9a\nqi cycle cancel 3f9a --reason "ward closed for refurbishment"',
        fix="log what happened with `qi cycle log ID`; if the test will not be carried out, "
        "cancel the cycle with `qi cycle cancel ID --reason TEXT` (it stays as evidence)",
    ),
    "Q405": Code(
        title="a change adopted after a single test",
        why="Ramps of cycles grow in scale (one patient, one shift, one ward) before a "
        "change is adopted, to learn where it fails.",
        example="qi cycle new --next 3f9a   # test again at a larger scale",
        fix="test again at a larger scale before adopting: `qi cycle new --next`",
    ),
    "Q406": Code(
        title="predictions written after the test began",
        why="A prediction written once the results are coming in is hindsight, not a "
        "prediction: Study can no longer tell what the team expected. The cycle file's "
        "`created` date is after its Do start date, and git's history (if any) does not "
        "show the predictions committed before the test.",
        example="created: 2026-03-02\nplan:\n  start: 2026-03-09\ndo:\n  start: 2026-03-09",
        fix="plan the next cycle, with its predictions, before its test; if `created` or "
        "`do.start` is simply wrong, correct the date",
    ),
    "Q407": Code(
        title="the test began before its planned start",
        why="A Do that starts before the Plan's start date usually means the plan was "
        "written, or its dates changed, after the fact; or one of the two dates is wrong.",
        example="plan:\n  start: 2026-03-09\ndo:\n  start: 2026-03-09",
        fix="check `plan.start` and `do.start`; if the plan really came late, say so in "
        "`do.problems`",
    ),
    "Q408": Code(
        title="an adapt decision with nothing learned",
        why="Adapt means changing the idea and testing again in the light of what this test "
        "showed. Without `study.learned` the next cycle cannot say what it changes or why, "
        "and the ramp loses its thread.",
        example="study:\n  learned: Patients liked the lights; one bay found them too bright\n"
        "act:\n  decision: adapt\n  next_steps: try a dimmer setting on two bays",
        fix="write what the test taught the team under `study: learned:` "
        "(`qi cycle log ID --learned TEXT`)",
    ),
    "Q501": Code(
        title="a driver has no change idea",
        why="Each secondary driver should lead to change ideas to test; otherwise the "
        "diagram does not say what to try.",
        example="qi change add 'Physio review within 24 h' --driver physio-capacity",
        fix="add a change idea for it: `qi change add TITLE --driver ID`",
    ),
    "Q502": Code(
        title="the project has no driver diagram",
        why="The driver diagram links the aim to the changes being tested.",
        example="qi driver add 'Timely specialist assessment'",
        fix="add drivers with `qi driver add`",
    ),
    "Q601": Code(
        title="a cause in the fishbone that no driver or change idea addresses",
        why="The cause-and-effect diagram says why the problem happens; the driver diagram "
        "says what the team will change. A cause the team found but nothing acts on is a gap "
        "between the two: either a driver or change idea is missing, or the cause was judged "
        "not worth tackling, which is worth writing down.",
        example="- cause: Referral to physio waits for the ward round\n"
        "  addressed_by: [auto-physio-referral]",
        fix="add `addressed_by: [ID]` naming the driver or change idea that acts on it "
        "(`qi fishbone add ... --addressed-by ID`), add one with `qi change add`, or say why "
        "the team leaves it alone with `out_of_scope: REASON`",
    ),
    "Q701": Code(
        title="a process step no one owns",
        why="A step of the process map without a role is a step nobody is answerable for; "
        "it is where handovers fail and delays grow, and the team cannot ask anyone how "
        "it really works.",
        example="triage:\n  label: Triage and first observations\n  role: ED triage nurse",
        fix="add `role:` to the step: who does it",
    ),
    "Q702": Code(
        title="a wait with no typical duration",
        why="Waits are where a process loses time; the typical duration shows the team "
        "which wait to shorten first, and a later map shows whether it did.",
        example="wait-bed:\n  kind: wait\n  label: Wait for a ward bed\n  duration: 6 h",
        fix="add `duration:` to the wait, e.g. the median from an audit: `duration: 6 h`",
    ),
    "Q801": Code(
        title="a stakeholder must move but has no plan",
        why="The stakeholder analysis is for planning: where the project needs more support "
        "than a person or group gives now, the plan says how the team will win it, and "
        "who will talk to them.",
        example="plan: Share the baseline audit at the ED governance meeting (Sarah, March)",
        fix="add `plan:` to the stakeholder: how the team will move them, and who will",
    ),
    "Q802": Code(
        title="an influential stakeholder is left opposed",
        why="A person or group with high influence who opposes the project can stop it. "
        "The analysis should aim to move them at least to neutral, or say why not.",
        example="influence: high\nsupport: opposition\nneeded: neutral",
        fix="set `needed:` to at least neutral and plan how to get there",
    ),
    "Q901": Code(
        title="text that may identify a patient",
        why="What a project's files say is published (the trust's site, reports, posters) and "
        "kept in git's history for everyone who can clone it, also for a private project. An "
        "NHS number, a hospital number, a date of birth, or a bed with a name identifies a "
        "patient. qi shows only a masked excerpt.",
        example="observations: the patient in bed 4 was seen within the hour",
        fix="remove it or write 'a patient' instead; if it was committed, tell your "
        "information governance lead",
    ),
}


# `qi explain shift`: the rules a chart applies, what each finds, and how a measure
# chooses them (`rules:` in measures/ID.yaml; docs/statistics.md has the formulas)
CHART_RULES: dict[str, Code] = {
    "shift": Code(
        title="shift: a long run of points on one side of the centre line",
        why="Points of a stable process fall on either side of the centre line at random; "
        "a long run on one side says the process has moved. Anhøj's rule (method anhoej) "
        "signals a run longer than round(log2(n)) + 3 useful points, so the length grows "
        'with the data ("by n"); the IHI rules use 6 points, Making Data Count 7.',
        example='rules:\n  shift: 8        # 6, 7, 8 or "by n"',
        fix="leave it to the method, or set `rules: shift:` in the measure's file: a "
        "longer run gives fewer false alarms and finds real shifts later",
    ),
    "trend": Code(
        title="trend: points steadily going up or down",
        why="The IHI rules signal 5 points in a row going up (or down), Making Data Count 7. "
        "Anhøj & Olesen (2014) found that the trend rule adds false alarms without finding "
        "more real changes than the shift and crossings rules, so method anhoej leaves it "
        "off; turning it on there uses the IHI rule (5 points).",
        example="rules:\n  trend: false",
        fix="set `rules: trend: false` (or true) in the measure's file",
    ),
    "two-of-three": Code(
        title="two of three: two of three points beyond two sigma, on one side",
        why="Making Data Count flags two out of three points in a row beyond the 2σ lines "
        "on the same side of the mean: an early warning of a change that has not yet "
        "crossed a process limit. It is a Making Data Count rule only (method mdc), on by "
        "default.",
        example="method: mdc\nrules:\n  two_of_three: false",
        fix="set `rules: two_of_three: false` to leave it out, e.g. on a chart with many points "
        "where its false alarms add up",
    ),
    "crossings": Code(
        title="crossings: the line crosses the centre line too rarely",
        why="A random process crosses its centre line about every other point; too few "
        "crossings (fewer than the 5% binomial limit for n − 1 chances, Chen 2010) say "
        "the data cluster on one side at a time. Anhøj rules only; always on.",
        example="method: anhoej",
        fix="nothing to set: it goes with the shift rule of method anhoej",
    ),
    "outside-limits": Code(
        title="outside the limits: a point beyond the 3-sigma control limits",
        why="A control chart's limits sit three sigma from the centre line; a point beyond "
        "them is very unlikely from the usual variation alone. Control charts only "
        "(not run charts); always on.",
        example="chart: i",
        fix="nothing to set: find out what happened at that point",
    ),
}
