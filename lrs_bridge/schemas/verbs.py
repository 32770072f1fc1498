"""Verbs (Data §2.4.3)."""

from lrs_bridge.schemas.fields import IRI, Format, LanguageMap, XAPISchema
from lrs_bridge.xapi.formats import is_iri

# The one verb the specification reserves: its statements void another (Data §2.3.2).
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


class VerbSchema(XAPISchema):
    """A verb: an IRI and, recommended, its display names."""

    id = Format(is_iri, IRI, required=True)
    display = LanguageMap()


VERB = VerbSchema()
