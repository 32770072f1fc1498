"""Field shorthands the API schemas share."""

from marshmallow import Schema, fields


def text(description: str, **kwargs) -> fields.String:
    """A string always present, null when `nullable`."""
    return _field(fields.String, description, **kwargs)


def whole(description: str, **kwargs) -> fields.Integer:
    return _field(fields.Integer, description, **kwargs)


def real(description: str, **kwargs) -> fields.Float:
    return _field(fields.Float, description, **kwargs)


def moment(description: str, **kwargs) -> fields.DateTime:
    """An ISO 8601 date and time with its offset (UTC)."""
    return _field(fields.DateTime, description, **kwargs)


def day(description: str, **kwargs) -> fields.Date:
    return _field(fields.Date, description, **kwargs)


def flag(description: str, **kwargs) -> fields.Boolean:
    return _field(fields.Boolean, description, **kwargs)


def texts(description: str) -> fields.List:
    return fields.List(fields.String(), required=True, metadata={"description": description})


def nested(schema, description: str, *, many: bool = False, **kwargs) -> fields.Field:
    if many:
        return fields.List(fields.Nested(schema), required=True,
                           metadata={"description": description})
    return _field(fields.Nested, description, schema, **kwargs)


def _field(kind, description: str, *args, nullable: bool = False, required: bool = True,
           **kwargs) -> fields.Field:
    return kind(*args, required=required, allow_none=nullable,
                metadata={"description": description}, **kwargs)


class ErrorSchema(Schema):
    """A refusal: 4xx or 5xx with what was wrong."""

    error = text("what was wrong, naming the parameter")
    status = whole("the HTTP status")
