"""Path completion: per path, the learners following it whose anchor date has come, how many
of them completed it by the end of the period (and within it), and how many are past its
last due date without having completed it."""

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
