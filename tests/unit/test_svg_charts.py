"""The dashboard's SVG charts, drawn without a request: bars in proportion to their values on
a round scale, the marker where it belongs, lines through their points, empty data without a
division by zero, and every text escaped."""

import re
import xml.etree.ElementTree as ET

from lrs_bridge.web.dashboard.svg_charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    Bar,
    Frame,
    Marker,
    Series,
    bar_chart,
    line_chart,
    ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
FRAME = Frame("c1", "Learners per week", "A histogram", "Week", "Learners")
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM  # 208
BASELINE = HEIGHT - BOTTOM  # 248


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def rects(root: ET.Element) -> list[dict[str, float]]:
    return [{k: float(v) for k, v in r.attrib.items() if k != "class"}
            for r in root.iter(f"{SVG}rect")]


def test_round_ticks_reach_the_highest_value():
    assert ticks(0) == [0, 1]
    assert ticks(1) == [0, 1]
    assert ticks(3) == [0, 1, 2, 3]
    assert ticks(5) == [0, 1, 2, 3, 4, 5]
    assert ticks(7) == [0, 2, 4, 6, 8]
    assert ticks(13) == [0, 5, 10, 15]
    assert ticks(100) == [0, 20, 40, 60, 80, 100]
    assert ticks(0.66) == [0, 0.2, 0.4, 0.6, 0.8]


def test_bar_heights_are_in_proportion_and_the_slots_even():
    # Values 1, 2 and 4 on the scale 0..4: 52, 104 and 208 px of the 208 px plot; three
    # slots of (640 - 64 - 16) / 3 = 186.67 px, each bar 70 % of its slot.
    root = parse(bar_chart(FRAME, [Bar("a", 1), Bar("b", 2), Bar("c", 4)]))
    bars = rects(root)
    assert [b["height"] for b in bars] == [52.0, 104.0, 208.0]
    assert all(b["y"] + b["height"] == BASELINE for b in bars)
    slot = (WIDTH - LEFT - RIGHT) / 3
    assert [round(b["x"], 1) for b in bars] == [round(LEFT + (n + 0.15) * slot, 1)
                                                for n in range(3)]
    assert {b["width"] for b in bars} == {round(slot * 0.7, 1)}
    ticks_text = [t.text for t in root.find(f"{SVG}g[@class='grid']").iter(f"{SVG}text")]
    assert ticks_text == ["0", "1", "2", "3", "4"]


def test_a_fixed_scale_and_the_texts_over_the_bars():
    root = parse(bar_chart(FRAME, [Bar("yes", 0.5, "50% (1 of 2)"), Bar("no", 1.0, "all")],
                           scale=[0, 0.25, 0.5, 0.75, 1], tick_text=lambda v: f"{v:.0%}"))
    assert [b["height"] for b in rects(root)] == [104.0, 208.0]
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["50% (1 of 2)", "all"]
    assert "100%" in [t.text for t in root.iter(f"{SVG}text")]


def test_the_marker_stands_at_its_position_in_slots():
    # A median of 29 days on weekly bins: 29 / 7 slots from the left edge of the plot.
    weeks = [Bar(str(n), n % 3) for n in range(1, 14)]
    root = parse(bar_chart(FRAME, weeks, gap=0, marker=Marker(29 / 7, "median 29 days")))
    line = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "marker")
    slot = (WIDTH - LEFT - RIGHT) / 13
    assert float(line.get("x1")) == round(LEFT + 29 / 7 * slot, 1) == float(line.get("x2"))
    assert float(line.get("y2")) == BASELINE
    assert any(t.text == "median 29 days" for t in root.iter(f"{SVG}text"))


def test_lines_pass_through_their_points():
    # Values 0, 5 and 10 on the scale 0..10 over three months.
    root = parse(line_chart(FRAME, ["Jan\n2026", "Feb", "Mar"],
                            [Series("Onboarding", (0, 5, 10)), Series("Retention", (2, 2, 2))]))
    first = root.find(f"{SVG}g[@class='series series-0']")
    slot = (WIDTH - LEFT - RIGHT) / 3
    xs = [round(LEFT + (n + 0.5) * slot, 1) for n in range(3)]
    assert first.find(f"{SVG}polyline").get("points") == (
        f"{xs[0]:.1f},{BASELINE:.1f} {xs[1]:.1f},{BASELINE - PLOT_HEIGHT / 2:.1f} "
        f"{xs[2]:.1f},{TOP:.1f}")
    assert [c.find(f"{SVG}title").text for c in first.iter(f"{SVG}circle")] == [
        "Onboarding, Jan\n2026: 0", "Onboarding, Feb: 5", "Onboarding, Mar: 10"]
    legend = [t.text for g in root.iter(f"{SVG}g") if "legend" in g.get("class", "")
              for t in g.iter(f"{SVG}text")]
    assert legend == ["Onboarding", "Retention"]
    # The first month's label has the year on a second line.
    assert [s.text for s in root.iter(f"{SVG}tspan")][:2] == ["Jan", "2026"]


def test_a_long_legend_wraps_and_the_chart_grows_with_it():
    # 33 characters: 24 + 33 x 7 + 18 = 273 px an entry, two to a row of 640 - 64 px.
    names = [f"A phase with a rather long name {n}" for n in range(6)]
    root = parse(line_chart(FRAME, ["x"], [Series(n, (1,)) for n in names]))
    assert float(root.get("viewBox").split()[3]) == HEIGHT + 3 * 20
    rows = {g.find(f"{SVG}line").get("y1") for g in root.iter(f"{SVG}g")
            if "legend" in g.get("class", "")}
    assert len(rows) == 3


def test_empty_data_draws_axes_without_dividing_by_zero():
    for markup in (bar_chart(FRAME, []), bar_chart(FRAME, [Bar("a", 0), Bar("b", 0)]),
                   line_chart(FRAME, [], []), line_chart(FRAME, ["Jan"], [Series("x", (0,))])):
        root = parse(markup)
        assert root.get("role") == "img"
        assert all(b["height"] == 0 for b in rects(root))
    assert rects(parse(bar_chart(FRAME, []))) == []


def test_many_labels_are_thinned_so_that_they_do_not_collide():
    months = [f"Month {n:02d}" for n in range(60)]  # 8 characters in slots of 9.3 px
    root = parse(line_chart(FRAME, months, [Series("x", tuple(range(60)))]))
    shown = [s.text for s in root.iter(f"{SVG}tspan")]
    assert shown[0] == "Month 00" and 1 < len(shown) < 12
    assert len(set(shown)) == len(shown)


def test_the_chart_is_an_image_named_by_its_title_and_description():
    root = parse(bar_chart(FRAME, [Bar("a", 1)]))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}title").text == "Learners per week"
    assert root.find(f"{SVG}desc").text == "A histogram"
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "label"] == [
        "Week", "Learners"]


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & Ω'
    frame = Frame('c"2', evil, evil, evil, evil)
    markup = str(bar_chart(frame, [Bar(evil, 1, evil)], marker=Marker(0.5, evil))) + str(
        line_chart(frame, [evil], [Series(evil, (1,))]))
    assert "<script" not in markup and "&lt;script&gt;" in markup
    assert 'id="c&#34;2-title"' in markup
    for svg in re.findall(r"<svg.*?</svg>", markup, re.S):
        root = parse(svg)  # well-formed XML
        texts = [t.text for t in root.iter() if t.text and "script" in t.text]
        assert evil in texts
