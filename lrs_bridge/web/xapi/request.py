"""The xAPI request as the resources see it, whether sent plainly or in the alternate syntax."""

from dataclasses import dataclass, field

from flask import Request, g
from werkzeug.datastructures import Headers, MultiDict

from lrs_bridge.xapi.documents import media_type
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.versions import XAPIVersion

# Form fields of the alternate syntax that stand for headers (Communication §1.3).
_HEADER_FIELDS = (
    "Authorization", "X-Experience-API-Version", "Content-Type", "Content-Length",
    "If-Match", "If-None-Match",
)
_METHODS = {"GET", "HEAD", "PUT", "POST", "DELETE"}


@dataclass
class XAPIRequest:
    """Method, parameters, headers and body of one xAPI call."""

    method: str
    params: MultiDict
    headers: Headers
    body: bytes
    alternate: bool = False
    accept_languages: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        """The media type of the body, lower case, without parameters."""
        return media_type(self.headers.get("Content-Type"))

    def param(self, name: str) -> str | None:
        """A single-valued parameter; BadRequest when it is given twice."""
        values = self.params.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"{name}: given more than once")
        return values[0] if values else None


def request_version() -> XAPIVersion:
    """The xAPI version the current request follows (negotiated before any resource runs)."""
    return g.xapi_version


def read_request(request: Request) -> XAPIRequest:
    """Build the XAPIRequest of a Flask request, unfolding the alternate request syntax."""
    languages = [lang for lang, quality in request.accept_languages if quality > 0]
    if request.method == "POST" and "method" in request.args:
        return _alternate(request, languages)
    return XAPIRequest(
        method=request.method,
        params=MultiDict(request.args),
        headers=Headers(request.headers),
        body=request.get_data(cache=True),
        accept_languages=languages,
    )


def _alternate(request: Request, languages: list[str]) -> XAPIRequest:
    method = request.args["method"].upper()
    if method not in _METHODS:
        raise BadRequest(f"method: {request.args['method']!r} is not an xAPI method")
    if len(request.args) > 1:
        raise BadRequest("alternate request syntax: only the 'method' query parameter is allowed")
    if request.mimetype != "application/x-www-form-urlencoded":
        raise BadRequest(
            "alternate request syntax: the body must be application/x-www-form-urlencoded")
    form = MultiDict(request.form)
    headers = Headers(request.headers)
    headers.remove("Content-Type")
    for name in _HEADER_FIELDS:
        for key in [k for k in form if k.lower() == name.lower()]:
            try:
                headers[name] = form.pop(key)
            except ValueError:  # a line break in the value
                raise BadRequest(f"{name}: not a valid header value") from None
    body = form.pop("content", "").encode("utf-8")
    return XAPIRequest(method=method, params=form, headers=headers, body=body,
                       alternate=True, accept_languages=languages)
