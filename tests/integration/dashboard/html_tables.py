"""The text of a page's tables, cell by cell, as a person reads them (for the page tests)."""

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._hidden = 0  # inside aria-hidden (bars) or a visually-hidden span

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append((attrs.get("class") or "", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        if self._hidden or attrs.get("aria-hidden") == "true":
            self._hidden += tag not in ("br", "input")

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= 1
            return
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def table(page: str, css_class: str) -> list[list[str]]:
    """The rows (header row first) of the page's table of class `css_class`."""
    parser = _Tables()
    parser.feed(page)
    found = [rows for classes, rows in parser.tables if css_class in classes.split()]
    assert found, f"no table of class {css_class}"
    return found[0]


def rows_by_name(page: str, css_class: str) -> dict[str, list[str]]:
    """The table's body rows by their first cell, the other cells as shown."""
    return {row[0]: row[1:] for row in table(page, css_class)[1:]}
