"""A Standard Webhooks receiver on pytest-httpserver: it checks every signature with
`verify`, counts deliveries by webhook-id (its idempotency key), and answers 204 unless a test
queues another answer."""

import json
from collections import Counter

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lrs_bridge_connectors.webhook import verify

PATH = "/hooks/lrs-bridge"


class Receiver:
    """The receiver at `url`; `received` holds the bodies it accepted, `seen` counts ids."""

    def __init__(self, server: HTTPServer, secret: str | bytes, path: str = PATH):
        self.server, self.secret = server, secret
        self.url = server.url_for(path)
        self.seen: Counter = Counter()
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.raw: list[bytes] = []
        self.rejected = 0
        self._answers: list[Response] = []
        server.expect_request(path, method="POST").respond_with_handler(self._handle)

    def answer(self, status: int, body: str = "", headers: dict | None = None) -> None:
        """Answer the next delivery with this instead of 204."""
        self._answers.append(Response(body, status=status, headers=headers or {}))

    def _handle(self, request: Request) -> Response:
        body = request.get_data()
        if not verify(self.secret, request.headers, body):
            self.rejected += 1
            return Response("invalid signature", status=401)
        if request.mimetype != "application/json":
            return Response("expected application/json", status=415)
        self.seen[request.headers["webhook-id"]] += 1
        self.received.append(json.loads(body))
        self.headers.append(dict(request.headers))
        self.raw.append(body)
        return self._answers.pop(0) if self._answers else Response(status=204)
