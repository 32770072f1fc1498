"""Agents, Groups, Accounts and their Inverse Functional Identifiers (Data §2.4.2)."""

from marshmallow import ValidationError

from lrs_bridge.schemas.fields import (
    IRL,
    Arr,
    Choice,
    DispatchField,
    Forbidden,
    Format,
    Obj,
    Str,
    XAPISchema,
    XField,
    rule,
)
from lrs_bridge.xapi.formats import is_iri, is_irl, is_mailto_iri, is_sha1_hex

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


class Mbox(XField):
    """A mailto IRI."""

    default_error_messages = {"invalid": "must be a string"}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not str:
            raise self.make_error("invalid")
        if not value.startswith("mailto:"):
            raise ValidationError("must start with mailto:")
        if not is_mailto_iri(value):
            raise ValidationError("must be mailto: followed by one email address")
        return value


class AccountSchema(XAPISchema):
    """A user account on an existing system (Data §2.4.2.4)."""

    homePage = Format(is_irl, IRL, required=True)
    name = Str(required=True)


ACCOUNT = AccountSchema()


class _Identified(XAPISchema):
    """The name and the four IFI properties Agents and Groups share."""

    name = Str()
    mbox = Mbox()
    mbox_sha1sum = Format(is_sha1_hex, "must be a SHA-1 hash: 40 hexadecimal digits")
    openid = Format(is_iri, "must be an OpenID URI")
    account = Obj(ACCOUNT)


def ifis_of(data: dict) -> list[str]:
    """The IFI properties present in an Agent or Group."""
    return [key for key in IFIS if key in data]


class AgentSchema(_Identified):
    """An Agent: exactly one IFI."""

    objectType = Choice("Agent")
    member = Forbidden("only a Group has members, and a Group needs objectType Group")

    @rule
    def _one_ifi(self, data, **kwargs):
        found = ifis_of(data)
        if not found:
            raise ValidationError("must have one IFI: mbox, mbox_sha1sum, openid or account")
        if len(found) > 1:
            raise ValidationError(f"must have exactly one IFI, not {' and '.join(found)}")


class MemberSchema(AgentSchema):
    """A Group member: an Agent, never a Group."""

    objectType = Choice("Agent", message="must be Agent: a Group's members cannot be Groups")


class GroupSchema(_Identified):
    """An anonymous Group (members, no IFI) or an identified Group (exactly one IFI)."""

    objectType = Choice("Group", required=True)
    member = Arr(Obj(MemberSchema()))

    @rule
    def _identified_or_anonymous(self, data, **kwargs):
        found = ifis_of(data)
        if len(found) > 1:
            raise ValidationError(f"must have at most one IFI, not {' and '.join(found)}")
        if not found and not data.get("member"):
            raise ValidationError({"member": [
                "an anonymous Group (one without an IFI) must list its member Agents"]})


class AuthorityGroupSchema(GroupSchema):
    """The authority as a Group: the OAuth consumer and the user (Data §2.4.9)."""

    @rule
    def _two_members(self, data, **kwargs):
        # 3-legged OAuth is the only case of a Group authority: an anonymous pair.
        if ifis_of(data):
            raise ValidationError("an authority Group must be anonymous (no IFI)")
        if len(data.get("member") or ()) != 2:
            raise ValidationError({"member": [
                "must hold exactly two Agents (the OAuth consumer and the user)"]})


AGENT = AgentSchema()
GROUP = GroupSchema()
AUTHORITY_GROUP = AuthorityGroupSchema()


class ActorField(DispatchField):
    """An Agent or a Group, told apart by objectType (Agent when absent)."""

    default_error_messages = {"invalid": "must be an Agent or Group object"}

    def __init__(self, group=GROUP, **kwargs):
        super().__init__(**kwargs)
        self.group = group

    def schema_for(self, value: dict):
        """The schema for this objectType, or None when it is neither Agent nor Group."""
        kind = value.get("objectType")
        if kind is None or kind == "Agent":
            return AGENT
        return self.group if kind == "Group" else None

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not dict:
            raise self.make_error("invalid")
        schema = self.schema_for(value)
        if schema is None:
            raise ValidationError({"objectType": ["must be Agent or Group"]})
        return self.validate_with(schema, value)
