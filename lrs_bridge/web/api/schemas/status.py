"""The JSON of GET /api/v1/status."""

from marshmallow import Schema

from lrs_bridge.web.api.schemas.common import flag, moment, nested, real, text, whole


class StatementsSchema(Schema):
    stored = whole("statements stored, voiding statements left out")
    voided = whole("of those, how many are voided")
    processed = whole("stored minus those the worker has not folded yet")


class LagSchema(Schema):
    statements = whole("marks of statements waiting for the worker")
    learners = whole("learners waiting to be rebuilt")
    seconds = real("how long the oldest mark has waited")


class OutboxSchema(Schema):
    size = whole("events written")


class DeliveryCountsSchema(Schema):
    pending = whole("deliveries not made yet")
    due = whole("of the pending, those a worker may send now")
    done = whole("deliveries made")
    dead = whole("deliveries given up")
    dead_last_24h = whole("died in the last 24 hours")
    oldest_pending_seconds = real("age of the oldest pending one's event", nullable=True)
    healthy = flag("no death in 24 hours, nothing pending over an hour")


class ConnectorFiguresSchema(DeliveryCountsSchema):
    name = text("the connector")
    kind = text("its kind")
    tenant = text("its tenant")
    last_error = text("the newest dead delivery's error, in the LMS's words", nullable=True)


class DeliverySchema(Schema):
    connectors = nested(ConnectorFiguresSchema, "each connector of the tenant", many=True)
    totals = nested(DeliveryCountsSchema, "the connectors added up")


class MappingStateSchema(Schema):
    version = text("the mapping in use", nullable=True)
    learners_behind = whole("learners folded with another mapping version", nullable=True)


class UnknownActorsSchema(Schema):
    people = whole("people with statements the roster does not name")
    statements = whole("their statements")


class StatusSchema(Schema):
    at = moment("the server's time")
    statements = nested(StatementsSchema, "the tenant's statements")
    lag = nested(LagSchema, "what waits for the progress worker")
    outbox = nested(OutboxSchema, "the outbox")
    delivery = nested(DeliverySchema, "deliveries to the connectors")
    learners = whole("learners in the directory")
    mapping = nested(MappingStateSchema, "the mapping")
    unknown_actors = nested(UnknownActorsSchema, "actors the roster does not name")
