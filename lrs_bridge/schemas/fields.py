"""Strict marshmallow fields for xAPI values, and the schema base with a fast path.

Every field validates and returns the value it received: the LRS stores statements as sent,
so nothing is coerced (a "true" string is not a boolean, Data §2.2.s4.b1) or reordered.

marshmallow's load walks every declared field of every object and costs about 250 µs for a
typical statement, too slow for ingest. So each schema also has `is_valid`, a yes/no walk over
the same field objects and rules that only touches the properties present; marshmallow's
`validate` runs only when `is_valid` says no, to produce the error messages.
"""

from marshmallow import Schema, ValidationError, fields, missing, validates_schema

from lrs_bridge.xapi.formats import is_iri, is_language_tag

IRI = "must be an IRI with a scheme, e.g. http://example.com/path"
IRL = "must be an absolute IRL, e.g. https://example.com/page"

_SHOWN = 40


def shown(text) -> str:
    """A short repr of a client value for an error message."""
    text = repr(text)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def rule(method):
    """Mark a check across an object's properties, run by marshmallow and by `is_valid`."""
    method.is_rule = True
    return validates_schema(method)


class XAPISchema(Schema):
    """Base of every xAPI object: unknown properties are refused, messages are the LRS's."""

    error_messages = {"unknown": "unknown property", "type": "must be an object"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._by_key = dict(self.load_fields)
        self._required = tuple(key for key, field in self._by_key.items() if field.required)
        cls = type(self)
        self._rules = tuple(getattr(self, name) for name in dir(cls)
                            if getattr(getattr(cls, name, None), "is_rule", False))

    def is_valid(self, data) -> bool:
        """True exactly when `validate(data)` finds no error, only faster."""
        if type(data) is not dict:
            return False
        by_key = self._by_key
        for key, value in data.items():
            field = by_key.get(key)
            if field is None or value is None or not field.is_valid(value):
                return False
        for key in self._required:
            if key not in data:
                return False
        try:
            for check in self._rules:
                check(data)
        except ValidationError:
            return False
        return True


class XField(fields.Field):
    """A field whose value is validated and passed through unchanged."""

    default_error_messages = {"required": "is required", "null": "must not be null"}

    def is_valid(self, value) -> bool:
        """True when the (present, non-null) value passes this field."""
        try:
            self._deserialize(value, None, None)
        except ValidationError:
            return False
        return True


class DispatchField(XField):
    """An object validated by the schema its objectType selects (see schema_for)."""

    def schema_for(self, value: dict):
        """The schema for this value's objectType, or None when that type is not allowed."""
        raise NotImplementedError

    def is_valid(self, value) -> bool:
        """True for a valid object of an allowed objectType."""
        if type(value) is not dict:
            return False
        schema = self.schema_for(value)
        return schema is not None and schema.is_valid(value)

    def validate_with(self, schema, value: dict) -> dict:
        """Run `schema` on the value; raise its errors, nested under this field."""
        errors = schema.validate(value)
        if errors:
            raise ValidationError(errors)
        return value


class Str(XField):
    """A JSON string."""

    default_error_messages = {"invalid": "must be a string"}

    def is_valid(self, value) -> bool:
        """True for a string."""
        return type(value) is str

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not str:
            raise self.make_error("invalid")
        return value


class Bool(XField):
    """A JSON boolean."""

    default_error_messages = {"invalid": "must be true or false"}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not bool:
            raise self.make_error("invalid")
        return value


class Number(XField):
    """A JSON number, optionally within inclusive bounds."""

    default_error_messages = {"invalid": "must be a number",
                              "range": "must be between {low} and {high}"}

    def __init__(self, low=None, high=None, **kwargs):
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not int and type(value) is not float:
            raise self.make_error("invalid")
        if self.low is not None and not self.low <= value <= self.high:
            raise self.make_error("range", low=self.low, high=self.high)
        return value


class Count(XField):
    """A JSON integer of zero or more."""

    default_error_messages = {"invalid": "must be an integer of 0 or more"}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not int or value < 0:
            raise self.make_error("invalid")
        return value


class Format(XField):
    """A string in a format that `check` recognises; `message` says which."""

    default_error_messages = {"invalid": "must be a string"}

    def __init__(self, check, message: str, **kwargs):
        super().__init__(**kwargs)
        self.check, self.message = check, message

    def is_valid(self, value) -> bool:
        """True for a string in the format."""
        return type(value) is str and self.check(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not str:
            raise self.make_error("invalid")
        if not self.check(value):
            raise ValidationError(self.message)
        return value


class Choice(XField):
    """One of a fixed set of strings, case-sensitive (Data §2.2.s4.b1.b6)."""

    def __init__(self, *choices: str, message: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.choices = frozenset(choices)
        self.message = message or "must be " + " or ".join(choices)

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not str or value not in self.choices:
            raise ValidationError(self.message)
        return value


class Forbidden(XField):
    """A property that must be absent (even when null)."""

    def __init__(self, message: str, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def is_valid(self, value) -> bool:
        """Never: the property must be absent."""
        return False

    def deserialize(self, value, attr=None, data=None, **kwargs):
        """Refuse any value, null included."""
        if value is missing:
            return missing
        raise ValidationError(self.message)


class Obj(XField):
    """A JSON object validated by a schema instance built once."""

    def __init__(self, schema: XAPISchema, **kwargs):
        super().__init__(**kwargs)
        self.schema = schema

    def is_valid(self, value) -> bool:
        """True when the schema finds no error."""
        return self.schema.is_valid(value)

    def _deserialize(self, value, attr, data, **kwargs):
        errors = self.schema.validate(value)
        if errors:
            raise ValidationError(errors)
        return value


class Arr(XField):
    """A JSON array whose items are validated by `inner`; errors are keyed by index."""

    default_error_messages = {"invalid": "must be an array",
                              "empty": "must be an array of at least one item"}

    def __init__(self, inner: XField, *, non_empty: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
        self.non_empty = non_empty

    def is_valid(self, value) -> bool:
        """True for an array of valid, non-null items (at least one when non_empty)."""
        if type(value) is not list or (self.non_empty and not value):
            return False
        inner = self.inner
        for item in value:
            if item is None or not inner.is_valid(item):
                return False
        return True

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not list:
            raise self.make_error("invalid")
        if self.non_empty and not value:
            raise self.make_error("empty")
        errors = {}
        for index, item in enumerate(value):
            try:
                self.inner.deserialize(item)
            except ValidationError as err:
                errors[index] = err.messages
        if errors:
            raise ValidationError(errors)
        return value


class LanguageMap(XField):
    """RFC 5646 language tags mapped to strings (Data §4.2)."""

    default_error_messages = {"invalid": "must be a language map (an object)"}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not dict:
            raise self.make_error("invalid")
        errors = {}
        for tag, text in value.items():
            if not is_language_tag(tag):
                errors.setdefault("_schema", []).append(
                    f"key {shown(tag)} is not an RFC 5646 language tag")
            elif type(text) is not str:
                errors[tag] = ["must not be null" if text is None else "must be a string"]
        if errors:
            raise ValidationError(errors)
        return value


class Extensions(XField):
    """IRI keys mapped to any JSON value, null included (Data §4.1)."""

    default_error_messages = {"invalid": "must be an object with IRI keys"}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not dict:
            raise self.make_error("invalid")
        bad = [key for key in value if not is_iri(key)]
        if bad:
            raise ValidationError(f"key {shown(bad[0])} is not an IRI")
        return value
