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


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0, problem.column or "", problem.message)


class DataError(Exception):
    """The data has errors: the site must not be built from it."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(errors(problems), key=sort_key)
        super().__init__(report(self.problems))


def report(problems: list[Problem]) -> str:
    """All problems, one per line, then a one-line summary."""
    found = sorted(problems, key=sort_key)
    files = sorted({p.file for p in found})
    lines = [str(p) for p in found]
    noun = "problem" if len(found) == 1 else "problems"
    lines.append(f"{len(found)} {noun} in {', '.join(files)}; nothing was published.")
    return "\n".join(lines)
