"""Charts: Altair specs, rendered at build time to accessible static SVG, with a cache.

A :class:`Chart` carries everything a page needs to show a chart accessibly:
the SVG, a caption, a one-sentence summary, and the chart's data as a table
(also written as a CSV). SVGs are cached by a hash of their spec, so a rebuild
with unchanged data renders nothing; misses are rendered by worker processes while
the build writes its pages (:func:`rendering`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import math
import multiprocessing
import os
import re
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from . import exports, units
from .formatting import number, with_unit
from .lifetime import checkpoint, die_with_parent

logger = logging.getLogger(__name__)

# GOV.UK colours with at least 3:1 contrast against white; series also differ by dash and marker shape
BLUE = "#1d70b8"
DARK_GREY = "#505a5f"
# The renderer measures each label's text with the first of these it has: the portal's own small font
# (fonts/README.md), which it reads ~35% faster than a system font; browsers draw the text in Arial (whose
# widths it has) or their own sans-serif.
MEASURING_FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "Portal Chart Sans, arial, sans-serif"
WIDTH, HEIGHT = 560, 240
CSV_FOLDER = "charts"  # each page's chart data goes in this folder beside the page
PARALLEL_FROM = 8  # render in worker processes when more charts than this need rendering
CHUNK = 16  # charts a worker renders in one go, at most (fewer when few are missing: every worker gets some)
PROGRESS_EVERY = 500  # charts: a progress line each time so many more are rendered


@dataclass(frozen=True)
class ChartTable:
    """A chart's data as a table: plain lists, cheap to make for thousands of charts."""

    columns: list[str]  # the labels people read
    rows: list[list]
    whole_columns: tuple[int, ...] = ()  # estimates of a count unit: whole numbers on the page, as given in the CSV
    labels: tuple[str, ...] = ()  # shorter labels of the columns, before each cell of a stacked row (tables.label_text)

    def head(self) -> list[dict]:
        """The columns as the table macro's head: each heading with its label when it has a shorter one."""
        labels = self.labels or self.columns
        return [{"text": column, "label": label} for column, label in zip(self.columns, labels, strict=True)]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> ChartTable:
        return cls(list(frame.columns), frame.to_numpy(dtype=object).tolist())


@dataclass(frozen=True)
class LegendItem:
    """One series of a chart, as the page's HTML legend draws it (the stylesheet's .app-chart-legend__key): a
    short line in its colour, solid or dashed, with its marker in the middle. Text in HTML costs the renderer
    nothing and reads at any size."""

    label: str
    colour: str  # "blue" (BLUE) or "grey" (DARK_GREY)
    dashed: bool = False
    marker: str = "circle"  # or "square"


@dataclass
class Chart:
    """One chart and its accessible alternatives."""

    id: str  # unique on its page; used for the SVG's title and desc ids
    caption: str
    summary: str  # one plain-English sentence saying what the chart shows
    spec: dict = field(repr=False)
    table: ChartTable = field(repr=False)
    csv_name: str = ""  # file name of the chart's data, in the charts/ folder beside the page (see csv_path)
    svg: str = field(default="", repr=False)
    legend: list[LegendItem] = field(default_factory=list)  # shown as HTML beside the SVG (the SVG has none)
    figures: tuple[str, ...] = ()  # a delivery chart's: its table's figures, named without the unit (quarters_csv)

    @property
    def key(self) -> str:
        return spec_key(self.spec)

    def table_rows(self) -> list[list[str]]:
        whole = self.table.whole_columns
        return [[_cell(v, n in whole) for n, v in enumerate(row)] for row in self.table.rows]

    @property
    def csv_path(self) -> str:
        """Where the chart's data is written, relative to the page's folder.

        A folder of its own, so that no chart (a measure with the id ``contract``, say) can
        take the place of a table download beside the page.
        """
        return f"{CSV_FOLDER}/{self.csv_name}"

    @property
    def svg_path(self) -> str:
        """Where the chart's SVG is written when the page shows it as an image (a contract's charts), relative to
        the page's folder: beside its data, ``charts/<name>.svg``."""
        return f"{CSV_FOLDER}/{self.csv_name.removesuffix('.csv')}.svg"

    @property
    def size(self) -> tuple[int, int]:
        """The SVG's width and height in pixels (its own attributes), for the page to keep its room."""
        found = _SIZE.search(self.svg)
        return (int(float(found.group(1))), int(float(found.group(2)))) if found else (WIDTH, HEIGHT)

    def svg_bytes(self) -> bytes:
        """The chart as an SVG file: the accessible SVG (its own title and description) with an XML declaration."""
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + self.svg + "\n").encode("utf-8")

    def csv_bytes(self) -> bytes:
        """The chart's data as CSV, written like every other CSV of the portal (formulas neutralised)."""
        return exports.csv_bytes(self.table.columns, self.table.rows)


def _cell(value, whole: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "No return"
    if isinstance(value, float):
        return number(value, places=0 if whole else 2)
    return str(value)


_SIZE = re.compile(r'^<svg [^>]*?\bwidth="([\d.]+)" height="([\d.]+)"')

MOST_TICKS = 6  # a whole-number axis has at most this many ticks, 0 included


def whole_ticks(values) -> list[int] | None:
    """The ticks of an axis of whole things (people, contracts): 0 to the top in steps of 1, 2, 5, 10, 20, 50...

    Vega-Lite's ``tickMinStep`` cannot do it: over 0 to 2 people it still steps by 0.5. None when a value is
    negative or none is finite (the axis then keeps Vega-Lite's own ticks).
    """
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if not finite or min(finite) < 0:
        return None
    top = max(max(finite), 1.0)
    power = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * power
            count = math.ceil(top / step)
            if count + 1 <= MOST_TICKS:
                return [step * n for n in range(count + 1)]
        power *= 10


def whole_axis(values) -> dict:
    """The Vega-Lite ``axis`` and ``scale`` of a count: whole-number ticks to the top one (see whole_ticks),
    labelled without decimals; without such ticks, no decimals at least."""
    ticks = whole_ticks(values)
    if ticks is None:
        return {"axis": {"tickMinStep": 1, "format": ",d"}, "scale": {"zero": True}}
    return {"axis": {"values": ticks, "format": ",d"}, "scale": {"zero": True, "domain": [0, ticks[-1]]}}


def _altair_axis(values, whole: bool) -> dict:
    """The ``axis`` and ``scale`` arguments of an Altair channel: whole numbers for a count, else a zero-based scale."""
    if not whole:
        return {"scale": alt.Scale(zero=True)}
    found = whole_axis(values)
    return {"axis": alt.Axis(**found["axis"]), "scale": alt.Scale(**found["scale"])}


def _config(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure(font=FONT)
        .configure_axis(
            labelFontSize=12,
            titleFontSize=13,
            labelColor="#0b0c0c",
            titleColor="#0b0c0c",
            gridColor="#b1b4b6",
            # the renderer's cost is measuring text: labels are few and set apart (whole ticks, rotated
            # quarters), so the checks that hide overlapping labels or keep them in bounds are not needed
            labelOverlap=False,
            labelBound=False,
            # no label is cut short (category axes that could be give their own labelLimit), so none is
            # measured to see whether it must be: the same picture, a third faster
            labelLimit=0,
        )
        .configure_legend(labelFontSize=13, titleFontSize=13, orient="bottom", labelLimit=400)
        .configure_view(stroke=None)
    )


# --- chart specs ---------------------------------------------------------------------


@functools.cache
def quarter_axis_label(day: pd.Timestamp) -> str:
    """The quarter ending ``day``, as it reads on an axis: ``Jul-Sep 2026``."""
    start = day - pd.offsets.QuarterBegin(1, startingMonth=1)
    return f"{start:%b}-{day:%b %Y}"


@functools.cache
def _line_chart_template(delivered_name: str, expected_name: str) -> str:
    """The Vega-Lite spec of a delivery chart, built and validated once by Altair.

    Each chart copies it and fills in its own data, quarters and unit: building
    thousands of charts through Altair one by one costs ~20 ms each. It has no legend: the page
    draws it in HTML (Chart.legend, see line_legend), which the renderer would take ~30% longer to draw.
    """
    order = [delivered_name, expected_name]
    placeholder = pd.DataFrame({"Quarter": ["Q"], "Order": [0], "Series": [delivered_name], "Value": [0.0]})
    chart = (
        alt.Chart(placeholder)
        .mark_line(point=alt.OverlayMarkDef(size=50, filled=True), strokeWidth=3)
        .encode(
            # quarters in the order of their Order (not a list of them: a chart's spec then compiles like
            # every other chart's with the same series and unit, to_vega)
            x=alt.X(
                "Quarter:O",
                sort=alt.EncodingSortField("Order", op="min"),
                title="Quarter",
                axis=alt.Axis(labelAngle=-40),
            ),
            y=alt.Y("Value:Q", title="unit", scale=alt.Scale(zero=True)),
            color=alt.Color(
                "Series:N", sort=order, scale=alt.Scale(domain=order, range=[BLUE, DARK_GREY]), legend=None
            ),
            strokeDash=alt.StrokeDash(
                "Series:N", sort=order, scale=alt.Scale(domain=order, range=[[1, 0], [6, 4]]), legend=None
            ),
            shape=alt.Shape(
                "Series:N", sort=order, scale=alt.Scale(domain=order, range=["circle", "square"]), legend=None
            ),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    spec = _config(chart).to_dict()  # validated against the Vega-Lite schema
    spec.pop("datasets", None)
    return json.dumps(spec)  # each chart reads its own copy (json.loads is ~30x faster than copy.deepcopy)


def line_legend(delivered_name: str, expected_name: str) -> list[LegendItem]:
    """The legend of a delivery chart: its two series as _line_chart_template draws them."""
    return [LegendItem(delivered_name, "blue"), LegendItem(expected_name, "grey", dashed=True, marker="square")]


def commitment_chart(commitment: dict, series: dict[str, list]) -> Chart:
    """Cumulative delivery against the target trajectory, quarter by quarter.

    ``series`` holds one commitment's quarters as lists: ``quarter_end``, ``delivered``,
    ``delivered_to_date``, ``expected_to_date`` (see model.quarterly_series) and, when given, ``checked``: what
    the table says of each quarter's return (verified or only reported, see ratings.py). A count
    unit's axis steps by whole units, and its expected amounts read as whole numbers (exact in the CSV).
    """
    unit = commitment["unit"]
    level = commitment["aggregation"] == "latest"
    decrease = commitment["direction"] == "decrease"
    delivered_name = "Latest level reported" if level else "Delivered to date"
    expected_name = (
        "Target level" if level else ("Ceiling to date" if decrease else "Expected to date (target shared over time)")
    )
    quarters = [quarter_axis_label(q) for q in series["quarter_end"]]
    delivered, to_date, expected = series["delivered"], series["delivered_to_date"], series["expected_to_date"]
    values = [
        {"Quarter": quarter, "Order": order, "Series": name, "Value": float(value)}
        for name, column in ((delivered_name, to_date), (expected_name, expected))
        for order, (quarter, value) in enumerate(zip(quarters, column))
        if not math.isnan(value)
    ]
    spec = json.loads(_line_chart_template(delivered_name, expected_name))
    spec["data"] = {"values": values}
    spec["encoding"]["y"]["title"] = unit
    count = units.is_count(unit)
    if count:
        spec["encoding"]["y"].update(whole_axis(v["Value"] for v in values))
    summary = (
        f"By {quarters[-1]}, {with_unit(to_date[-1], unit)} "
        f"{'was the latest level reported' if level else 'had been delivered'}, against "
        f"{with_unit(expected[-1], unit, expected=True)} "
        f"{'targeted' if level else ('allowed' if decrease else 'expected')} by then."
    )
    columns = [
        "Quarter",
        f"Level reported ({unit})" if level else f"Delivered in quarter ({unit})",
        f"{delivered_name} ({unit})",
        f"{expected_name} ({unit})",
    ]
    # a stacked row says each cell's column in short: the legend and the heading say how it is worked out
    labels = [*columns[:3], f"{expected_name.split(' (')[0]} ({unit})"]
    rows = [[q, d, t, round(e, 2)] for q, d, t, e in zip(quarters, delivered, to_date, expected)]
    if "checked" in series:
        columns.append("Return")
        labels.append("Return")
        rows = [[*row, checked] for row, checked in zip(rows, series["checked"])]
    table = ChartTable(columns, rows, whole_columns=(3,) if count else (), labels=tuple(labels))
    return Chart(
        id=f"chart-{commitment['measure_slug']}",
        caption=f"{commitment['measure_title']}: {delivered_name.lower()} and {expected_name.lower()}, by quarter",
        summary=summary,
        spec=spec,
        table=table,
        csv_name=f"{commitment['measure_slug']}.csv",
        legend=line_legend(delivered_name, expected_name),
        figures=("Level reported" if level else "Delivered in quarter", delivered_name, expected_name),
    )


# Every figure a delivery chart's table may hold (commitment_chart), in the order of a contract's quarters.csv
QUARTER_FIGURES = (
    "Delivered in quarter",
    "Delivered to date",
    "Expected to date (target shared over time)",
    "Ceiling to date",
    "Level reported",
    "Latest level reported",
    "Target level",
)
QUARTERS_CSV = "quarters.csv"  # beside a contract's page: the data of all its charts


def quarters_csv(commitments: list[dict]) -> bytes:
    """The data of a contract's delivery charts as one CSV: a row for each charted commitment's quarter.

    Each figure has a column of its own, named as on the chart's table (QUARTER_FIGURES), so that none
    changes meaning from one row to the next: a commitment fills the three its kind has (delivered, a
    level reported, a ceiling...) and leaves the others blank. ``Return`` says whether it was verified.
    """
    columns = ["Measure id", "Measure", "Unit", "Quarter", *QUARTER_FIGURES, "Return"]
    rows = []
    for commitment in commitments:
        chart = commitment.get("chart")
        if not chart:
            continue
        at = [4 + QUARTER_FIGURES.index(name) for name in chart.figures]
        for quarter, *figures in chart.table.rows:
            row = [commitment["measure_id"], commitment["measure_title"], commitment["unit"], quarter]
            row += [""] * len(QUARTER_FIGURES) + [figures[3] if len(figures) > 3 else ""]
            for column, value in zip(at, figures):
                row[column] = value
            rows.append(row)
    return exports.csv_bytes(columns, rows)


def bar_chart(
    chart_id: str,
    caption: str,
    summary: str,
    table: pd.DataFrame,
    category: str,
    value: str,
    value_title: str,
    csv_name: str,
    whole: bool = False,
    label_format: str = ",.0f",
) -> Chart:
    """A horizontal bar chart with each bar's value written at its end (no legend, no colour coding).

    ``whole``: the values count whole things (contracts), so the axis steps by whole units.
    ``label_format`` is the d3 format of those values (``,.1f`` for one decimal).
    """
    order = list(table[category])
    base = alt.Chart(table).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X(f"{value}:Q", title=value_title, **_altair_axis(table[value], whole)),
    )
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=4, color="#0b0c0c", fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format=label_format)
    )
    chart = (bars + labels).properties(width=WIDTH - 160, height=max(60, 28 * len(table)))
    return Chart(
        chart_id, caption, summary, _config(chart).to_dict(validate=False), ChartTable.from_frame(table), csv_name
    )


def stacked_share_chart(
    chart_id: str,
    caption: str,
    summary: str,
    table: pd.DataFrame,
    category: str,
    series: dict[str, str],
    csv_name: str,
) -> Chart:
    """Horizontal bars, one per row of ``table`` (in its order), each split into the shares (per cent) of the
    columns named by ``series`` (column -> colour, in stacking and legend order); segments are outlined in
    white so that neighbours stay apart, and the table (also the chart's CSV) gives every value."""
    names = list(series)
    order = list(table[category])
    data = table.melt(id_vars=[category], value_vars=names, var_name="Series", value_name="Share")
    data["Share"] = data["Share"].astype("float64").fillna(0.0)
    data["Order"] = data["Series"].map({name: n for n, name in enumerate(names)})
    values = table[names].astype("float64").fillna(0.0)
    low = min(0.0, float(values.clip(upper=0).sum(axis=1).min())) if len(values) else 0.0
    high = max(100.0, float(values.clip(lower=0).sum(axis=1).max())) if len(values) else 100.0
    chart = (
        alt.Chart(data)
        .mark_bar(stroke="#ffffff", strokeWidth=1)
        .encode(
            y=alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X(
                "Share:Q",
                title="Share of the amount paid (%)",
                stack="zero",
                scale=alt.Scale(domain=[low, high], nice=False),  # 100% (rounding can add a little)
            ),
            color=alt.Color(
                "Series:N",
                sort=names,
                scale=alt.Scale(domain=names, range=list(series.values())),
                title=None,
                legend=alt.Legend(columns=2, symbolType="square"),
            ),
            order=alt.Order("Order:Q"),
        )
        .properties(width=WIDTH - 160, height=max(60, 28 * len(table)))
    )
    return Chart(
        chart_id, caption, summary, _config(chart).to_dict(validate=False), ChartTable.from_frame(table), csv_name
    )


def indicator_chart(indicator: dict, values: pd.DataFrame) -> Chart:
    """An outcome-framework indicator over time."""
    unit = indicator["unit"]
    periods = [f"{e:%b %Y}" for e in values["period_end"]]
    data = pd.DataFrame({"Period ending": periods, "Value": values["value"].to_numpy()})
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=50, filled=True), strokeWidth=3, color=BLUE)
        .encode(
            x=alt.X("Period ending:O", sort=periods, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("Value:Q", title=unit, **_altair_axis(values["value"], units.is_count(unit))),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    first, last = values.iloc[0], values.iloc[-1]
    change = "rose" if last["value"] > first["value"] else "fell" if last["value"] < first["value"] else "stayed"
    better = (
        "which is the direction wanted"
        if (change == "rose") == (indicator["direction"] != "decrease") and change != "stayed"
        else ""
    )
    summary = (
        f"The indicator {change} from {with_unit(first['value'], unit)} "
        f"in the period ending {first['period_end']:%B %Y} "
        f"to {with_unit(last['value'], unit)} in the period ending {last['period_end']:%B %Y}"
        + (f", {better}." if better else ".")
    )
    table = pd.DataFrame(
        {
            "Period start": [f"{d:%Y-%m-%d}" for d in values["period_start"]],
            "Period end": [f"{d:%Y-%m-%d}" for d in values["period_end"]],
            f"Value ({unit})": values["value"].to_numpy(),
        }
    )
    return Chart(
        f"chart-{indicator['slug']}",
        indicator["title"],
        summary,
        _config(chart).to_dict(validate=False),
        ChartTable.from_frame(table),
        f"{indicator['slug']}.csv",
    )


# --- rendering and the cache -------------------------------------------------------------


# What the cache holds besides the renderer's version: its SVG made lean (lean_svg). Change it with lean_svg.
CACHED_FORM = "lean 1, measured with Portal Chart Sans"


def spec_key(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"vl-convert {vl_convert.__version__} {CACHED_FORM}\n{text}".encode()).hexdigest()


@functools.cache
def _measuring_font() -> None:
    """Give this process's renderer the measuring font (once per process: each worker has its own)."""
    vl_convert.register_font_directory(str(MEASURING_FONTS))


def _render(spec: dict) -> str:
    """A chart's SVG, lean (in the worker process, once: the cache keeps it so)."""
    _measuring_font()
    return lean_svg(vl_convert.vega_to_svg(to_vega(spec)))


def to_vega(spec: dict) -> dict:
    """The Vega spec vl-convert compiles a Vega-Lite spec to, compiled once per shape of chart.

    Compiling is a fifth of a chart's cost, and does not look at the data: charts that differ only in their
    inline ``data.values`` (the same series, quarters, unit and ticks) compile alike but for those values. So
    each shape is compiled once per process, and each chart of it gets a copy holding its own values: the
    very spec (and SVG) a compile of its own would give (tests/unit/test_chart_render.py).
    """
    data = spec.get("data")
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, list) or not values:
        return vl_convert.vegalite_to_vega(spec)
    shape = json.dumps({**spec, "data": {**data, "values": []}}, sort_keys=True, default=str)
    found = _COMPILED.get(shape)
    if found is None:
        vega = vl_convert.vegalite_to_vega(spec)
        holding = [n for n, each in enumerate(vega.get("data", [])) if each.get("values") == values]
        if len(holding) != 1:  # not where a compile puts inline values: this chart is compiled alone
            return vega
        vega["data"][holding[0]]["values"] = []
        if len(_COMPILED) >= COMPILED_SHAPES:
            _COMPILED.clear()
        _COMPILED[shape] = found = (json.dumps(vega), holding[0])
        vega["data"][holding[0]]["values"] = values
        return vega
    compiled, at = found
    vega = json.loads(compiled)
    vega["data"][at]["values"] = values
    return vega


COMPILED_SHAPES = 2000  # shapes of chart kept compiled, per process (a few KB each)
_COMPILED: dict[str, tuple[str, int]] = {}


_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
# What the renderer writes that draws nothing in a static image: its own class names, defaults
# (opacity 1), pointer events, empty or unfilled backgrounds and hidden foregrounds
_DRAWS_NOTHING = re.compile(r'\s(?:class="[^"]*"|opacity="1"|pointer-events="none")')
_EMPTY_PATHS = re.compile(r'<path d="(?:M0,0h0v0h0Z|)"(?: display="none")?/>|<path d="M0,0h[\d.]+v[\d.]+h-[\d.]+Z"/>')


_ATTRIBUTE = re.compile(r'="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def _two_places(attribute: re.Match) -> str:
    return '="' + _LONG_DECIMAL.sub(r"\1", attribute.group(1)) + '"'


def lean_svg(svg: str) -> str:
    """The SVG without what draws nothing, its coordinates to a hundredth of a pixel (in attributes only, never
    in text): the same picture, about half the bytes."""
    svg = _EMPTY_PATHS.sub("", _DRAWS_NOTHING.sub("", _ARIA.sub("", svg)))
    return _ATTRIBUTE.sub(_two_places, svg)


def accessible_svg(svg: str, chart: Chart) -> str:
    """Give the (lean) SVG one accessible name and description; the marks inside are decoration."""
    svg = _ARIA.sub("", svg)
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    return re.sub(
        r"^<svg ([^>]*)>",
        lambda m: (
            f'<svg {m.group(1)} role="img" aria-labelledby="{title_id} {desc_id}" focusable="false">'
            f'<title id="{title_id}">{escape(chart.caption)}</title><desc id="{desc_id}">{escape(chart.summary)}</desc>'
        ),
        svg.strip(),
        count=1,
    )


@dataclass
class RenderStats:
    rendered: int = 0
    cached: int = 0
    seconds: float = 0.0  # from the start to the last chart's SVG (rendered charts run beside the build's other work)
    waited: float = 0.0  # how long the build waited for charts: reading the cache, then ChartRendering.ready
    workers: int = 1


def render_charts(charts: list[Chart], cache_dir: Path, workers: int | None = None) -> RenderStats:
    """Fill ``chart.svg`` for every chart: from the cache, or rendered (in parallel) and cached."""
    with rendering(charts, cache_dir, workers) as pending:
        pending.ready(charts)
    return pending.stats


@contextlib.contextmanager
def rendering(charts: list[Chart], cache_dir: Path, workers: int | None = None):
    """Render the charts missing from the cache in worker processes, in their order, while the block runs:
    yields a :class:`ChartRendering`, whose ``ready`` gives charts their SVG as the pages need them. The block
    ends when every chart is rendered and cached; the workers are killed at once if it fails."""
    pending = ChartRendering(charts, cache_dir, workers)
    if not pending.missing or not pending.parallel:
        yield pending
        pending.finish()
        return
    logger.info("Rendering %d charts in %d processes...", len(pending.missing), pending.stats.workers)
    with _worker_pool(pending.stats.workers) as pool:
        pending.submit(pool)
        yield pending
        pending.finish()


class ChartRendering:
    """Charts being rendered: the cached ones read at once, the missing ones (``missing``, by key) in chunks,
    in the order given, by worker processes (``submit``) or in this process when few."""

    def __init__(self, charts: list[Chart], cache_dir: Path, workers: int | None = None):
        self.started = time.perf_counter()
        self.cache_dir = cache_dir
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.raw: dict[str, str] = {}  # key: the lean SVG (accessible_svg names it for each chart)
        self.missing: dict[str, dict] = {}  # key: the spec to render
        for chart in charts:
            key = chart.key
            if key in self.raw or key in self.missing:
                continue
            path = cache_dir / f"{key}.svg"
            if path.is_file():
                self.raw[key] = path.read_text(encoding="utf-8")
            else:
                self.missing[key] = chart.spec
        workers = workers or os.cpu_count() or 1
        self.parallel = len(self.missing) > PARALLEL_FROM and workers > 1
        self.stats = RenderStats(cached=len(self.raw), workers=workers if self.parallel else 1)
        self.done_at = time.perf_counter()  # when the last chart was read or rendered
        self.read_seconds = self.done_at - self.started
        self.here_seconds = 0.0  # rendering charts in this process (few, or one core)
        self.stats.waited = self.read_seconds  # reading the cache: the build waits for it
        self.chunks: list[tuple[list[str], Future]] = []
        self.chunk_of: dict[str, int] = {}  # key: its chunk, while it is being rendered
        self.collected = 0  # charts rendered by the workers and kept

    def submit(self, pool) -> None:
        keys = list(self.missing)
        size = max(1, min(CHUNK, len(keys) // (self.stats.workers * 8)))
        for start in range(0, len(keys), size):
            chunk = keys[start : start + size]
            for key in chunk:
                self.chunk_of[key] = len(self.chunks)
            self.chunks.append((chunk, pool.submit(_render_all, [self.missing[key] for key in chunk])))

    def ready(self, charts: list[Chart]) -> None:
        """Give each chart its accessible SVG, waiting for it (or rendering it here) if it is not rendered yet."""
        for chart in charts:
            key = chart.key
            if key not in self.raw:
                waiting = time.perf_counter()
                if key in self.chunk_of:
                    self._collect(self.chunk_of[key])
                else:  # rendered in this process: few charts, or one core
                    self._render_here(key)
                self.stats.waited += time.perf_counter() - waiting
            chart.svg = accessible_svg(self.raw[key], chart)

    def finish(self) -> None:
        """Wait for every chart still being rendered (render those left, in this process)."""
        waiting = time.perf_counter()
        for index in range(len(self.chunks)):
            self._collect(index)
        for key in self.missing:
            if key not in self.raw:
                self._render_here(key)
        self.stats.waited += time.perf_counter() - waiting
        self.stats.rendered = len(self.missing)
        # in workers: from the start to the last chart back; here: reading the cache and each chart's rendering
        self.stats.seconds = self.done_at - self.started if self.parallel else self.read_seconds + self.here_seconds

    def _collect(self, index: int) -> None:
        keys, future = self.chunks[index]
        if keys[0] in self.raw:
            return
        for key, svg in zip(keys, future.result()):
            self._keep(key, svg)
            del self.chunk_of[key]
        if index == 0:
            checkpoint("rendering")  # tests only: stop the build while workers render
        self.collected += len(keys)
        if self.collected // PROGRESS_EVERY > (self.collected - len(keys)) // PROGRESS_EVERY:
            logger.info("  %d of %d charts rendered", self.collected, len(self.missing))

    def _render_here(self, key: str) -> None:
        started = time.perf_counter()
        self._keep(key, _render(self.missing[key]))
        self.here_seconds += time.perf_counter() - started

    def _keep(self, key: str, svg: str) -> None:
        self.raw[key] = svg
        _store(self.cache_dir / f"{key}.svg", svg)
        self.done_at = time.perf_counter()


def _render_all(specs: list[dict]) -> list[str]:
    """A chunk of charts' SVGs (in a worker process)."""
    return [_render(spec) for spec in specs]


@contextlib.contextmanager
def _worker_pool(workers: int):
    """Spawned worker processes that die with the build, even when it is killed with SIGKILL.

    When the block fails (a stopped build raises out of it), the workers are killed at once
    rather than left to finish every chart queued.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )
    try:
        yield pool
    except BaseException:
        processes = list((pool._processes or {}).values())  # no public way to stop running workers
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
        for process in processes:
            process.join(5)
        raise
    pool.shutdown()


def _store(path: Path, svg: str) -> None:
    """Write a cache entry atomically, so a stopped build never leaves half an SVG."""
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(svg, encoding="utf-8")
    tmp.replace(path)
