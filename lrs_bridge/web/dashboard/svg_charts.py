"""Charts as inline SVG drawn on the server: bars (a histogram too, with a marker such as a
median) and lines over months. Pure: plain values and texts already in the reader's language
in, escaped markup out, no request and no script; colours and fonts come from the page's
style sheet (classes `chart`, `series-N`). Each chart is an image to screen readers
(role="img" with its <title> and <desc>), the table beside it holds the numbers."""

import math
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 72  # room for the marker, ticks and axis labels
LEGEND_ROW, CHAR = 20, 7.0  # px per legend row; per character of 12px text (about)


@dataclass(frozen=True)
class Frame:
    """What every chart has: an id unique on the page, a title, a description for screen
    readers, and what each axis shows."""

    ident: str
    title: str
    desc: str
    x_label: str
    y_label: str


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar
    value: float
    text: str = ""  # over the bar, e.g. "67 % (2 of 3)"


@dataclass(frozen=True)
class Marker:
    """A vertical line at `position` slots from the left edge of the first bar's slot."""

    position: float
    label: str


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


def ticks(most: float, count: int = 5) -> list[float]:
    """Round steps (1, 2 or 5 times a power of ten) from 0 to at least `most`, at most
    `count` steps; 0 and 1 when there is nothing to show."""
    if most <= 0:
        return [0, 1]
    raw = most / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and float(most).is_integer():
        step = 1  # counts: no half learners on the axis
    steps = math.ceil(most / step - 1e-9)
    return [round(n * step, 10) for n in range(steps + 1)]


def bar_chart(frame: Frame, bars: list[Bar], *, scale: list[float] | None = None,
              tick_text: Callable[[float], str] = lambda v: f"{v:g}", gap: float = 0.3,
              marker: Marker | None = None) -> Markup:
    """Bars from a zero baseline on the scale `scale` (default: ticks of the highest bar);
    `gap`: the share of each slot left empty (0: a histogram)."""
    scale = scale or ticks(max((b.value for b in bars), default=0))
    plot = _Plot(len(bars), scale[-1], HEIGHT)
    parts = _axes(frame, plot, scale, tick_text, [b.label for b in bars])
    width = plot.slot * (1 - gap)
    for n, bar in enumerate(bars):
        x, y = plot.x(n) - width / 2, plot.y(bar.value)
        parts.append(f'<rect class="column" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                     f'height="{plot.bottom - y:.1f}"><title>{escape(bar.label)}: '
                     f'{escape(bar.text or tick_text(bar.value))}</title></rect>')
        if bar.text:
            parts.append(f'<text class="value" x="{plot.x(n):.1f}" y="{y - 4:.1f}" '
                         f'text-anchor="middle">{escape(bar.text)}</text>')
    if marker is not None:
        x = plot.left + marker.position * plot.slot
        parts.append(f'<line class="marker" x1="{x:.1f}" y1="{plot.top - 20}" x2="{x:.1f}" '
                     f'y2="{plot.bottom}"/><text class="marker" x="{x + 4:.1f}" '
                     f'y="{plot.top - 26}">{escape(marker.label)}</text>')
    return _svg(frame, HEIGHT, parts)


def line_chart(frame: Frame, x_labels: list[str], series: list[Series], *,
               tick_text: Callable[[float], str] = lambda v: f"{v:g}") -> Markup:
    """A line per series over `x_labels`, each with its points and a legend under the axes."""
    rows = _legend_rows([s.name for s in series])
    height = HEIGHT + LEGEND_ROW * len(rows)
    scale = ticks(max((v for s in series for v in s.values), default=0))
    plot = _Plot(len(x_labels), scale[-1], HEIGHT)  # the legend goes under it
    parts = _axes(frame, plot, scale, tick_text, x_labels)
    for n, one in enumerate(series):
        points = [(plot.x(i), plot.y(v)) for i, v in enumerate(one.values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<g class="series series-{n % 6}"><polyline points="{path}"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(one.name)}, '
                  f'{escape(x_labels[i])}: {escape(tick_text(one.values[i]))}</title></circle>'
                  for i, (x, y) in enumerate(points)]
        parts.append("</g>")
    for row, names in enumerate(rows):
        y, x = HEIGHT + row * LEGEND_ROW + 4, LEFT
        for n, name in names:
            parts.append(f'<g class="legend series series-{n % 6}"><line x1="{x}" y1="{y}" '
                         f'x2="{x + 18}" y2="{y}"/><text x="{x + 24}" y="{y + 4}">'
                         f'{escape(name)}</text></g>')
            x += _legend_width(name)
    return _svg(frame, height, parts)


class _Plot:
    """Where values and slots fall: x of a slot's middle, y of a value (0 at the bottom)."""

    def __init__(self, slots: int, top_value: float, height: int):
        self.left, self.right = LEFT, WIDTH - RIGHT
        self.top, self.bottom = TOP, height - BOTTOM
        self.slot = (self.right - self.left) / max(slots, 1)
        self.top_value = top_value or 1

    def x(self, slot: int) -> float:
        return self.left + (slot + 0.5) * self.slot

    def y(self, value: float) -> float:
        share = min(max(value / self.top_value, 0), 1)
        return self.bottom - share * (self.bottom - self.top)


def _axes(frame: Frame, plot: _Plot, scale: list[float], tick_text, x_labels) -> list[str]:
    parts = ['<g class="grid">']
    for value in scale:
        y = plot.y(value)
        parts.append(f'<line x1="{plot.left}" y1="{y:.1f}" x2="{plot.right}" y2="{y:.1f}"/>'
                     f'<text x="{plot.left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(tick_text(value))}</text>')
    parts.append("</g><g class=\"axis\">")
    widest = max((len(line) for label in x_labels for line in label.split("\n")), default=0)
    every = max(1, math.ceil((widest * CHAR + 6) / plot.slot))  # labels that do not collide
    parts += [_x_label(plot.x(n), plot.bottom + 16, label)
              for n, label in enumerate(x_labels) if n % every == 0]
    middle = (plot.top + plot.bottom) / 2
    parts.append(
        f'<line x1="{plot.left}" y1="{plot.bottom}" x2="{plot.right}" y2="{plot.bottom}"/>'
        f'<text class="label" x="{(plot.left + plot.right) / 2:.1f}" y="{plot.bottom + 52}" '
        f'text-anchor="middle">{escape(frame.x_label)}</text>'
        f'<text class="label" x="14" y="{middle:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle:.1f})">{escape(frame.y_label)}</text></g>')
    return parts


def _x_label(x: float, y: float, label: str) -> str:
    """A label under the x axis; a line break in it starts a second line (e.g. the year)."""
    lines = label.split("\n")
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if n == 0 else 14}">{escape(line)}</tspan>'
                    for n, line in enumerate(lines))
    return f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{spans}</text>'


def _legend_width(name: str) -> float:
    return 24 + len(name) * CHAR + 18


def _legend_rows(names: list[str]) -> list[list[tuple[int, str]]]:
    """The legend's entries (index, name), wrapped into rows as wide as the chart."""
    rows, width = [[]], 0.0
    for n, name in enumerate(names):
        if rows[-1] and LEFT + width + _legend_width(name) > WIDTH:
            rows.append([])
            width = 0.0
        rows[-1].append((n, name))
        width += _legend_width(name)
    return rows if names else []


def _svg(frame: Frame, height: int, parts: list[str]) -> Markup:
    ident = escape(frame.ident)
    # Safe: every text in `parts` went through escape() where it was put in; the rest is
    # numbers and markup of this module (tests/unit/test_svg_charts.py tries a <script>).
    return Markup(  # noqa: S704
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(frame.title)}</title>'
        f'<desc id="{ident}-desc">{escape(frame.desc)}</desc>{"".join(parts)}</svg>')
