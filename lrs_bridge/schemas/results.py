"""Results and scores (Data §2.4.5)."""

from marshmallow import ValidationError

from lrs_bridge.schemas.fields import Bool, Extensions, Format, Number, Obj, Str, XAPISchema, rule
from lrs_bridge.xapi.formats import is_duration


class ScoreSchema(XAPISchema):
    """A score: scaled in [-1, 1], raw within [min, max]."""

    scaled = Number(low=-1, high=1)
    raw = Number()
    min = Number()
    max = Number()

    @rule
    def _ordered(self, data, **kwargs):
        low, high, raw = data.get("min"), data.get("max"), data.get("raw")
        # The spec says min is "less than" max; min == max is accepted because content such
        # as H5P reports unscored activities as min 0, max 0.
        if low is not None and high is not None and low > high:
            raise ValidationError({"min": ["must not be greater than max"]})
        if raw is not None and low is not None and raw < low:
            raise ValidationError({"raw": ["must not be less than min"]})
        if raw is not None and high is not None and raw > high:
            raise ValidationError({"raw": ["must not be greater than max"]})


SCORE = ScoreSchema()


class ResultSchema(XAPISchema):
    """A measured outcome of the statement."""

    score = Obj(SCORE)
    success = Bool()
    completion = Bool()
    response = Str()
    duration = Format(is_duration, "must be an ISO 8601 duration, e.g. PT1H30M or PT45.5S")
    extensions = Extensions()


RESULT = ResultSchema()
