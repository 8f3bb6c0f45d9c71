"""Finding cycles: ramps."""

from __future__ import annotations

from pathlib import Path

from qi_cli.cycles.finding import ramp
from qi_cli.files.loader import load_project
from tests.workflow_fixtures import make_project


def test_ramp_links_cycles_by_follows(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    cycles = root / "cycles"
    (cycles / "2025-03-01-physio-review-aaaa.yaml").write_text("change: physio-review\n")
    (cycles / "2025-03-05-physio-review-bbbb.yaml").write_text(
        "change: physio-review\nfollows: 2025-03-01-physio-review-aaaa\nact:\n  decision: adopt\n"
    )
    (cycles / "2025-03-02-early-analgesia-cccc.yaml").write_text("change: early-analgesia\n")
    project = load_project(root)
    assert not project.errors
    chain = ramp(project, "2025-03-05-physio-review-bbbb")
    assert [c.id for c in chain] == [
        "2025-03-01-physio-review-aaaa",
        "2025-03-05-physio-review-bbbb",
    ]
