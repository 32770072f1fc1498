"""marshmallow schemas of /api/v1: the query parameters each route takes (web.api.params reads
the names from them) and the JSON each route answers; the OpenAPI document is built from
them (web.api.openapi)."""
