"""GET /api/v1/progress.csv: the progress feed's entries as CSV, streamed: every entry that the
filters match from the cursor `after` (or the start) to where the export began. Its Link
header names where a later export continues."""

from collections.abc import Iterator

from flask import current_app, g

from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.learners import load_learners
from lrs_bridge.store.progress_feed import Horizon, feed_page, horizon
from lrs_bridge.web.api.csv_export import csv_chunks, csv_response
from lrs_bridge.web.api.feed_entries import CSV_HEADER, csv_row, feed_entry, feed_learner
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.progress_request import FeedRequest, feed_request
from lrs_bridge.web.api.schemas.queries import ProgressFilters
from lrs_bridge.web.auth import require

BATCH = 1000


def get_progress_csv():
    """Every entry after `after` (default: the first) up to now, as CSV."""
    require(g.credential, "progress/read")
    params = Params(ProgressFilters)
    services = current_app.extensions["lrs_bridge"]
    asked = feed_request(params, services, g.credential.tenant_id)
    with read_transaction(services.engine) as conn:
        bound = horizon(conn)
    end = max(asked.after or (0, 0), bound.cursor())
    later = params.next_page(f"{end[0]}-{end[1]}")
    return csv_response("progress.csv", csv_chunks(CSV_HEADER, _batches(services, asked, bound)),
                        {"Link": f'<{later}>; rel="next"'})


def _batches(services, asked: FeedRequest, bound: Horizon) -> Iterator[list[list]]:
    """The rows, a batch at a time, each batch read in a short transaction of its own."""
    after = asked.after
    while True:
        with read_transaction(services.engine) as conn:
            rows = feed_page(conn, asked.tenant_id, asked.filter(conn), bound, after, BATCH)
            people = load_learners(conn, {row.learner_id for row in rows})
        yield [csv_row(feed_entry(row, feed_learner(row.learner_id, people.get(row.learner_id),
                                                    asked.today))) for row in rows]
        if len(rows) < BATCH:
            return
        after = rows[-1].position
