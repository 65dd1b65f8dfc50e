"""Property tests: whatever staff type into a cell, the loader reports it or reads it, never crashes."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SMALL
from svportal.load import load_table

COLUMNS = ["value_gbp", "start_date", "supplier_vcse", "sv_weighting_pct", "notice_url", "supplier_size", "title"]
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=20)


def contracts_with(column: str, value: str) -> str:
    rows = list(csv.reader(io.StringIO((SMALL / "contracts.csv").read_text(encoding="utf-8"))))
    position = rows[0].index(column)
    rows[2][position] = value  # the second record: spreadsheet row 3
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
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
