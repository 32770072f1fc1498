"""Checks that several HTTP test files share."""

# What a HEAD must answer as its GET does (RFC 9110 §9.3.2), but without the body.
# X-Experience-API-Consistent-Through is left out: it is a clock, read anew per request.
SAME_AS_GET = ("Content-Type", "Content-Length", "ETag", "Last-Modified",
               "X-Experience-API-Version")


def assert_head_like_get(client, path: str, *present: str) -> None:
    """HEAD `path` answers 200 with no body and GET's headers; `present` must be among them."""
    got, head = client.get(path), client.head(path)
    assert (got.status_code, head.status_code, head.data) == (200, 200, b"")
    assert got.headers["Content-Length"] == str(len(got.data))
    assert [name for name in present if name not in got.headers] == []
    assert ({name: head.headers.get(name) for name in SAME_AS_GET}
            == {name: got.headers.get(name) for name in SAME_AS_GET})
