"""A skill's level over time as pieces of constant level, so that the level at any moment is
the one piece covering it.

At a moment, evidence counts from its timestamp until it expires (timestamp plus the skill's
`valid_for`); the level is the highest level of the evidence that counts. Before the first
evidence the learner holds the skill at no level ("none"); once all evidence has expired,
"expired". Pieces cover the learner's employment, from midnight of the start date to the
end of the leave date.
"""

from dataclasses import dataclass
from datetime import datetime

from lrs_bridge.journey.progress_state import SkillProgress

NONE, HELD, EXPIRED = "none", "held", "expired"


@dataclass(frozen=True)
class Piece:
    """From `since` (included) to `until` (excluded; None: on) the skill is at `level`
    (0 unless `state` is held); `drops`: the level falls at `until` (evidence expires)."""

    since: datetime
    until: datetime | None
    level: int
    state: str  # NONE, HELD or EXPIRED
    drops: bool = False


def pieces(progress: SkillProgress | None, valid_for, start: datetime,
           end: datetime | None) -> list[Piece]:
    """The pieces of one skill between `start` and `end` (None: on), oldest first."""
    spans = [(moment, moment + valid_for if valid_for is not None else None, level)
             for level, moment in (progress.evidence.values() if progress else ())]
    edges = sorted({start, *(m for m, _, _ in spans), *(x for _, x, _ in spans if x)})
    found: list[Piece] = []
    for number, since in enumerate(edges):
        until = edges[number + 1] if number + 1 < len(edges) else None
        live = [level for begun, expires, level in spans
                if begun <= since and (expires is None or expires > since)]
        state = HELD if live else EXPIRED if any(b <= since for b, _, _ in spans) else NONE
        piece = Piece(since, until, max(live, default=0), state)
        if found and (found[-1].level, found[-1].state) == (piece.level, piece.state):
            found[-1] = Piece(found[-1].since, until, piece.level, piece.state)
        else:
            found.append(piece)
    return _clipped(_marked(found), start, end)


def _marked(found: list[Piece]) -> list[Piece]:
    """Each held piece marked with whether the next one is lower (its evidence expired)."""
    return [Piece(p.since, p.until, p.level, p.state,
                  p.state == HELD and n + 1 < len(found)
                  and (found[n + 1].state == EXPIRED or found[n + 1].level < p.level))
            for n, p in enumerate(found)]


def _clipped(found: list[Piece], start: datetime, end: datetime | None) -> list[Piece]:
    kept = []
    for piece in found:
        since = max(piece.since, start)
        until = piece.until if end is None or (piece.until is not None and piece.until < end) \
            else end
        if until is None or since < until:
            drops = piece.drops and (end is None or piece.until is None or piece.until < end)
            kept.append(Piece(since, until, piece.level, piece.state, drops))
    return kept


def piece_at(found: list[Piece], moment: datetime) -> Piece | None:
    """The piece covering `moment`, or None outside the employment."""
    return next((p for p in found if p.since <= moment and (p.until is None
                                                             or moment < p.until)), None)
