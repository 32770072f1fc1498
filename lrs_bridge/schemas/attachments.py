"""Attachment metadata in statements (Data §2.4.11)."""

from lrs_bridge.schemas.fields import IRI, IRL, Count, Format, LanguageMap, XAPISchema
from lrs_bridge.xapi.formats import is_iri, is_irl, is_media_type, is_sha2_hex


class AttachmentSchema(XAPISchema):
    """One attachment: what it is for, its title, type, size and SHA-2 hash."""

    usageType = Format(is_iri, IRI, required=True)
    display = LanguageMap(required=True)
    description = LanguageMap()
    contentType = Format(
        is_media_type, "must be an Internet media type, e.g. application/pdf", required=True)
    length = Count(required=True)
    sha2 = Format(is_sha2_hex, "must be a SHA-2 hash in hexadecimal", required=True)
    fileUrl = Format(is_irl, IRL)


ATTACHMENT = AttachmentSchema()
