"""Problems found in the data are data: one record per problem, never an exception."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth knowing) about the published data.

    ``line`` is the row number as a spreadsheet shows it: the header is line 1,
    the first record line 2. ``line`` and ``column`` are None when the problem
    is about a whole file or a whole column.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    value: str | None = None
    severity: str = ERROR

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.column:
            return f"{where}: {self.column}: {self.message}"
        return f"{where}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0, problem.column or "", problem.message)


class DataError(Exception):
    """The data has errors: the site must not be built from it."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(errors(problems), key=sort_key)
        super().__init__(report(self.problems))


SHOWN_PER_COLUMN = 20  # the report lists this many problems per file and column, then counts the rest


def shown_and_hidden(
    problems: list[Problem], per_column: int = SHOWN_PER_COLUMN
) -> tuple[list[Problem], dict[tuple[str, str], int]]:
    """The first ``per_column`` problems of each file and column (in the order given), and how many of each are left."""
    shown: list[Problem] = []
    counts: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.file, problem.column or "")
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= per_column:
            shown.append(problem)
    hidden = {key: count - per_column for key, count in counts.items() if count > per_column}
    return shown, hidden


def more_line(file: str, column: str, count: int) -> str:
    """The line that stands for the problems a report leaves out."""
    noun = "problem" if count == 1 else "problems"
    return f"... and {count:,} more {noun} in {file}" + (f" column {column}" if column else "")


def report(problems: list[Problem], per_column: int = SHOWN_PER_COLUMN) -> str:
    """The problems, one per line, at most ``per_column`` for each file and column; then a one-line summary.

    For each file and column with more, one line says how many were left out; the summary counts them all.
    """
    found = sorted(problems, key=sort_key)
    shown, hidden = shown_and_hidden(found, per_column)
    files = sorted({p.file for p in found})
    lines = [str(p) for p in shown]
    lines += [more_line(file, column, count) for (file, column), count in sorted(hidden.items())]
    noun = "problem" if len(found) == 1 else "problems"
    lines.append(f"{len(found):,} {noun} in {', '.join(files)}; nothing was published.")
    return "\n".join(lines)
