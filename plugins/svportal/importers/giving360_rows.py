"""360Giving grants as rows of the grants table, with every value the table has no home for reported.

Each column of the table that has a 360Giving column title (its ``standard`` property in the data
contract, read by :func:`..threesixtygiving.column_titles`) takes the value of that title; nothing else
decides where a value goes. For each grant:

* a value whose title no column has (Recipient Org:Street Address, Beneficiary Location:Latitude, a
  second recipient in JSON...) goes into the loss report, with its column title or JSON path;
* a value that cannot be the column's type (an amount in words, a month without its day) is left out with
  a warning, and goes into the loss report with the reason;
* a grant without one of the table's required values (Identifier, Title, Amount Awarded, Award Date,
  Recipient Org:Name, Funding Org:Name), or with an Identifier already read, is skipped with the reason;
* then the rows are checked the way the build checks grants.csv (svportal.load): a value the build would
  refuse is left out (warning and loss report), or the grant skipped if the value is required.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..load import FIRST_DATA_LINE, load_table
from ..schema import Table
from ..threesixtygiving import column_titles, title_key
from .datafiles import csv_bytes, number_text
from .giving360_read import Source
from .giving360_values import cell_text, is_blank
from .report import ImportReport

NO_HOME = "the portal has no column for it"
CHECKS = 3  # how many times the rows are checked as the build checks them


@dataclass
class GrantRow:
    record: str  # the grant's place in the source, for skips: "grants.csv line 14"
    row: dict[str, str]  # column -> cell text, every column the import owns
    sources: dict[str, str]  # column -> the path its value came from (a column title or a JSON path)


def grant_rows(source: Source, table: Table, report: ImportReport) -> list[GrantRow]:
    """The source's grants as rows of ``table`` (in source order); skips, warnings and losses go to ``report``."""
    titles = column_titles(table)
    homes = {title_key(title): column for column, title in titles.items()}
    fields = {f.name: f for f in table.fields}
    key = table.primary_key[0]
    first_place: dict[str, str] = {}
    rows = []
    for value in source.package:
        report.lose(
            "(the package)", value.path, plain(value.value), "the portal keeps grants, not the file's own details"
        )
    for grant in source.grants:
        record = f"{source.name} {grant.place}"
        if grant.problem:
            report.skip(record, f"the grant {grant.problem}")
            continue
        row = {column: "" for column in titles}
        sources: dict[str, str] = {}
        losses, warnings, unusable = [], [], {}
        for value in grant.values:
            column = homes.get(title_key(value.title)) if value.title else None
            if column is None:
                if not is_blank(value.value):
                    losses.append((value.path, value.value, NO_HOME))
                continue
            text, why = cell_text(value.value, fields[column])
            if why:
                unusable[column] = why
                warnings.append((value.path, f"{shown(value.value)} {why}: left out"))
                losses.append((value.path, value.value, f"not kept: it {why}"))
            elif text:
                row[column], sources[column] = text, value.path
        grant_id = row[key]
        named = f"{record} ({grant_id})" if grant_id else record
        missing = [column for column in titles if fields[column].required and not row[column]]
        if missing:
            column = missing[0]
            why = f"{titles[column]} {unusable[column]}" if column in unusable else f"no {titles[column]}"
            report.skip(named, why)
            continue
        if grant_id in first_place:
            report.skip(named, f"the Identifier is used again (first at {first_place[grant_id]})")
            continue
        first_place[grant_id] = grant.place
        for path, value, why in losses:
            report.lose(grant_id, path, plain(value), why)
        for path, message in warnings:
            report.warn(grant_id, path, message)
        rows.append(GrantRow(named, row, sources))
    return rows


def checked_rows(rows: list[GrantRow], table: Table, report: ImportReport) -> list[GrantRow]:
    """The rows the build would load without an error: a refused optional value is left out (warning and
    loss report), a grant with a refused required value skipped. Checked again after leaving values out, as
    that can matter to another rule; a grant the third check still refuses is skipped."""
    for attempt in range(CHECKS):
        problems = _load_errors(rows, table)
        if not problems:
            return rows
        kept = []
        for number, row in enumerate(rows):
            found = problems.get(number, [])
            refused = [p for p in found if p.column in _required(table) or attempt == CHECKS - 1]
            if refused:
                title = _title(table, refused[0].column)
                report.skip(row.record, f"{title} {_without_value(refused[0].message)}")
                continue
            for problem in found:
                column = problem.column
                if row.row.get(column):
                    value, path = row.row[column], row.sources.get(column, _title(table, column))
                    report.warn(row.row[table.primary_key[0]], path, f"{problem.message}: left out")
                    report.lose(row.row[table.primary_key[0]], path, value, f"not kept: {problem.message}")
                    row.row[column] = ""
            kept.append(row)
        rows = kept
    return rows


def _load_errors(rows: list[GrantRow], table: Table) -> dict[int, list]:
    """The loader's errors for ``rows`` written as grants.csv, by row number (0 for the first row)."""
    header = list(table.field_names)
    with tempfile.TemporaryDirectory(prefix="svportal-360giving-") as folder:
        path = Path(folder) / table.filename
        path.write_bytes(csv_bytes(header, [row.row for row in rows]))
        _, problems = load_table(path, table)
    found: dict[int, list] = {}
    for problem in problems:
        if problem.is_error and problem.line is not None and problem.line >= FIRST_DATA_LINE:
            found.setdefault(problem.line - FIRST_DATA_LINE, []).append(problem)
    return found


def _required(table: Table) -> set[str]:
    return {f.name for f in table.fields if f.required} | set(table.primary_key)


def _title(table: Table, column: str | None) -> str:
    return column_titles(table).get(column or "", column or "a value")


def _without_value(message: str) -> str:
    """A loader message without the quoted value it starts with, so that skips of one kind group together."""
    if message.startswith("'") and "' " in message[1:]:
        rest = message[message.index("' ", 1) + 2 :]
        if rest.startswith(("is ", "has ", "does ", "would ")):
            return rest
    return message


def shown(value) -> str:
    """A value quoted for a warning, cut at 60 characters."""
    text = value if isinstance(value, str) else str(plain(value))
    text = " ".join(text.split())
    return f"'{text if len(text) <= 60 else text[:57] + '...'}'"


def plain(value):
    """A source value as plain JSON-able Python (Decimal numbers as numbers, dates as ISO text)."""
    if isinstance(value, Decimal):
        text = number_text(value) if value.is_finite() else str(value)
        return int(text) if text.lstrip("-").isdigit() else float(text) if value.is_finite() else text
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
