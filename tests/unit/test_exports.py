"""CSV downloads: no text cell reaches a spreadsheet as a formula; the JSON keeps the exact text.

And the registry of written paths: no file of a build silently replaces another.
"""

import csv
import io
import json
from typing import ClassVar

import pandas as pd
import pytest

from svportal import exports
from svportal.charts import Chart, ChartTable
from svportal.generators import PathWrittenTwice, WrittenPaths, written_paths

HYPERLINK = '=HYPERLINK("http://evil.example","click")'
DDE = "+cmd|' /C calc'!A0"


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


@pytest.mark.parametrize(
    "text",
    [
        HYPERLINK,
        DDE,
        "-5 people",
        "@SUM(A1:A9)",
        "\tindented",
        "\rreturn",
        "\nnew line",
        "-",
        "\uff1dHYPERLINK()",
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",  # full-width ＝ ＋ － ＠
        "  =1+1",
        "\u00a0+1",
        "\u3000@x",  # after leading spaces (no-break and ideographic spaces too)
    ],
)
def test_text_that_could_start_a_formula_is_prefixed(text):
    assert exports.neutralise_formula(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    [
        "Homecare in North Manchester",
        "a = b",
        "1+1",
        "e-mail",
        "user@example.org",
        "'=already text",
        "",
        " ",
        "£1,234",
        "2026-10-15",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert exports.neutralise_formula(text) == text


@pytest.mark.parametrize(
    "value, expected",
    [
        (-12.5, "-12.5"),
        (-3, "-3"),
        (-3.0, "-3"),
        (pd.NA, ""),
        (None, ""),
        (float("nan"), ""),
        (True, "true"),
        (False, "false"),
        (pd.Timestamp("2026-10-15"), "2026-10-15"),
        (pd.NaT, ""),
        (("=cmd", "Harpurhey"), "'=cmd;Harpurhey"),  # a list is text
        ("-12.5", "'-12.5"),  # text, even if it reads as a number
    ],
)
def test_typed_values_are_never_prefixed_and_text_always_checked(value, expected):
    assert exports.csv_text(value) == expected


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": pd.Series([HYPERLINK, "-5 people", "Plain, with a comma", 'Say "hi"'], dtype=object),
            "delivered": [-12.5, 3.0, float("nan"), 0.25],
            "count": pd.array([-4, 2, None, 1], dtype="Int64"),
            "verified": pd.array([True, False, None, True], dtype="boolean"),
            "period_end": pd.to_datetime(["2026-09-30", None, "2026-06-30", "2026-03-31"]),
            "wards": [("=cmd", "Harpurhey"), ("Cheetham", "Harpurhey"), (), ("All",)],
        }
    )


def test_to_csv_neutralises_text_cells_and_keeps_numbers_dates_and_booleans():
    table = read_csv(exports.to_csv(hostile_frame()))
    assert table[0] == ["title", "delivered", "count", "verified", "period_end", "wards"]
    assert table[1] == ["'" + HYPERLINK, "-12.5", "-4", "true", "2026-09-30", "'=cmd;Harpurhey"]
    assert table[2] == ["'-5 people", "3", "2", "false", "", "Cheetham;Harpurhey"]
    assert table[3] == ["Plain, with a comma", "", "", "", "2026-06-30", ""]
    assert table[4] == ['Say "hi"', "0.25", "1", "true", "2026-03-31", "All"]


def test_csv_quoting_stays_correct_after_the_prefix():
    content = exports.to_csv(hostile_frame()).decode("utf-8")
    assert content.splitlines()[1].startswith('"\'=HYPERLINK(""http://evil.example"",""click"")",-12.5,-4,')
    # ';' and tab split cells in some spreadsheets: a cell holding them is quoted whole
    assert '"Cheetham;Harpurhey"' in content and ",-12.5," in content
    assert exports.csv_bytes(["a"], [["x\ty"], [None]]) == b'a\n"x\ty"\n""\n'


def test_header_cells_are_text_too():
    frame = pd.DataFrame({"=added by staff": ["x"], "ok": ["y"]})
    assert read_csv(exports.to_csv(frame))[0] == ["'=added by staff", "ok"]


def test_json_keeps_the_exact_text():
    records = json.loads(exports.to_json(hostile_frame()))
    assert records[0]["title"] == HYPERLINK
    assert records[1]["title"] == "-5 people"
    assert records[0]["wards"] == ["=cmd", "Harpurhey"]
    assert records[0]["delivered"] == -12.5 and records[0]["count"] == -4


def test_chart_csv_is_written_by_the_same_function():
    chart = Chart(
        "chart-x",
        "Caption",
        "Summary.",
        {},
        ChartTable(["Priority", "=Share (%)"], [['=HYPERLINK("x")', -1.5], ["@Community", None], ["Plain", 50.0]]),
        csv_name="x.csv",
    )
    assert read_csv(chart.csv_bytes()) == [
        ["Priority", "'=Share (%)"],
        ['\'=HYPERLINK("x")', "-1.5"],
        ["'@Community", ""],
        ["Plain", "50"],
    ]


def test_chart_data_has_a_folder_of_its_own():
    chart = Chart("chart-contract", "Caption", "Summary.", {}, ChartTable(["a"], []), csv_name="contract.csv")
    assert chart.csv_path == "charts/contract.csv"


def test_data_package_says_what_the_csv_files_do():
    class Contract:
        descriptor: ClassVar[dict] = {"name": "x", "title": "X", "description": "Tables. Dates are whatever."}

    package = json.loads(
        exports.data_package(
            Contract(), [], "Open Government Licence v3.0", "https://l.example", "Council", pd.Timestamp("2026-11-23")
        )
    )
    assert "prefixed with an apostrophe" in package["description"]
    assert "JSON files keep the exact text" in package["description"]


# --- the registry of written paths --------------------------------------------------------


def test_a_second_write_to_a_path_is_refused_naming_both_sources():
    written = WrittenPaths()
    written.claim("contracts/x/contract.csv", "the record of contract X")
    written.claim("contracts/x/charts/contract.csv", "the chart of measure 'contract' of contract X")
    with pytest.raises(PathWrittenTwice) as refused:
        written.claim("contracts/x/contract.csv", "the chart of measure 'contract' of contract X")
    assert str(refused.value) == (
        "contracts/x/contract.csv is written twice: by the record of contract X "
        "and by the chart of measure 'contract' of contract X"
    )
    assert len(written) == 2


@pytest.mark.parametrize("again", ["contracts//x/./contract.csv", "contracts/X/Contract.csv"])
def test_paths_that_name_the_same_file_are_the_same_path(again):
    written = WrittenPaths()
    written.claim("contracts/x/contract.csv", "the first")
    assert again in written
    with pytest.raises(PathWrittenTwice, match=r"written twice: by the first \(as contracts/x/contract.csv\) and by"):
        written.claim(again, "the second")


def test_each_run_has_its_own_registry_shared_by_its_generators():
    run, next_run = {}, {}
    written_paths(run).claim("index.html", "the home page")
    assert "index.html" in written_paths(run)  # the other generator of the same run sees it
    assert "index.html" not in written_paths(next_run)


# --- what the JSON and CSV files hold for missing values, whole numbers and empty tables ----------


def test_json_has_null_for_every_missing_value_and_whole_numbers_as_integers():
    records = json.loads(exports.to_json(hostile_frame()))
    assert records[2] == {"title": "Plain, with a comma", "delivered": None, "count": None, "verified": None,
                          "period_end": "2026-06-30", "wards": []}  # fmt: skip
    assert records[1]["period_end"] is None
    assert records[1]["delivered"] == 3 and isinstance(records[1]["delivered"], int)
    assert records[3]["delivered"] == 0.25 and records[1]["verified"] is False


def test_an_empty_table_is_a_header_in_csv_and_an_empty_array_in_json():
    frame = pd.DataFrame({"contract_id": pd.Series([], dtype=object), "value_gbp": pd.Series([], dtype=float)})
    assert exports.to_csv(frame) == b"contract_id,value_gbp\n"
    assert json.loads(exports.to_json(frame)) == []


def test_labels_follow_the_tables_own_columns_and_the_line_number_is_dropped():
    from svportal.load import LINE

    tables = {
        "contracts": pd.DataFrame({"contract_id": ["C1"], "title": ["Homecare"], "supplier_name": ["Northside"]}),
        "measures": pd.DataFrame(
            {"measure_id": ["M1"], "title": ["Hires"], "priority": ["Jobs"], "unit": ["FTE"], "direction": ["increase"]}
        ),
    }
    commitments = pd.DataFrame({"contract_id": ["C1"], "measure_id": ["M1"], "target": [30.0], LINE: [2]})
    labelled = exports.with_labels("commitments", commitments, tables)
    labels = [column for column, _, _ in exports.LABELS["commitments"]]
    assert list(labelled.columns) == ["contract_id", "measure_id", "target", *labels]
    assert labelled.iloc[0].to_dict() == {"contract_id": "C1", "measure_id": "M1", "target": 30.0,
                                          "contract_title": "Homecare", "supplier_name": "Northside",
                                          "measure_title": "Hires", "priority": "Jobs", "unit": "FTE"}  # fmt: skip
    assert list(exports.with_labels("measures", tables["measures"], tables).columns) == list(tables["measures"].columns)


# --- a table converted once, its rows written per page (exports.TableFiles) -----------------------

MIXED = pd.DataFrame(
    {
        "contract_id": ["A", "B", "A", "C"],
        "title": ["=SUM(1)", 'Say "hi", twice', None, "Café; bar"],
        "value": [1.0, 2.5, float("nan"), 4.0],
        "start": pd.to_datetime(["2024-04-01", None, "2025-01-31", "2026-03-31"]),
        "wards": [("Moss Side", "Hulme"), (), ("Ardwick",), ()],
        "flag": [True, False, True, pd.NA],
    }
)


def test_table_files_give_the_bytes_of_to_csv_and_to_json_for_any_rows():
    files = exports.TableFiles(MIXED)
    assert files.csv() == exports.to_csv(MIXED)
    assert files.json() == exports.to_json(MIXED)
    for positions in ([0, 2], [1], [], [3, 0]):
        part = MIXED.iloc[positions].reset_index(drop=True)
        assert files.csv(positions) == exports.to_csv(part)
        assert files.json(positions) == exports.to_json(part)
    assert files.positions_of("contract_id") == {"A": [0, 2], "B": [1], "C": [3]}


def test_json_downloads_are_compact_one_record_a_line_and_exact():
    text = exports.to_json(MIXED).decode("utf-8")
    assert text.startswith('[{"contract_id":"A","title":"=SUM(1)","value":1,"start":"2024-04-01"')
    assert text.count("\n") == len(MIXED)  # one record a line, and the last line's end
    records = json.loads(text)
    assert records[1] == {
        "contract_id": "B",
        "title": 'Say "hi", twice',
        "value": 2.5,
        "start": None,
        "wards": [],
        "flag": False,
    }
    assert records[2]["value"] is None and records[0]["wards"] == ["Moss Side", "Hulme"]
    assert exports.to_json(MIXED.iloc[0:0]) == b"[]\n"
