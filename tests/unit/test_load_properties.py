"""Property tests: whatever staff type into a cell, the loader reports it or reads it, never crashes."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SMALL
from svportal.load import load_table

COLUMNS = ["value_gbp", "start_date", "supplier_vcse", "sv_weighting_pct", "notice_url", "supplier_size", "title"]
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=20)


def contracts_with(column: str, value: str, quoting: int = csv.QUOTE_MINIMAL) -> str:
    """The small contracts.csv with one cell changed.

    ``csv.QUOTE_ALL`` quotes every cell, so a lone CR stays in its cell.
    """
    rows = list(csv.reader(io.StringIO((SMALL / "contracts.csv").read_text(encoding="utf-8"))))
    position = rows[0].index(column)
    rows[2][position] = value  # the second record: spreadsheet row 3
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=quoting).writerows(rows)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(COLUMNS), value=cells)
def test_any_cell_is_read_or_reported_at_its_row(tmp_path, contract, column, value):
    path = tmp_path / "contracts.csv"
    path.write_text(contracts_with(column, value), encoding="utf-8")
    frame, problems = load_table(path, contract.table("contracts"))
    errors = [p for p in problems if p.is_error]
    assert frame is not None
    assert len(frame) == 3  # nothing is dropped
    for problem in errors:
        assert (problem.line, problem.column) == (3, column), str(problem)
    if not errors and value.strip():
        read = frame.loc[1, column]
        assert read is not None and str(read) != "nan"


one_line_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=20
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    column=st.sampled_from(["contract_id", "title", "buyer_name", "supplier_name", "notice_url", "wards"]),
    before=one_line_text,
    bad=st.sampled_from(["\n", "\r", "\r\n", "\u2028", "\x07", "\x1b", "\x7f", "\x9b", "\t"]),
    after=one_line_text,
)
def test_a_line_break_or_control_character_in_a_one_line_cell_is_one_problem_at_its_row(
    tmp_path, contract, column, before, bad, after
):
    path = tmp_path / "contracts.csv"
    path.write_text(
        contracts_with(column, "x" + before + bad + after + "x", csv.QUOTE_ALL), encoding="utf-8", newline=""
    )
    frame, problems = load_table(path, contract.table("contracts"))
    errors = [p for p in problems if p.is_error]
    assert frame is not None and len(frame) == 3
    assert [(p.line, p.column) for p in errors] == [(3, column)], [str(p) for p in errors]
    assert "\n" not in str(errors[0]) and "\r" not in str(errors[0])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    column=st.sampled_from(["contract_id", "title", "description", "notice_url", "buyer_id"]),
    extra=st.integers(min_value=1, max_value=5000),
)
def test_a_cell_over_its_column_s_limit_is_one_problem_naming_the_limit(tmp_path, contract, column, extra):
    limit = contract.table("contracts").field(column).max_length
    path = tmp_path / "contracts.csv"
    path.write_text(contracts_with(column, "https://" + "w" * (limit + extra - 8)), encoding="utf-8")
    _, problems = load_table(path, contract.table("contracts"))
    assert [str(p).split("' ", 1)[1] for p in problems if p.is_error] == [
        f"is {limit + extra:,} characters long: the limit for this column is {limit:,}"
    ]
