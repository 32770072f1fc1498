"""The metrics page's three charts, from the journey metrics as GET /api/v1/metrics/journey
gives them (metrics_report.Report): each an SVG, the table beside it with the same numbers,
and the rows of its CSV. Texts in the reader's language."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, format_decimal, format_percent, gettext
from markupsafe import Markup

from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.svg_charts import Bar, Frame, Marker, Series, bar_chart, line_chart

SHARES = [0, 0.25, 0.5, 0.75, 1]


@dataclass
class Chart:
    """One chart of the page: its SVG (None: nothing to draw, `empty` says why), the table
    beside it, and the CSV's header and rows."""

    key: str
    title: str
    svg: Markup | None = None
    empty: str = ""
    notes: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    csv_head: list[str] = field(default_factory=list)
    csv_rows: list[list] = field(default_factory=list)
    csv: str = ""  # the CSV's address, with the page's filters
    wide: bool = False  # the table goes under the chart rather than beside it


def time_to_productivity(ttp: dict | None) -> Chart:
    """Days from the start date to onboarding completed, by week, with the median marked."""
    chart = Chart("time-to-productivity", gettext("Time to productivity"),
                  head=[gettext("Week after the start date"), gettext("Learners")],
                  csv_head=["week", "days_from", "days_to", "learners"])
    if ttp is None:
        chart.empty = gettext("Time to productivity is about the onboarding phase; the phase "
                              "filter leaves it out.")
        return chart
    if not ttp["started"]:
        chart.empty = gettext("Nobody started in this period.")
        return chart
    weeks = ttp["weeks"]
    labels = [_week(w) for w in weeks]
    chart.rows = [[label, w["learners"]] for label, w in zip(labels, weeks, strict=True)]
    chart.csv_rows = [[w["week"], (w["week"] - 1) * 7, None if w.get("or_later") else
                       w["week"] * 7 - 1, w["learners"]] for w in weeks]
    chart.notes = [gettext(
        "%(started)s started in the period: %(completed)s completed onboarding, "
        "%(open)s not yet, %(without)s follow no onboarding path.",
        started=ttp["started"], completed=ttp["completed"], open=ttp["not_completed"],
        without=ttp["without_onboarding_path"])]
    median = ttp["median_days"]
    if median is None:
        chart.empty = gettext("Nobody who started in this period has completed onboarding "
                              "yet.")
        return chart
    days = format_decimal(median)
    chart.notes.append(gettext("Median: %(days)s days.", days=days))
    frame = Frame("chart-ttp", chart.title, gettext(
        "Histogram of the weeks from the start date to onboarding completed (learners who "
        "completed it: %(completed)s); the median is %(days)s days.",
        completed=ttp["completed"], days=days),
        gettext("Week after the start date"), gettext("Learners"))
    bars = [Bar(label, w["learners"], str(w["learners"]) if w["learners"] else "")
            for label, w in zip(labels, weeks, strict=True)]
    chart.svg = bar_chart(frame, bars, gap=0.08, marker=Marker(
        min(median / 7, len(weeks)), gettext("median %(days)s days", days=days)))
    return chart


def retention(found: dict | None) -> Chart:
    """Still employed on their six-month day: onboarding completed by then or not."""
    chart = Chart("retention", gettext("Retention at six months"),
                  head=[gettext("Onboarding"), gettext("Reached six months"),
                        gettext("Still employed"), gettext("Share")],
                  csv_head=["group", "learners", "retained", "rate"])
    if found is None:
        chart.empty = gettext("Retention compares onboarding completed or not; the phase "
                              "filter leaves onboarding out.")
        return chart
    groups = [("onboarding_completed", gettext("Completed")),
              ("onboarding_not_completed", gettext("Not completed")),
              ("all", gettext("All"))]
    numbers = {"all": found} | {key: found[key] for key, _ in groups[:2]}
    for key, label in groups:
        g = numbers[key]
        chart.rows.append([label, g["learners"], g["retained"], _share(g["rate"])])
        chart.csv_rows.append([key, g["learners"], g["retained"], g["rate"]])
    if not found["learners"]:
        chart.empty = gettext("Nobody reached their six-month day in this period.")
        return chart
    bars = [Bar(label, numbers[key]["rate"] or 0, _share_of(numbers[key]))
            for key, label in groups[:2]]
    frame = Frame("chart-retention", chart.title, gettext(
        "Bars: the share still employed six months after their start, %(done)s with "
        "onboarding completed, %(not_done)s without.", done=bars[0].text,
        not_done=bars[1].text), gettext("Onboarding by the six-month day"),
        gettext("Still employed"))
    chart.svg = bar_chart(frame, bars, scale=SHARES, tick_text=format_percent, gap=0.5)
    return chart


def participation(found: dict, names: Names) -> Chart:
    """Per month of the period and per phase: the learners taking part."""
    phases = found["phases"]
    chart = Chart("participation", gettext("Participation per phase"),
                  head=[gettext("Month")] + [names.of("phase", p["phase"]) for p in phases],
                  csv_head=["month", "phase", "audience", "participants", "rate"], wide=True)
    months = [m["month"] for m in phases[0]["months"]] if phases else []
    for n, month in enumerate(months):
        chart.rows.append([_month(month, "LLLL yyyy")] + [gettext(
            "%(taking)s of %(audience)s", taking=p["months"][n]["participants"],
            audience=p["months"][n]["audience"]) for p in phases])
        chart.csv_rows += [[month, p["phase"], p["months"][n]["audience"],
                            p["months"][n]["participants"], p["months"][n]["rate"]]
                           for p in phases]
    drawn = [p for p in phases if p["audience"]]  # a line of zeros would hide the others
    if not drawn:
        chart.empty = gettext("Nobody was in a phase's audience in this period.")
        return chart
    series = [Series(names.of("phase", p["phase"]),
                     tuple(m["participants"] for m in p["months"])) for p in drawn]
    frame = Frame("chart-participation", chart.title, gettext(
        "Lines: per month, the learners taking part in each phase that had learners in its "
        "audience (%(phases)s).", phases=", ".join(s.name for s in series)), gettext("Month"),
        gettext("Learners taking part"))
    chart.svg = line_chart(frame, [_axis_month(m, n == 0) for n, m in enumerate(months)],
                           series)
    return chart


def _week(week: dict) -> str:
    return f"{week['week']}+" if week.get("or_later") else str(week["week"])


def _share(rate: float | None) -> str:
    return "–" if rate is None else format_percent(rate, "#,##0.#%")


def _share_of(group: dict) -> str:
    return gettext("%(share)s (%(retained)s of %(learners)s)", share=_share(group["rate"]),
                   retained=group["retained"], learners=group["learners"])


def _axis_month(label: str, first: bool) -> str:
    """The month's short name; under it the year, for the first month and each January."""
    name = _month(label, "LLL")
    return f"{name}\n{label[:4]}" if first or label.endswith("-01") else name


def _month(label: str, pattern: str) -> str:
    year, month = label.split("-")
    return format_date(date(int(year), int(month), 1), pattern)
