"""Rendering charts (plugins/svportal/charts.py): each shape of chart is compiled to Vega once per process,
and every chart still gets the very spec, and SVG, a compile of its own would give."""

from __future__ import annotations

import time

import pandas as pd
import pytest
import vl_convert

from svportal import charts


def delivery_chart(values: list[float], unit: str = "£", aggregation: str = "sum", direction: str = "increase"):
    quarters = list(pd.date_range("2025-06-30", periods=len(values), freq="QE-MAR"))
    to_date = [sum(values[: n + 1]) for n in range(len(values))]
    commitment = {
        "unit": unit,
        "aggregation": aggregation,
        "direction": direction,
        "measure_slug": "m1",
        "measure_title": "Measure",
    }
    series = {
        "quarter_end": quarters,
        "delivered": values,
        "delivered_to_date": to_date,
        "expected_to_date": [1000.0 * (n + 1) / 3 for n in range(len(values))],
    }
    return charts.commitment_chart(commitment, series)


@pytest.fixture(autouse=True)
def no_compiled_shapes(monkeypatch):
    monkeypatch.setattr(charts, "_COMPILED", {})


def test_charts_of_one_shape_are_compiled_once_each_with_its_own_values():
    made = [delivery_chart([120.5, 300.25 * n, 17.0][: n % 3 + 1]) for n in range(1, 5)]  # other quarters too
    assert len({chart.key for chart in made}) == 4  # different charts ...
    for chart in made:
        assert charts.to_vega(chart.spec) == vl_convert.vegalite_to_vega(chart.spec)
    assert len(charts._COMPILED) == 1  # ... of one shape


def test_charts_of_other_shapes_are_compiled_apart():
    made = [
        delivery_chart([1.0, 2.0]),
        delivery_chart([1.0, 2.0], unit="tonnes CO2e"),  # another axis title
        delivery_chart([1.0, 2.0], unit="people"),  # whole ticks
        delivery_chart([3000.0, 9000.0], unit="people"),  # other whole ticks
        delivery_chart([1.0, 2.0], aggregation="latest"),  # other series
        delivery_chart([1.0, 2.0], direction="decrease"),
    ]
    for chart in made:
        assert charts.to_vega(chart.spec) == vl_convert.vegalite_to_vega(chart.spec)
    assert len(charts._COMPILED) == len(made)


def test_a_chart_drawn_from_a_compiled_shape_is_the_svg_of_its_own_compile():
    first, second = delivery_chart([10.0, 20.0, 5.5]), delivery_chart([70.0, 0.0, 2.25])
    charts._render(first.spec)
    assert charts._render(second.spec) == charts.lean_svg(vl_convert.vegalite_to_svg(second.spec))
    assert charts._render(first.spec) == charts.lean_svg(vl_convert.vegalite_to_svg(first.spec))


def test_a_spec_without_inline_values_is_compiled_alone():
    spec = {
        "data": {"name": "table"},
        "datasets": {"table": [{"a": "x", "b": 1}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
    }
    assert charts.to_vega(spec) == vl_convert.vegalite_to_vega(spec)
    assert charts._COMPILED == {}


def test_the_kept_shapes_are_bounded(monkeypatch):
    monkeypatch.setattr(charts, "COMPILED_SHAPES", 2)
    for count in (2, 3, 4, 5):
        chart = delivery_chart([1.0] * count)
        assert charts.to_vega(chart.spec) == vl_convert.vegalite_to_vega(chart.spec)
    assert len(charts._COMPILED) <= 2


def test_charts_rendered_by_workers_beside_the_build_are_those_rendered_here(tmp_path):
    made = [delivery_chart([float(n), 2.0 * n, 3.5]) for n in range(1, charts.PARALLEL_FROM + 5)]
    with charts.rendering(made, tmp_path / "cache", workers=2) as pending:
        pending.ready(made[-3:])  # the last charts first: it waits for their chunk
        assert all(chart.svg for chart in made[-3:])
    pending.ready(made)
    assert (pending.stats.rendered, pending.stats.cached, pending.stats.workers) == (len(made), 0, 2)
    for chart in made:
        assert chart.svg == charts.accessible_svg(charts._render(chart.spec), chart)
    assert len(list((tmp_path / "cache").glob("*.svg"))) == len(made)

    again = [delivery_chart([float(n), 2.0 * n, 3.5]) for n in range(1, charts.PARALLEL_FROM + 5)]
    stats = charts.render_charts(again, tmp_path / "cache", workers=2)
    assert (stats.rendered, stats.cached, stats.workers) == (0, len(made), 1)
    assert [chart.svg for chart in again] == [chart.svg for chart in made]


def test_charts_rendered_here_count_only_their_own_time(tmp_path):
    made = [delivery_chart([1.0, float(n)]) for n in range(1, 3)]  # few: rendered in this process, as needed
    started = time.perf_counter()
    with charts.rendering(made, tmp_path / "cache", workers=2) as pending:
        time.sleep(1.0)  # the build writes other pages meanwhile
        pending.ready(made)
    assert (pending.stats.rendered, pending.stats.workers) == (2, 1)
    assert 0 < pending.stats.seconds < 1.0 < time.perf_counter() - started
