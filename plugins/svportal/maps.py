"""The map of the wards: an Altair geoshape of their boundaries, shaded by a figure, as a charts.Chart.

Rendered like every chart (charts.render_charts): static SVG at build time, cached, with the
caption, the one-sentence summary and the figures as a table beside it, so the map needs no
JavaScript and no map tiles from elsewhere. Boundaries come from boundaries.py in GeoJSON's
winding (RFC 7946: outer rings anticlockwise) or any other: they are rewound here the way Vega's
projections need them (outer rings clockwise), or a ward would be drawn as the whole world
without it.
"""

from __future__ import annotations

from itertools import pairwise

import altair as alt

from .charts import DARK_GREY, FONT, Chart, ChartTable

MAP_WIDTH, MAP_HEIGHT = 320, 440  # the projection fits the wards into this box (Manchester is tall and narrow)


def _clockwise(ring: list) -> bool:
    """Whether a ring of [longitude, latitude] positions runs clockwise on a map (north up)."""
    return sum((x2 - x1) * (y2 + y1) for (x1, y1, *_), (x2, y2, *_) in pairwise(ring)) > 0


def _wound(rings: list) -> list:
    """A polygon's rings as Vega draws them: the outer ring clockwise, its holes anticlockwise."""
    return [ring if _clockwise(ring) == (n == 0) else ring[::-1] for n, ring in enumerate(rings)]


def rewound(geometry: dict) -> dict:
    """A Polygon or MultiPolygon with its rings wound for Vega's projections (see the module's docstring)."""
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _wound(geometry["coordinates"])}
    return {"type": "MultiPolygon", "coordinates": [_wound(polygon) for polygon in geometry["coordinates"]]}


def ward_map(
    chart_id: str,
    caption: str,
    summary: str,
    shaded: list[tuple[str, float]],
    shapes: dict[str, tuple[dict, ...]],
    value_title: str,
    table: ChartTable,
    csv_name: str,
) -> Chart:
    """The wards of ``shaded`` (ward code, figure) that have ``shapes``, each shaded by its figure (0 palest).

    ``table`` holds the same figures for every ward (those without a boundary too): it is shown beside the map.
    """
    features = [
        {"type": "Feature", "geometry": rewound(geometry), "properties": {"code": code, "value": float(value)}}
        for code, value in shaded
        for geometry in shapes.get(code, ())
    ]
    chart = (
        alt.Chart(alt.Data(values=features, format=alt.DataFormat(type="json")))
        .mark_geoshape(stroke=DARK_GREY, strokeWidth=0.75)
        .encode(
            color=alt.Color(
                "properties.value:Q",
                title=value_title,
                scale=alt.Scale(scheme="blues", domainMin=0),
                legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=240, tickCount=5, format="d"),
            )
        )
        .project(type="mercator")
        .properties(width=MAP_WIDTH, height=MAP_HEIGHT)
        .configure(font=FONT)
        .configure_legend(
            labelFontSize=13, titleFontSize=13, titleLimit=400, labelColor="#0b0c0c", titleColor="#0b0c0c"
        )
        .configure_view(stroke=None)
    )
    return Chart(chart_id, caption, summary, chart.to_dict(), table, csv_name)
