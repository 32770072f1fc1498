"""CSV answers, streamed a batch of rows at a time, with text cells made safe to open in a
spreadsheet."""

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection);
# OWASP's advice is to make such a cell text by putting a quote before it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A cell: text that a spreadsheet would run as a formula gets a leading quote; numbers
    (a negative score too) stay numbers; None is empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(header: Iterable[str], batches: Iterable[Iterable[list]]) -> Iterator[str]:
    """The CSV text of a header and rows, one chunk per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe(name) for name in header])
    for rows in batches:
        writer.writerows([safe(cell) for cell in row] for row in rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, chunks: Iterator[str], headers: dict | None = None) -> Response:
    """A streamed text/csv answer offered as a download called `filename`."""
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers.update(headers or {})
    return response
