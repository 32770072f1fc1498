"""Path completion: per path, the learners following it whose anchor date has come, how many
of them completed it by the end of the period (and within it), and how many are past its
last due date without having completed it. Per phase: the learners following any of its
paths, and of them those who completed every one they follow."""

from dataclasses import dataclass

from lrs_bridge.journey.metrics.period import ratio


@dataclass(frozen=True)
class PathCounts:
    """What the store counts of one path."""

    path: str
    following: int = 0
    completed: int = 0
    completed_in_period: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class PathCompletion:
    path: str
    phase: str
    counts: PathCounts

    def as_json(self) -> dict:
        c = self.counts
        return {"path": self.path, "phase": self.phase, "following": c.following,
                "completed": c.completed, "rate": ratio(c.completed, c.following),
                "completed_in_period": c.completed_in_period, "overdue": c.overdue}


def path_completion(paths: list[tuple[str, str]],
                    counts: list[PathCounts]) -> list[PathCompletion]:
    """Each (path, phase) of `paths`, in that order, with its counts (none: zeros)."""
    by_path = {c.path: c for c in counts}
    return [PathCompletion(path, phase, by_path.get(path, PathCounts(path)))
            for path, phase in paths]


@dataclass(frozen=True)
class PhaseCompletion:
    """Learners following a path of `phase` (anchor date come), and of them those who had
    completed every path of the phase they follow by the end of the period."""

    phase: str
    following: int = 0
    completed: int = 0

    def as_json(self) -> dict:
        return {"phase": self.phase, "following": self.following,
                "completed": self.completed, "rate": ratio(self.completed, self.following)}


def phase_completion(phases: list[str],
                     counts: list[PhaseCompletion]) -> list[PhaseCompletion]:
    """Each of `phases`, in that order, with its counts (none: zeros)."""
    by_phase = {c.phase: c for c in counts}
    return [by_phase.get(phase, PhaseCompletion(phase)) for phase in phases]
