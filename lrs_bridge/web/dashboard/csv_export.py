"""The CSV beside each dashboard table: the same rows, UTF-8, one header row."""

import csv
import io
from collections.abc import Iterable

from flask import Response

# A cell a spreadsheet would run as a formula (a name in the roster could be one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> Response:
    """A CSV download of `rows` under `header`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
