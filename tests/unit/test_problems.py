"""The report staff read: one line per problem, at most SHOWN_PER_COLUMN per file and column, then a count."""

from hypothesis import given
from hypothesis import strategies as st

from svportal.problems import SHOWN_PER_COLUMN, WARNING, DataError, Problem, report


def problem(line: int, column: str | None = "start_date", file: str = "contracts.csv") -> Problem:
    return Problem(file, line, column, f"'x{line}' is not a date")


def test_a_short_report_lists_every_problem_then_a_summary():
    assert report([problem(3), problem(2, "title", "measures.csv")]).splitlines() == [
        "contracts.csv:3: start_date: 'x3' is not a date",
        "measures.csv:2: title: 'x2' is not a date",
        "2 problems in contracts.csv, measures.csv; nothing was published.",
    ]


def test_a_long_report_stops_after_twenty_lines_per_file_and_column_and_counts_the_rest():
    problems = [problem(line) for line in range(2, 200_002)] + [problem(line, "title") for line in range(2, 30)]
    problems += [problem(7, None), problem(5, "title", "outcomes.csv")]
    lines = report(problems).splitlines()
    assert lines[0] == "contracts.csv:2: start_date: 'x2' is not a date"
    assert len([line for line in lines if ": start_date: " in line]) == SHOWN_PER_COLUMN == 20
    assert len([line for line in lines if ": title: " in line]) == 21  # 20 of contracts.csv, 1 of outcomes.csv
    assert "contracts.csv:7: 'x7' is not a date" in lines
    assert lines[-3:] == [
        "... and 199,980 more problems in contracts.csv column start_date",
        "... and 8 more problems in contracts.csv column title",
        "200,030 problems in contracts.csv, outcomes.csv; nothing was published.",
    ]
    assert len(lines) == 20 + 20 + 1 + 1 + 2 + 1


def test_one_problem_left_out_is_one_problem():
    lines = report([problem(line) for line in range(2, 2 + SHOWN_PER_COLUMN + 1)]).splitlines()
    assert lines[-2] == "... and 1 more problem in contracts.csv column start_date"


def test_a_data_error_keeps_every_error_but_reports_in_short():
    problems = [problem(line) for line in range(2, 1002)] + [Problem("contracts.csv", 2, "x", "note", severity=WARNING)]
    error = DataError(problems)
    assert len(error.problems) == 1000
    assert len(str(error).splitlines()) == SHOWN_PER_COLUMN + 2
    assert str(error).endswith("1,000 problems in contracts.csv; nothing was published.")


groups = st.dictionaries(
    st.tuples(st.sampled_from(["a.csv", "b.csv"]), st.sampled_from([None, "id", "title", "date"])),
    st.integers(min_value=0, max_value=60),
)


@given(groups, st.integers(min_value=1, max_value=30))
def test_shown_and_left_out_always_add_up(counts, per_column):
    problems = [
        Problem(file, line, column, "wrong") for (file, column), n in counts.items() for line in range(2, 2 + n)
    ]
    lines = report(problems, per_column).splitlines()
    shown = [line for line in lines[:-1] if not line.startswith("... and ")]
    left_out = [int(line.split()[2].replace(",", "")) for line in lines if line.startswith("... and ")]
    assert len(shown) + sum(left_out) == len(problems)
    assert lines[-1].startswith(f"{len(problems):,} problem")
    for (file, column), n in counts.items():
        in_column = (lambda line, c=column: f": {c}: " in line) if column else (lambda line: line.count(": ") == 1)
        mine = [line for line in shown if line.startswith(file + ":") and in_column(line)]
        assert len(mine) == min(n, per_column)
