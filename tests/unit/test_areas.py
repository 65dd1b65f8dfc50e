"""Places: wards.csv and the wards contracts.csv names (wards.py), what serves each ward (areas.py),
the boundary file (boundaries.py) and the map's geometry (maps.py). No build."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.sites import ROOT, SMALL, edit_csv
from svportal import areas, maps, records
from svportal.boundaries import ATTRIBUTION_FILE, BOUNDARY_FILE, read_boundaries
from svportal.load import load_dataset
from svportal.problems import WARNING
from svportal.wards import EVERYWHERE, served, spelling, unmatched_problems, ward_index

SAMPLE = ROOT / "data"
# Four wards of Manchester, as the sample's wards.csv has them
WARDS_CSV = (
    "ward_code,name,other_names,local_authority_code\n"
    "E05011350,Ancoats & Beswick,Ancoats and Beswick,E08000003\n"
    "E05011356,Cheetham,,E08000003\n"
    "E05011368,Hulme,,E08000003\n"
    "E05011372,Moss Side,Moss-Side;Alexandra Park,E08000003\n"
)


def wards_frame(rows: list[tuple]) -> pd.DataFrame:
    """A wards table as the loader gives it: other_names as tuples, the line of each row."""
    return pd.DataFrame(
        [(code, name, tuple(others), line) for line, (code, name, others) in enumerate(rows, start=2)],
        columns=["ward_code", "name", "other_names", "_line"],
    )


WARDS = wards_frame(
    [
        ("E05011372", "Moss Side", ["Alexandra Park"]),
        ("E05011350", "Ancoats & Beswick", ["Ancoats and Beswick"]),
        ("E05011368", "Hulme", []),
    ]
)


@pytest.fixture(scope="module")
def index():
    found, problems = ward_index(WARDS)
    assert problems == []
    return found


# --- matching a contract's ward values to wards ---------------------------------------------------


@pytest.mark.parametrize(
    "written, code",
    [
        ("Ancoats and Beswick", "E05011350"),  # the sample's spelling
        ("Ancoats & Beswick", "E05011350"),  # the boundary file's
        ("ANCOATS  AND  BESWICK.", "E05011350"),
        ("ancoats-&-beswick", "E05011350"),
        ("E05011372", "E05011372"),  # the code
        ("e05011372", "E05011372"),
        ("Moss Side", "E05011372"),
        ("moss side", "E05011372"),
        ("Alexandra Park", "E05011372"),  # an other name
        ("All", EVERYWHERE),
        ("all wards", EVERYWHERE),
        ("Citywide", EVERYWHERE),
        ("City-wide", EVERYWHERE),
        ("Whole city", EVERYWHERE),
        ("Mos Side", None),
        ("Moss", None),
        ("—", None),  # no letters: names nothing
    ],
)
def test_a_ward_is_matched_by_its_code_name_or_other_names_however_written(index, written, code):
    assert index.match(written) == code


@settings(deadline=None)  # (the machine is shared: a slow first example is not a failure)
@given(st.sampled_from(["Ancoats & Beswick", "Moss Side", "Hulme"]), st.lists(st.sampled_from(" .-_,'"), max_size=3))
def test_case_and_punctuation_never_count(name, punctuation):
    index, _ = ward_index(WARDS)
    written = "".join(punctuation) + name.upper().replace(" ", " " + "".join(punctuation) + " ") + "".join(punctuation)
    assert index.match(written) == index.match(name) is not None


def test_spellings_fold_and_to_ampersand_case_and_punctuation():
    assert spelling("Ancoats & Beswick") == spelling("ancoats and beswick") == "ancoats-and-beswick"
    assert spelling("St. John's") == spelling("st johns") == "st-johns"


def test_the_wards_are_in_order_of_name_with_their_page_addresses(index):
    assert [(w.code, w.name, w.slug) for w in index.wards.values()] == [
        ("E05011350", "Ancoats & Beswick", "ancoats-and-beswick"),
        ("E05011368", "Hulme", "hulme"),
        ("E05011372", "Moss Side", "moss-side"),
    ]


def test_an_other_name_that_names_another_ward_or_the_whole_area_is_an_error():
    frame = wards_frame(
        [
            ("E05011372", "Moss Side", ["Hulme", "Alexandra Park"]),
            ("E05011368", "Hulme", ["Alexandra  park", "All wards", "---"]),
        ]
    )
    index, problems = ward_index(frame)
    assert [str(p) for p in problems] == [
        "wards.csv:2: other_names: 'Hulme' also names E05011368 Hulme (line 3): a spelling may name one ward only",
        "wards.csv:3: other_names: 'Alexandra  park' also names E05011372 Moss Side (line 2): a spelling may name "
        "one ward only",
        "wards.csv:3: other_names: 'All wards' is a word for the whole area (All, All wards, Citywide, City-wide, "
        "Whole city, All of the city, Whole area): it cannot name one ward",
        "wards.csv:3: other_names: '---' has no letters or digits: it names no ward",
    ]
    assert [p.severity for p in problems] == ["error", "error", "error", WARNING]
    assert index.match("Hulme") == "E05011368"  # its own name wins
    assert index.match("Alexandra Park") == "E05011372"


def test_a_ward_called_by_a_word_for_the_whole_area_is_an_error():
    _, problems = ward_index(wards_frame([("E05011372", "Moss Side", []), ("E05011368", "City wide", [])]))
    assert [str(p) for p in problems] == [
        "wards.csv:3: name: 'City wide' is a word for the whole area (All, All wards, Citywide, City-wide, Whole city, "
        "All of the city, Whole area): a ward cannot be called that"
    ]


def test_a_value_that_names_no_ward_is_a_warning_naming_its_file_rows_and_column(index):
    contracts = pd.DataFrame(
        {
            "contract_id": ["A", "B", "C", "D"],
            "wards": [("Moss Side", "Mos Side"), ("Hulme",), ("mos side", "Nowhere"), ()],
            "_line": [2, 3, 5, 6],
        }
    )
    found = unmatched_problems(served(contracts, index))
    assert [str(p) for p in found] == [
        "contracts.csv:2: wards: 'Mos Side' matches no ward of wards.csv by code, name or other name, nor a word for "
        "the whole area such as All: the contract is listed under no ward for it. Correct it, or add it to the ward's "
        "other_names",
        "contracts.csv:5: wards: 'mos side' matches no ward of wards.csv by code, name or other name, nor a word for "
        "the whole area such as All: the contract is listed under no ward for it. Correct it, or add it to the ward's "
        "other_names",
        "contracts.csv:5: wards: 'Nowhere' matches no ward of wards.csv by code, name or other name, nor a word for "
        "the whole area such as All: the contract is listed under no ward for it. Correct it, or add it to the ward's "
        "other_names",
    ]
    assert {p.severity for p in found} == {WARNING}


def test_a_value_on_many_rows_is_one_warning_naming_the_others():
    contracts = pd.DataFrame(
        {"contract_id": [f"C{n}" for n in range(14)], "wards": [("Nowhere",)] * 14, "_line": list(range(2, 16))}
    )
    (found,) = unmatched_problems(served(contracts, ward_index(WARDS)[0]))
    assert found.line == 2
    assert found.message.endswith("(also on rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 3 more)")


def test_the_loader_warns_of_each_value_that_names_no_ward(tmp_path, contract):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    (data / "wards.csv").write_text(WARDS_CSV, encoding="utf-8")
    edit_csv(data / "contracts.csv", "Cheetham; Harpurhey", "E05011356; Harpurhey")  # a code, and a ward not listed
    edit_csv(data / "contracts.csv", ",Hulme,", ",hulme; Moss-Side; Mos Side,")
    dataset = load_dataset(data, contract)
    assert dataset.errors == []
    assert [str(p) for p in dataset.problems if p.file == "contracts.csv" and p.column == "wards"] == [
        "contracts.csv:2: wards: 'Harpurhey' matches no ward of wards.csv by code, name or other name, nor a word "
        "for the whole area such as All: the contract is listed under no ward for it. Correct it, or add it to the "
        "ward's other_names",
        "contracts.csv:4: wards: 'Mos Side' matches no ward of wards.csv by code, name or other name, nor a word "
        "for the whole area such as All: the contract is listed under no ward for it. Correct it, or add it to the "
        "ward's other_names",
    ]
    assert dataset.boundaries is None  # no wards.geojson: no map, and nothing wrong


def test_without_wards_csv_no_value_is_a_warning(contract):
    dataset = load_dataset(SMALL, contract)
    assert [p for p in dataset.problems if p.column == "wards"] == []
    assert "wards" in dataset.absent


def test_the_sample_s_wards_all_match_and_ancoats_and_beswick_is_ancoats_beswick(contract):
    dataset = load_dataset(SAMPLE, contract)
    assert [str(p) for p in dataset.problems if p.column == "wards" or p.file.startswith("wards")] == []
    index, _ = ward_index(dataset.tables["wards"])
    assert len(index) == 32
    assert index.match("Ancoats and Beswick") == index.match("Ancoats & Beswick") == "E05011350"
    found = served(dataset.tables["contracts"], index)
    assert found["ward_code"].notna().all()
    assert set(found["ward_code"]) - {EVERYWHERE} <= set(index.wards)


# --- what serves each ward --------------------------------------------------------------------------


CONTRACTS = pd.DataFrame(
    {
        "contract_id": ["A", "B", "C", "D", "E"],
        "wards": [
            ("Moss Side", "Hulme"),
            ("E05011372", "moss side"),  # the same ward twice: counted once
            ("All",),
            (),
            ("Hulme", "Nowhere"),
        ],
        "_line": [2, 3, 4, 5, 6],
    }
)
SUMMARY = pd.DataFrame(
    {
        "contract_id": ["A", "B", "C", "D", "E"],
        "value_gbp": [100.0, 20.5, 1000.0, 7.0, 3.0],
        "commitments": [3, 2, 1, 0, 4],
        "assessed": [2, 2, 1, 0, 0],
        "on_track": [1, 2, 0, 0, 0],
        "overdue_returns": [1, 0, 0, 0, 2],
    }
)


def test_each_ward_has_its_contracts_once_and_the_whole_area_its_own(index):
    assert areas.contracts_by_ward(CONTRACTS, index) == {
        "E05011350": [],
        "E05011368": ["A", "E"],
        "E05011372": ["A", "B"],
        EVERYWHERE: ["C"],
    }
    assert areas.without_wards(CONTRACTS) == ["D"]


def test_ward_totals_add_up_the_contracts_serving_each_ward(index):
    totals = areas.ward_totals(index, areas.contracts_by_ward(CONTRACTS, index), SUMMARY)
    assert records.records(totals) == [
        {
            "ward_code": "E05011350",
            "name": "Ancoats & Beswick",
            "slug": "ancoats-and-beswick",
            "contracts": 0,
            "value_gbp": 0.0,
            "commitments": 0,
            "assessed": 0,
            "on_track": 0,
            "overdue_returns": 0,
        },
        {
            "ward_code": "E05011368",
            "name": "Hulme",
            "slug": "hulme",
            "contracts": 2,
            "value_gbp": 103.0,
            "commitments": 7,
            "assessed": 2,
            "on_track": 1,
            "overdue_returns": 3,
        },
        {
            "ward_code": "E05011372",
            "name": "Moss Side",
            "slug": "moss-side",
            "contracts": 2,
            "value_gbp": 120.5,
            "commitments": 5,
            "assessed": 4,
            "on_track": 3,
            "overdue_returns": 1,
        },
        {
            "ward_code": EVERYWHERE,
            "name": None,
            "slug": "whole-area",
            "contracts": 1,
            "value_gbp": 1000.0,
            "commitments": 1,
            "assessed": 1,
            "on_track": 0,
            "overdue_returns": 0,
        },
    ]


def test_a_contract_s_ward_links_name_each_ward_once_and_keep_what_names_none(index):
    assert areas.ward_links(("Moss Side", "E05011372", "All", "Nowhere", "Nowhere"), index) == (
        {"written": "Moss Side", "code": "E05011372", "name": "Moss Side", "slug": "moss-side"},
        {"written": "All", "code": EVERYWHERE, "name": None, "slug": "whole-area"},
        {"written": "Nowhere", "code": None, "name": None, "slug": None},
        {"written": "Nowhere", "code": None, "name": None, "slug": None},
    )
    assert areas.ward_links((), index) == ()


def test_delivery_in_a_ward_is_the_measure_totals_of_its_contracts():
    progress = pd.DataFrame(
        {
            "contract_id": ["A", "B", "C"],
            "priority": ["Jobs", "Jobs", "Jobs"],
            "measure_id": ["M1", "M1", "M1"],
            "measure_title": ["Local people hired"] * 3,
            "unit": ["FTE"] * 3,
            "direction": ["increase"] * 3,
            "aggregation": ["sum"] * 3,
            "proxy_value_gbp": [None] * 3,
            "proxy_source": [None] * 3,
            "status": ["Good", "Inadequate", "Good"],
            "target": [10.0, 4.0, 100.0],
            "delivered_to_date": [6.0, 1.5, 90.0],
            "expected_to_date": [5.0, 4.0, 80.0],
        }
    )
    found = areas.delivery(progress, ["A", "B"])
    assert found[["measure_id", "commitments", "target", "delivered_to_date", "on_track", "assessed"]].to_dict(
        "records"
    ) == [
        {"measure_id": "M1", "commitments": 2, "target": 14.0, "delivered_to_date": 7.5, "on_track": 1, "assessed": 2}
    ]


# --- the boundary file ------------------------------------------------------------------------------


@pytest.fixture
def boundary_folder(tmp_path):
    """A data folder with the sample's boundaries and attribution (read from data/, the repository's copy)."""
    shutil.copy(SAMPLE / BOUNDARY_FILE, tmp_path / BOUNDARY_FILE)
    shutil.copy(SAMPLE / ATTRIBUTION_FILE, tmp_path / ATTRIBUTION_FILE)
    return tmp_path


def sample_wards(*codes: str) -> pd.DataFrame:
    return pd.DataFrame({"ward_code": list(codes), "name": list(codes)})


def test_the_sample_boundaries_give_every_ward_a_shape_and_the_attribution(boundary_folder):
    wards = pd.read_csv(SAMPLE / "wards.csv", dtype=str)
    found, problems = read_boundaries(boundary_folder, wards)
    assert problems == []
    assert list(found.shapes) == list(wards["ward_code"])
    assert {g["type"] for shapes in found.shapes.values() for g in shapes} == {"Polygon"}
    assert found.attribution == "Contains National Statistics and OS data © Crown copyright and database right 2023"


def test_no_boundary_file_is_no_map_and_no_problem(tmp_path):
    assert read_boundaries(tmp_path, sample_wards("E05011372")) == (None, [])


def test_boundaries_without_wards_are_not_used(boundary_folder):
    found, problems = read_boundaries(boundary_folder, None)
    assert found is None
    assert [str(p) for p in problems] == [
        "wards.geojson: is not used: the map of the wards matches each boundary to a ward of wards.csv, which has none"
    ]


def test_features_of_other_wards_and_wards_without_a_boundary_are_warnings(boundary_folder):
    found, problems = read_boundaries(boundary_folder, sample_wards("E05011372", "E05011368", "E05999999"))
    assert list(found.shapes) == ["E05011372", "E05011368"]
    assert found.without == ("E05999999",)
    assert [str(p) for p in problems] == [
        "wards.geojson: 30 features have no ward code of wards.csv among their properties (features[0], features[1], "
        "features[2], features[3], features[4] and 25 more): left off the map",
        "wards.geojson: has no boundary for 1 ward of wards.csv (E05999999): the map leaves it out",
    ]
    assert all(p.severity == WARNING for p in problems)


def write_geojson(folder, features) -> None:
    (folder / BOUNDARY_FILE).write_text(json.dumps({"type": "FeatureCollection", "features": features}))


SQUARE = [[[-2.3, 53.4], [-2.2, 53.4], [-2.2, 53.5], [-2.3, 53.5], [-2.3, 53.4]]]


def test_a_feature_that_cannot_be_drawn_is_left_off_the_map_with_a_warning(boundary_folder):
    write_geojson(
        boundary_folder,
        [
            {
                "type": "Feature",
                "properties": {"WD23CD": "E05011372"},
                "geometry": {"type": "Polygon", "coordinates": SQUARE},
            },
            {
                "type": "Feature",
                "properties": {"code": "E05011368"},
                "geometry": {"type": "Point", "coordinates": [0, 0]},
            },
            {
                "type": "Feature",
                "properties": {"c": "E05011350"},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0]]]},
            },
            "not a feature",
        ],
    )
    found, problems = read_boundaries(boundary_folder, sample_wards("E05011372", "E05011368", "E05011350"))
    assert list(found.shapes) == ["E05011372"]
    assert [str(p) for p in problems] == [
        "wards.geojson: features[1]: (ward E05011368): its geometry is a Point, not a Polygon or MultiPolygon: "
        "left off the map",
        "wards.geojson: features[2]: (ward E05011350): its coordinates are not rings of at least four "
        "[longitude, latitude] positions: left off the map",
        "wards.geojson: features[3]: is not a GeoJSON Feature: left off the map",
        "wards.geojson: has no boundary for 2 wards of wards.csv (E05011368 and E05011350): the map leaves them out",
    ]


NOT_A_COLLECTION = (
    'wards.geojson: is not a GeoJSON FeatureCollection: it needs "type": "FeatureCollection" and a list of features'
)


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"type": "FeatureCollection",\n "features": [}',
            "wards.geojson:2: is not valid JSON: Expecting value (column 15)",
        ),
        (
            '{"type": "FeatureCollection", "features": [NaN]}',
            "wards.geojson: is not valid JSON: NaN is not a number JSON allows",
        ),
        (
            '{"type": "Feature"}',
            NOT_A_COLLECTION,
        ),
        (
            "[1, 2]",
            NOT_A_COLLECTION,
        ),
    ],
)
def test_a_boundary_file_that_cannot_be_read_is_an_error(boundary_folder, content, message):
    (boundary_folder / BOUNDARY_FILE).write_text(content)
    found, problems = read_boundaries(boundary_folder, sample_wards("E05011372"))
    assert found is None
    assert [str(p) for p in problems] == [message]
    assert problems[0].is_error


def test_a_missing_attribution_is_a_warning_and_a_broken_one_an_error(boundary_folder):
    wards = sample_wards("E05011372")
    (boundary_folder / ATTRIBUTION_FILE).unlink()
    found, problems = read_boundaries(boundary_folder, wards)
    assert found.attribution is None
    assert [(p.file, p.severity) for p in problems[-1:]] == [(ATTRIBUTION_FILE, WARNING)]
    assert "is missing: the licence of ward boundaries usually asks for a line" in problems[-1].message
    (boundary_folder / ATTRIBUTION_FILE).write_text("Contains OS data\n© Crown copyright\x07\n")
    _, problems = read_boundaries(boundary_folder, wards)
    assert str(problems[-1]) == (
        "wards-attribution.txt: has the invisible control character U+0007 (character 35), which a web page cannot "
        "show: delete it"
    )
    assert problems[-1].is_error
    (boundary_folder / ATTRIBUTION_FILE).write_text("  Contains OS data\n  © Crown copyright 2023\n")
    found, _ = read_boundaries(boundary_folder, wards)
    assert found.attribution == "Contains OS data © Crown copyright 2023"  # one line


# --- the map's geometry -------------------------------------------------------------------------------


ANTICLOCKWISE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # RFC 7946's winding of an outer ring
CLOCKWISE = ANTICLOCKWISE[::-1]


def test_rings_are_rewound_outer_clockwise_holes_anticlockwise_as_vega_draws_them():
    assert maps.rewound({"type": "Polygon", "coordinates": [ANTICLOCKWISE, CLOCKWISE]}) == {
        "type": "Polygon",
        "coordinates": [CLOCKWISE, ANTICLOCKWISE],
    }
    assert maps.rewound({"type": "MultiPolygon", "coordinates": [[CLOCKWISE], [ANTICLOCKWISE]]}) == {
        "type": "MultiPolygon",
        "coordinates": [[CLOCKWISE], [CLOCKWISE]],
    }


def test_the_map_shades_each_ward_with_a_boundary(boundary_folder):
    from svportal.charts import ChartTable

    found, _ = read_boundaries(boundary_folder, sample_wards("E05011372", "E05011368"))
    chart = maps.ward_map(
        "chart-wards",
        "Contracts naming each ward",
        "From 1 to 5.",
        [("E05011372", 5), ("E05011368", 1), ("E05999999", 2)],
        found.shapes,
        "Contracts naming the ward",
        ChartTable(["Ward", "Contracts"], [["Moss Side", 5], ["Hulme", 1]]),
        "wards.csv",
    )
    values = chart.spec["data"]["values"]
    assert [(f["properties"]["code"], f["properties"]["value"]) for f in values] == [
        ("E05011372", 5.0),
        ("E05011368", 1.0),
    ]
    assert chart.spec["mark"]["type"] == "geoshape"
    assert chart.spec["projection"] == {"type": "mercator"}
    assert chart.csv_path == "charts/wards.csv"
