"""A connector that records what it is given and answers what a test tells it to, and a
delivery worker on a set clock: the delivery tests use them in place of an LMS."""

from datetime import datetime

from lrs_bridge.clock import Clock
from lrs_bridge.delivery.delivery_worker import DeliveryWorker
from lrs_bridge_connectors.base import Check, Connector, LmsUser, Result


class Recorder(Connector):
    """Records what it is given; answers what the test tells it to."""

    kind = "recorder"
    options = {}
    delivered: list = []
    resolved: list = []
    # event id, or (connector name, event id) -> the Results to give it, in order; then ok
    answers: dict = {}
    unknown: set = set()  # e-mail addresses the LMS has no user for
    userless: set = set()  # event types it sends nothing for (needs_user: False)
    hold: dict = {}  # e-mail address -> a threading.Event its deliveries wait for

    @classmethod
    def reset(cls) -> None:
        cls.delivered, cls.resolved, cls.answers = [], [], {}
        cls.unknown, cls.userless, cls.hold = set(), set(), {}

    def resolve_user(self, learner):
        Recorder.resolved.append(learner["email"])
        if learner["email"] in Recorder.unknown:
            return None
        return LmsUser(id=f"u-{learner['email']}", email=learner["email"])

    def needs_user(self, event):
        return event["type"] not in Recorder.userless

    def deliver(self, event, user):
        email = event["learner"]["email"]
        if email in Recorder.hold:
            Recorder.hold[email].wait(30)
        waiting = Recorder.answers.get((self.config.name, event["id"])) \
            or Recorder.answers.get(event["id"]) or []
        result = waiting.pop(0) if waiting else Result.ok()
        Recorder.delivered.append((email, event["type"], event["id"], result.status))
        return result

    def health(self):
        return [Check("recorder", True, "always")]


def deliverer(services, now: datetime, **options) -> DeliveryWorker:
    return DeliveryWorker(services.engine, services.mappings, Clock(now), "", **options)


def deliver_all(services, now: datetime, **options) -> None:
    """Run a delivery worker at `now` until nothing is due."""
    run = deliverer(services, now, **options)
    while run.run_once():
        pass
