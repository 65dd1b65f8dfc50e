"""The wards' boundaries, for the map of the wards: ``wards.geojson`` and its attribution.

Optional: a data folder without ``wards.geojson`` gets the ward pages without the map. The file is
GeoJSON (RFC 7946: longitude and latitude), a FeatureCollection of Polygon or MultiPolygon features,
each carrying its ward's ONS code (the ``ward_code`` of wards.csv) as one of its properties, whatever
the property is called (``WD23CD`` in the ONS files, ``area_code`` in others): boundaries are matched
to wards on the code alone. ``wards-attribution.txt`` holds the line the boundaries' licence asks to
be shown with any map of them, such as "Contains National Statistics and OS data © Crown copyright
and database right 2023"; it is shown under the map.

A file that cannot be read as GeoJSON is an error, like a CSV that cannot be read. A feature that
cannot be drawn or names no ward, and a ward without a boundary, are warnings: the map leaves them
out and the table beside it lists every ward.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .parse import character_problem
from .problems import WARNING, Problem

BOUNDARY_FILE = "wards.geojson"
ATTRIBUTION_FILE = "wards-attribution.txt"
MAX_BYTES = 20_000_000  # ONS's generalised ward boundaries for all of the UK are smaller
MAX_ATTRIBUTION = 1_000  # characters
LISTED = 5  # a warning about many features or wards names this many, then counts the rest


@dataclass(frozen=True)
class Boundaries:
    """The boundaries of the wards of wards.csv that have one, and the attribution to show with them."""

    shapes: dict[str, tuple[dict, ...]]  # ward code -> its geometries (GeoJSON Polygon or MultiPolygon), in file order
    attribution: str | None = None
    without: tuple[str, ...] = field(default=())  # the codes of the wards that have no boundary

    def __bool__(self) -> bool:
        return bool(self.shapes)


def _listed(items: list[str]) -> str:
    """``a, b and c``, or the first few and how many more."""
    shown = items[:LISTED] + ([f"{len(items) - LISTED:,} more"] if len(items) > LISTED else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _position_ok(position) -> bool:
    if not isinstance(position, list) or len(position) < 2:
        return False
    lon, lat = position[0], position[1]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        return False
    return -180 <= lon <= 180 and -90 <= lat <= 90


def _polygon_ok(rings) -> bool:
    return (
        isinstance(rings, list)
        and len(rings) > 0
        and all(isinstance(ring, list) and len(ring) >= 4 and all(map(_position_ok, ring)) for ring in rings)
    )


def geometry_problem(geometry) -> str | None:
    """Why a feature's geometry cannot be drawn as an area, or None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        return (
            f"its geometry is {'a ' + str(kind) if isinstance(kind, str) else 'missing'}, not a Polygon or MultiPolygon"
        )
    coordinates = geometry.get("coordinates")
    ok = (
        _polygon_ok(coordinates)
        if geometry["type"] == "Polygon"
        else isinstance(coordinates, list) and len(coordinates) > 0 and all(map(_polygon_ok, coordinates))
    )
    return None if ok else "its coordinates are not rings of at least four [longitude, latitude] positions"


def _code_of(feature: dict, codes: frozenset[str]) -> str | None:
    """The first property of the feature whose value is the code of a ward of wards.csv."""
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        return None
    return next((value for value in properties.values() if isinstance(value, str) and value in codes), None)


def read_attribution(data_dir: Path) -> tuple[str | None, list[Problem]]:
    """The attribution to show under the map (one line), or None with a warning when there is none."""
    path = data_dir / ATTRIBUTION_FILE
    if not path.is_file():
        message = (
            f"is missing: the licence of ward boundaries usually asks for a line shown with any map of them, such as "
            f"'Contains National Statistics and OS data © Crown copyright and database right 2023': put it in "
            f"{ATTRIBUTION_FILE}"
        )
        return None, [Problem(ATTRIBUTION_FILE, None, None, message, severity=WARNING)]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(ATTRIBUTION_FILE, None, None, "is not UTF-8 text: save it again as UTF-8")]
    wrong = character_problem(text, multiline=True)
    if wrong:
        return None, [Problem(ATTRIBUTION_FILE, None, None, wrong)]
    line = " ".join(text.split())
    if len(line) > MAX_ATTRIBUTION:
        message = f"is {len(line):,} characters long: the limit is {MAX_ATTRIBUTION:,}"
        return None, [Problem(ATTRIBUTION_FILE, None, None, message)]
    if not line:
        return None, [Problem(ATTRIBUTION_FILE, None, None, "is empty: write the attribution the boundaries ask for")]
    return line, []


def read_boundaries(data_dir: Path | str, wards: pd.DataFrame | None) -> tuple[Boundaries | None, list[Problem]]:
    """The boundaries of the wards of ``wards`` (the validated wards table) from ``data_dir``, and every problem.

    None without a boundary file (no map, no problem), and None with a warning when there is no wards table to
    match it to (the map needs the wards' codes).
    """
    data_dir = Path(data_dir)
    path = data_dir / BOUNDARY_FILE
    if not path.is_file():
        return None, []
    codes = frozenset(c for c in (wards["ward_code"] if wards is not None else ()) if isinstance(c, str) and c)
    if not codes:
        message = "is not used: the map of the wards matches each boundary to a ward of wards.csv, which has none"
        return None, [Problem(BOUNDARY_FILE, None, None, message, severity=WARNING)]
    size = path.stat().st_size
    if size > MAX_BYTES:
        message = (
            f"is {size:,} bytes: the limit is {MAX_BYTES:,}. Use generalised boundaries, such as the ONS "
            f"'super generalised' (BSC) ones, and only the wards of the area"
        )
        return None, [Problem(BOUNDARY_FILE, None, None, message)]
    try:
        collection = json.loads(path.read_bytes().decode("utf-8-sig"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        return None, [Problem(BOUNDARY_FILE, None, None, "is not UTF-8 text: save it again as UTF-8 GeoJSON")]
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON: {exc.msg} (column {exc.colno})"
        return None, [Problem(BOUNDARY_FILE, exc.lineno, None, message)]
    except ValueError as exc:
        return None, [Problem(BOUNDARY_FILE, None, None, f"is not valid JSON: {exc}")]
    features = collection.get("features") if isinstance(collection, dict) else None
    if (
        not isinstance(collection, dict)
        or collection.get("type") != "FeatureCollection"
        or not isinstance(features, list)
    ):
        message = 'is not a GeoJSON FeatureCollection: it needs "type": "FeatureCollection" and a list of features'
        return None, [Problem(BOUNDARY_FILE, None, None, message)]
    problems: list[Problem] = []
    shapes: dict[str, list[dict]] = {}
    unnamed: list[str] = []
    for number, feature in enumerate(features):
        where = f"features[{number}]"
        if not isinstance(feature, dict):
            problems.append(
                Problem(BOUNDARY_FILE, None, where, "is not a GeoJSON Feature: left off the map", severity=WARNING)
            )
            continue
        code = _code_of(feature, codes)
        if code is None:
            unnamed.append(where)
            continue
        wrong = geometry_problem(feature.get("geometry"))
        if wrong:
            message = f"(ward {code}): {wrong}: left off the map"
            problems.append(Problem(BOUNDARY_FILE, None, where, message, severity=WARNING))
            continue
        shapes.setdefault(code, []).append(feature["geometry"])
    if unnamed:
        count = f"{len(unnamed):,} feature{'s have' if len(unnamed) != 1 else ' has'}"
        message = (
            f"{count} no ward code of wards.csv among {'their' if len(unnamed) != 1 else 'its'} properties "
            f"({_listed(unnamed)}): left off the map"
        )
        problems.append(Problem(BOUNDARY_FILE, None, None, message, severity=WARNING))
    ordered = [c for c in wards["ward_code"] if isinstance(c, str) and c]
    without = [code for code in ordered if code not in shapes]
    if without:
        count = f"{len(without):,} ward{'s' if len(without) != 1 else ''} of wards.csv"
        them = "them" if len(without) != 1 else "it"
        message = f"has no boundary for {count} ({_listed(without)}): the map leaves {them} out"
        problems.append(Problem(BOUNDARY_FILE, None, None, message, severity=WARNING))
    attribution, found = read_attribution(data_dir) if shapes else (None, [])
    problems += found
    if not shapes:
        return None, problems
    return Boundaries(
        {code: tuple(shapes[code]) for code in ordered if code in shapes}, attribution, tuple(without)
    ), problems
