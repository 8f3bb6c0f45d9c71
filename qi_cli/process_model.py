"""The model of `process.yaml`: a process map (flowchart), no I/O.

A process map lists the steps of a process as it is done now (`current`) and, when the
team has designed it, as it should be done (`future`). Each step says what kind of
step it is (start, end, action, decision, wait), who does it and where it goes next; a
decision goes on by labelled branches. Whether every reference resolves and every step
can be reached is checked in `qi_cli.toolkit.process`, where the positions are known.
"""

from typing import Literal

from pydantic import Field

from qi_cli.model import Id, Strict, Text

StepKind = Literal["start", "action", "decision", "wait", "end"]
STEP_KINDS: tuple[StepKind, ...] = ("start", "action", "decision", "wait", "end")


class Branch(Strict):
    """One way out of a decision: its answer and the step it leads to."""

    label: Text = Field(description='the answer that takes this branch, e.g. "yes"')
    to: Id = Field(description="id of the step the branch leads to")


class Step(Strict):
    label: Text = Field(description="what happens, in a few words")
    kind: StepKind = Field("action", description="start, action, decision, wait or end")
    role: Text | None = Field(None, description="who does it, e.g. ED nurse")
    duration: Text | None = Field(
        None, description="how long it typically takes, e.g. 2 h (for a wait above all)"
    )
    next: Id | None = Field(None, description="id of the step that follows (not for a decision)")
    branches: list[Branch] = Field(
        default_factory=list, description="a decision's answers and where each leads"
    )
    changes: list[Id] = Field(
        default_factory=list, description="ids of the change ideas (drivers.yaml) aimed at it"
    )


class ProcessState(Strict):
    """One version of the process: its steps in the order they are listed."""

    description: Text | None = None
    steps: dict[Id, Step] = Field(default_factory=dict)


class ProcessMap(Strict):
    """`process.yaml`: the process map, as it is now and as it should be."""

    title: Text | None = Field(None, description="the process mapped, from where to where")
    current: ProcessState = Field(description="the process as it is done now")
    future: ProcessState | None = Field(None, description="the process as the team designs it")
