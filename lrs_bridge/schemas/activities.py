"""Activities, their definitions and interaction components (Data §2.4.4.1)."""

from marshmallow import ValidationError

from lrs_bridge.schemas.fields import (
    IRI,
    IRL,
    Arr,
    Choice,
    Extensions,
    Format,
    LanguageMap,
    Obj,
    Str,
    XAPISchema,
    XField,
    rule,
    shown,
)
from lrs_bridge.xapi.formats import is_iri, is_irl

INTERACTION_TYPES = (
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",
)

# Which interactionTypes each interaction component list belongs to (Data §2.4.4.1.s15).
COMPONENT_LISTS = {
    "choices": ("choice", "sequencing"),
    "scale": ("likert",),
    "source": ("matching",),
    "target": ("matching",),
    "steps": ("performance",),
}


class InteractionComponentSchema(XAPISchema):
    """One choice, scale point, source, target or step."""

    id = Str(required=True)
    description = LanguageMap()


COMPONENT = InteractionComponentSchema()


class DefinitionSchema(XAPISchema):
    """An Activity definition, interaction properties included."""

    name = LanguageMap()
    description = LanguageMap()
    type = Format(is_iri, IRI)
    moreInfo = Format(is_irl, IRL)
    interactionType = Choice(
        *INTERACTION_TYPES, message="must be one of " + ", ".join(INTERACTION_TYPES))
    correctResponsesPattern = Arr(Str())
    choices = Arr(Obj(COMPONENT))
    scale = Arr(Obj(COMPONENT))
    source = Arr(Obj(COMPONENT))
    target = Arr(Obj(COMPONENT))
    steps = Arr(Obj(COMPONENT))
    extensions = Extensions()

    @rule
    def _interaction_rules(self, data, **kwargs):
        kind = data.get("interactionType")
        errors = {}
        for key, kinds in COMPONENT_LISTS.items():
            if key not in data:
                continue
            if kind not in kinds:
                errors[key] = [f"only allowed when interactionType is {' or '.join(kinds)}"]
            else:
                errors.update(_repeated_ids(key, data[key]))
        if kind is None and "correctResponsesPattern" in data:
            errors["correctResponsesPattern"] = ["only allowed with an interactionType"]
        if errors:
            raise ValidationError(errors)


def _repeated_ids(key: str, components: list) -> dict:
    first_index = {}
    errors = {}
    for index, component in enumerate(components):
        seen = first_index.setdefault(component["id"], index)
        if seen != index:
            errors[index] = {"id": [f"repeats the id {shown(component['id'])} of {key}[{seen}]"]}
    return {key: errors} if errors else {}


DEFINITION = DefinitionSchema()


class ActivitySchema(XAPISchema):
    """An Activity: an IRI and an optional definition."""

    objectType = Choice("Activity")
    id = Format(is_iri, IRI, required=True)
    definition = Obj(DEFINITION)


ACTIVITY = ActivitySchema()


class ActivitiesField(XField):
    """A context activity type: one Activity, or an array of them (Data §2.4.6.2)."""

    default_error_messages = {"invalid": "must be an Activity or an array of Activities"}

    def is_valid(self, value) -> bool:
        """True for a valid Activity or an array of them."""
        if type(value) is list:
            return all(ACTIVITY.is_valid(item) for item in value)
        return ACTIVITY.is_valid(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is dict:
            errors = ACTIVITY.validate(value)
        elif type(value) is list:
            errors = {}
            for index, item in enumerate(value):
                found = ACTIVITY.validate(item)
                if found:
                    errors[index] = found
        else:
            raise self.make_error("invalid")
        if errors:
            raise ValidationError(errors)
        return value
