"""What a request of the progress feed (JSON or CSV) asks for, read from its parameters, and
the filters that follow from it once a transaction is open."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from lrs_bridge.bootstrap import Services
from lrs_bridge.journey.learners import STATUSES
from lrs_bridge.journey.phases import phase_members
from lrs_bridge.store import progress_feed
from lrs_bridge.store.learner_list import LearnerFilter, matching
from lrs_bridge.store.progress_feed import PROGRESS_TYPES, FeedFilter
from lrs_bridge.store.tables import learners
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.working_mapping import working


@dataclass(frozen=True)
class FeedRequest:
    """The filters and the cursor of a feed request."""

    tenant_id: int
    today: date
    learners: LearnerFilter | None
    feed: FeedFilter
    after: tuple[int, int] | None

    def filter(self, conn: Connection) -> FeedFilter:
        """The feed filter, with the learners it asks for as a query in `conn`."""
        if self.learners is None:
            return self.feed
        chosen = matching(conn, self.tenant_id, self.learners, self.today)
        ids = tuple(conn.execute(chosen.order_by(learners.c.id)).scalars())
        return FeedFilter(**{**self.feed.__dict__, "learners": ids
                             if len(ids) <= progress_feed.FEW else chosen})


def feed_request(params: Params, services: Services, tenant_id: int) -> FeedRequest:
    """Read the feed's parameters; a bad one is a 400 naming it."""
    today = services.clock.now().date()
    phase_id, path = params.text("phase"), params.text("path")
    phase = None
    if phase_id is not None or path is not None:
        mapping = working(services).mapping
        phase_id = params.choice("phase", tuple(p.id for p in mapping.phases))
        path = params.choice("path", tuple(p.id for p in mapping.paths))
        phase = phase_members(mapping, phase_id) if phase_id is not None else None
    feed = FeedFilter(type=params.choice("type", PROGRESS_TYPES), path=path, phase=phase,
                      since=params.moment("since"))
    return FeedRequest(tenant_id, today, learner_filter(params), feed,
                       params.numbers("after", 2))


def learner_filter(params: Params, *, with_status: bool = False) -> LearnerFilter | None:
    """The learners `role`, `team`, `manager` and `learner` (and `status`) ask for; None when
    none of them is given."""
    learner = params.learner()
    where = LearnerFilter(
        id=learner if isinstance(learner, int) else None,
        email=learner if isinstance(learner, str) else None,
        role=params.text("role"), team=params.text("team"), manager=params.text("manager"),
        status=params.choice("status", STATUSES) if with_status else None)
    return None if where == LearnerFilter() else where

