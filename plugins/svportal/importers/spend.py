"""``python -m svportal.importers spend --data DIR SOURCE`` (``make import-spend``): the payments a council
publishes under the Local Government Transparency Code (spend over £500, in the LGA spend schema) into the
data folder's payments.csv.

SOURCE is a CSV file, a zip of them, or a folder of either (monthly files): :mod:`.spend_read` finds them
and their columns, :mod:`.spend_values` reads their cells. Each line of a file becomes one row of the
``payments`` table, identified by the file's name and the line (``source``, ``source_line``): transaction
numbers repeat within real files, so they cannot identify a payment. Payments belong to their file:
importing a file again replaces all of its rows (those of other files are kept as they are), and importing
the same files again changes no byte.

* A payee name that is a redaction (``REDACTED``, ``Redacted personal data``...) is a payment to an
  individual (or a name withheld for another reason): the row has ``redacted`` yes, and its name, other
  identifier and VAT number are left blank, so that nothing names or identifies the person.
* ``NA``, ``N/A``, ``NULL`` and ``-`` are blanks.
* An amount or a date that cannot be read, a cell longer than the contract allows, or a line with more
  cells than the header stops the import: every such problem is listed as ``FILE:LINE: COLUMN: why`` and
  nothing is written (exit code 1).

What each file added, replaced, left unchanged and removed, its credit notes and redactions, warnings, and
the file's columns the portal has no column for (the loss report, one row per column) are printed and
written to DIR/import-reports/spend-report.txt and spend-loss-report.csv.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..schema import SchemaError, Table, read_contract
from .datafiles import CONTRACT, DataFileError, Merged, write_atomically
from .report import ImportReport
from .spend_read import SourceError, SpendFile, find_files, read_table
from .spend_read import Table as SourceTable
from .spend_values import CellError, amount_text, clean_text, date_text, is_blank_marker, is_redaction

TABLE = "payments"
REPORT_STEM = "spend"
STANDARD = "LGA spend"
KEY = ("source", "source_line")
MONEY = ("amount_gbp", "irrecoverable_vat_gbp")
DATES = ("effective_date", "payment_date")
IDENTIFYING = ("beneficiary_name", "beneficiary_other_id", "vat_number")  # blank when the payee is withheld
MAX_PROBLEMS = 20  # shown per import; all are counted


class BadInput(Exception):
    """Cells of the source that cannot be imported: ``problems`` lists them, one line each."""

    def __init__(self, problems: list[str], total: int):
        super().__init__(f"{total:,} problem{'s' if total != 1 else ''} in the spend files; nothing was written")
        self.problems = problems
        self.total = total


@dataclass
class FileResult:
    """One spend file's payments, column by column in the table's order, and its counts."""

    source: str
    columns: list[list[str]] = field(default_factory=list)  # the cells of each column of the table, row by row
    count: int = 0  # payments
    credit_notes: int = 0
    credit_total: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    redacted: int = 0
    unnamed: list[int] = field(default_factory=list)  # lines with no payee name that is not a redaction
    blanked: Counter = field(default_factory=Counter)  # column -> cells written NA, N/A... and left blank
    cleaned: Counter = field(default_factory=Counter)  # column -> cells that had control characters removed
    first_date: str | None = None
    last_date: str | None = None


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        report = import_spend(args.source, args.data, args.contract)
    except BadInput as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if exc.total > len(exc.problems):
            print(f"... and {exc.total - len(exc.problems):,} more", file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (SourceError, DataFileError, SchemaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def import_spend(source_path: Path, data_dir: Path, contract_path: Path = CONTRACT) -> ImportReport:
    """Import the spend files of ``source_path`` into ``data_dir``; raise (SourceError, BadInput...) before
    writing anything when they cannot be imported."""
    if data_dir.exists() and not data_dir.is_dir():
        raise DataFileError(f"{data_dir}: is not a folder")
    table = read_contract(contract_path).table(TABLE)
    files, notes = find_files(source_path)
    names = Counter(f.source for f in files)
    twice = sorted(name for name, count in names.items() if count > 1)
    if twice:
        raise SourceError(f"{source_path}: two files are named {twice[0]}: a payment is known by its file's name")
    limit = table.field("source").max_length
    for name in names:
        if len(name) > limit or not name.isprintable():
            raise SourceError(
                f"{name!r}: a file's name (and its folder's, inside the folder given) is kept with each of its "
                f"payments: rename it to one line of at most {limit} characters"
            )
    report = ImportReport("Transparency Code spend", str(source_path))
    report.notes += notes
    results = read_payments(files, table, report)
    existing = read_payments_file(data_dir / table.filename, table)
    content = table_bytes(merge_payments(existing, results, table, report))
    if existing.digest != hashlib.sha256(content).hexdigest():
        write_atomically(existing.path, content)
    report.write(data_dir, REPORT_STEM)
    return report


# --- reading the source ----------------------------------------------------------------------------------


def read_payments(files: list[SpendFile], table: Table, report: ImportReport) -> list[FileResult]:
    """Every file's payments as rows; BadInput (listing every unreadable cell) if any cannot be imported."""
    titles = standard_titles(table)
    problems: list[str] = []
    results = []
    for spend_file in files:
        source = read_table(spend_file, titles)
        report.notes += source.notes
        for message in source.warnings:
            report.warn(source.source, "(the file)", message)
        _lose_unused_columns(source, report)
        result = file_payments(source, table, titles, problems)
        source.cells.clear()  # (the rows hold what is kept: a year's file is large)
        results.append(result)
    if problems:
        raise BadInput(problems[:MAX_PROBLEMS], len(problems))
    return results


def standard_titles(table: Table) -> dict[str, str]:
    """Each column of the table that has one -> its LGA spend schema title (the contract's ``standard``)."""
    return {
        f.name: f.descriptor["standard"][STANDARD] for f in table.fields if STANDARD in f.descriptor.get("standard", {})
    }


def file_payments(source: SourceTable, table: Table, titles: dict[str, str], problems: list[str]) -> FileResult:
    """The payments of one file as rows of ``table``; unreadable cells are added to ``problems``.

    Column by column: each different text of a column is read once (a year's file repeats most of them).
    """
    result = FileResult(source.source)
    names = table.field_names
    limits = {f.name: f.max_length for f in table.fields if f.max_length}
    lines = source.lines
    bad_lines: dict[int, list[str]] = {}  # position -> the problems of that line, in column order

    def problem(position: int, message: str) -> None:
        bad_lines.setdefault(position, []).append(f"{source.source}:{lines[position]}: {message}")

    for position, count in source.wide:
        problem(position, f"the line has {count} cells but the header has {len(source.header)}")
    columns: dict[str, list[str]] = {}
    for column in names:
        if column not in source.columns:
            continue
        kind = "money" if column in MONEY else "date" if column in DATES else "text"
        read = _reader(kind, limits.get(column))
        raws = source.cells[source.columns[column]]
        seen = {raw: read(raw) for raw in set(raws)}
        columns[column] = [seen[raw][0] for raw in raws]
        unusual = {raw: found for raw, found in seen.items() if found[1] is not None or found[2]}
        if unusual:
            title = titles.get(column, column)
            for position, raw in enumerate(raws):
                found = unusual.get(raw)
                if found is None:
                    continue
                _, why, flag = found
                if why is not None:
                    problem(position, f"{title}: {why}")
                elif flag == BLANKED:
                    result.blanked[column] += 1
                elif flag == CLEANED:
                    result.cleaned[column] += 1
    count = len(lines)
    amounts = columns["amount_gbp"]
    for position in range(count):
        if not amounts[position] and position not in bad_lines:
            problem(position, f"{titles['amount_gbp']}: is blank: every payment needs its amount")
    for position in sorted(bad_lines):
        problems.extend(bad_lines[position])
    if bad_lines:
        return result
    withheld = [bool(name) and is_redaction(name) for name in columns["beneficiary_name"]]
    for column in IDENTIFYING:
        if column in columns:
            columns[column] = [
                "" if value and (hidden or is_redaction(value)) else value
                for value, hidden in zip(columns[column], withheld)
            ]
    result.redacted = sum(withheld)
    result.unnamed = [
        line for line, name, hidden in zip(lines, columns["beneficiary_name"], withheld) if not name and not hidden
    ]
    columns["redacted"] = ["yes" if hidden else "no" for hidden in withheld]
    columns["source"] = [source.source] * count
    columns["source_line"] = [str(line) for line in lines]
    blank = [""] * count
    result.columns = [columns.get(column, blank) for column in names]
    result.count = count
    values = _decimals(amounts)
    result.total = sum(values, Decimal(0))
    credits = [value for value in values if value < 0]
    result.credit_notes, result.credit_total = len(credits), sum(credits, Decimal(0))
    days = sorted({day for column in DATES for day in columns.get(column, ()) if day})
    if days:
        result.first_date, result.last_date = days[0], days[-1]
    return result


BLANKED, CLEANED = 1, 2  # what reading a cell did besides reading it (a flag of _reader's results)


def _reader(kind: str, limit: int | None):
    """The function that reads one cell of a column: raw text -> (text, why it cannot be read or None, flag)."""
    parse = {"money": amount_text, "date": date_text}.get(kind)

    def read(raw: str) -> tuple[str, str | None, int]:
        text, removed = clean_text(raw)
        if not text:
            return "", None, 0
        if is_blank_marker(text):
            return "", None, BLANKED
        if parse is not None:
            try:
                return parse(text), None, 0
            except CellError as exc:
                return "", f"{_shown(text)} {exc}", 0
        if limit is not None and len(text) > limit:
            return "", f"is {len(text):,} characters long: the portal keeps at most {limit:,}", 0
        return text, None, CLEANED if removed else 0

    return read


def _decimals(amounts: list[str]) -> list[Decimal]:
    known: dict[str, Decimal] = {}
    return [known.get(a) or known.setdefault(a, Decimal(a)) for a in amounts]


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _lose_unused_columns(source: SourceTable, report: ImportReport) -> None:
    """The loss report: one row for each column of the file the portal has no column for, with how many
    lines have a value there and the first of them (never one from a line whose payee is withheld)."""
    names = source.cells[source.columns["beneficiary_name"]]
    for position, title in source.unused:
        filled = [(value.strip(), name) for value, name in zip(source.cells[position], names) if value.strip()]
        if not filled:
            continue
        example = next((value for value, name in filled if not _withheld(name)), "")
        count = f"{len(filled):,} line{'s' if len(filled) != 1 else ''} have a value"
        report.lose(source.source, title, example, f"the portal has no column for it ({count}; the first is shown)")


def _withheld(name: str) -> bool:
    """The payee name (as written in the file) is a redaction."""
    text = clean_text(name)[0]
    return bool(text) and is_redaction(text)


# --- merging into payments.csv --------------------------------------------------------------------------


@dataclass
class PaymentsFile:
    """payments.csv as it is: each row's key, payment date and CSV text."""

    path: Path
    header: list[str]  # the contract's columns, then any other the file has
    keys: list[tuple[str, str]]  # (source, source_line) of each row
    dates: list[str]  # payment_date of each row
    lines: list[str]  # the CSV text of each row's contract columns
    extra_lines: list[str] | None = None  # the CSV text of each row's other columns, when the file has others
    digest: str | None = None  # the SHA-256 of the file's bytes; None when there is no file


def read_payments_file(path: Path, table: Table) -> PaymentsFile:
    """payments.csv as it is (its columns in the contract's order, then the others), or an empty one."""
    names = table.field_names
    if not path.exists():
        return PaymentsFile(path, list(names), [], [], [])
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text (byte {exc.start}): save it as CSV UTF-8 first") from None
    del raw
    found = _as_written(text, names) or _by_columns(text, names, path)
    found.path, found.digest = path, digest
    return found


def _as_written(text: str, names: list[str]) -> PaymentsFile | None:
    """payments.csv as this import writes it (the contract's columns, one line a row), read line by line with
    each row's text kept as it is; None for any other file."""
    if "\r" in text or not text.startswith(",".join(names) + "\n"):
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    width = len(names)
    source_at, line_at, date_at = names.index("source"), names.index("source_line"), names.index("payment_date")
    keys, dates, kept = [], [], []
    for line in itertools.islice(lines, 1, None):
        if '"' in line:
            if line.count('"') % 2:
                return None  # a cell over several lines
            cells = next(csv.reader([line]))
        else:
            cells = line.split(",")
        if len(cells) != width:
            if "".join(cells).strip():
                return None
            continue
        keys.append((cells[source_at], cells[line_at]))
        dates.append(cells[date_at])
        kept.append(line)
    return PaymentsFile(Path(), list(names), keys, dates, kept)


def _by_columns(text: str, names: list[str], path: Path) -> PaymentsFile:
    """payments.csv as staff may have saved it (other columns, another order, cells over several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next((cells for cells in reader if "".join(cells).strip()), None)
    if header is None:
        return PaymentsFile(path, list(names), [], [], [])
    header = [name.strip() for name in header]
    order = [*names, *(name for name in dict.fromkeys(header) if name and name not in names)]
    at = [header.index(name) if name in header else None for name in order]
    width = len(header)
    rows = [
        cells if len(cells) == width else (cells + [""] * width)[:width] for cells in reader if "".join(cells).strip()
    ]
    columns = [[row[position] for row in rows] if position is not None else [""] * len(rows) for position in at]
    missing = [k for k in KEY if k not in header]
    if missing and rows:
        raise DataFileError(f"{path}: has no {', '.join(missing)} column, so its payments cannot be replaced")
    contract = len(names)
    source_at, line_at, date_at = names.index("source"), names.index("source_line"), names.index("payment_date")
    return PaymentsFile(
        path,
        order,
        list(zip(columns[source_at], columns[line_at])),
        columns[date_at],
        csv_lines(columns[:contract]),
        csv_lines(columns[contract:]) if len(order) > contract else None,
    )


def merge_payments(existing: PaymentsFile, results: list[FileResult], table: Table, report: ImportReport) -> list[str]:
    """The lines of payments.csv (CSV text, header first) with each imported file's rows in place of the rows
    it had, sorted by (source, line). Columns payments.csv has besides the contract's keep their values in the
    rows of other files, and in a row imported again."""
    names = table.field_names
    source_at, line_at = names.index("source"), names.index("source_line")
    replaced = {result.source for result in results}
    extra_lines = existing.extra_lines
    mine = [key[0] in replaced for key in existing.keys]
    full = _joined(existing.lines, extra_lines)
    kept = [(key, line) for key, line, own in zip(existing.keys, full, mine) if not own]
    before = {key: line for key, line, own in zip(existing.keys, existing.lines, mine) if own}
    before_extra = {key: line for key, line, own in zip(existing.keys, extra_lines or (), mine) if own}
    old_dates: dict[str, list[str]] = {}
    for key, day, own in zip(existing.keys, existing.dates, mine):
        if own and day:
            old_dates.setdefault(key[0], []).append(day)
    blank_extra = ",".join([""] * (len(existing.header) - len(names)))
    merged = Merged(TABLE)
    incoming = []
    for result in results:
        counts = Counter()
        new_keys = list(zip(result.columns[source_at], result.columns[line_at]))
        for key, line in zip(new_keys, csv_lines(result.columns)):
            previous = before.get(key)
            state = "added" if previous is None else "unchanged" if previous == line else "replaced"
            counts[state] += 1
            {"added": merged.added, "unchanged": merged.unchanged, "replaced": merged.updated}[state].append(key)
            if extra_lines is not None:
                line = f"{line},{before_extra.get(key, blank_extra)}"
            incoming.append((key, line))
        removed = sum(1 for key in before if key[0] == result.source) - counts["unchanged"] - counts["replaced"]
        _note_file(report, result, counts, removed)
        _warn_other_period(report, result, old_dates.get(result.source, []))
    report.merged[TABLE] = merged
    rows = kept + incoming
    rows.sort(key=lambda row: (row[0][0], _line_number(row[0][1])))
    return [*csv_lines([[name] for name in existing.header]), *(line for _, line in rows)]


def _joined(first: list[str], second: list[str] | None) -> list[str]:
    return first if second is None else [f"{a},{b}" for a, b in zip(first, second)]


def _line_number(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (sys.maxsize, text)


def _note_file(report: ImportReport, result: FileResult, counts: Counter, removed: int) -> None:
    payments = result.count
    line = (
        f"{result.source}: {payments:,} payment{'s' if payments != 1 else ''} ({_money(result.total)}): "
        f"{counts['added']:,} added, {counts['replaced']:,} replaced, {counts['unchanged']:,} unchanged, "
        f"{removed:,} removed; {result.credit_notes:,} credit notes ({_money(result.credit_total)}); "
        f"{result.redacted:,} to payees whose name is withheld"
    )
    if result.first_date:
        line += f"; dated {result.first_date} to {result.last_date}"
    report.notes.append(line)
    for column, count in sorted(result.blanked.items()):
        report.notes.append(f"{result.source}: {column}: {count:,} cells written NA, N/A or the like, left blank")
    for column, count in sorted(result.cleaned.items()):
        report.warn(
            result.source,
            column,
            f"{count:,} cell{'s' if count != 1 else ''} had control characters: read as the Windows-1252 characters "
            "they stand for (0x96 is a dash), or removed",
        )
    if result.unnamed:
        lines = ", ".join(map(str, result.unnamed[:10])) + (" ..." if len(result.unnamed) > 10 else "")
        report.warn(result.source, "BeneficiaryName", f"{len(result.unnamed):,} payments name no payee (lines {lines})")


def _warn_other_period(report: ImportReport, result: FileResult, old_dates: list[str]) -> None:
    """A file that replaces payments of another period (two months' files of one name?) is worth a warning."""
    if not old_dates or not result.first_date:
        return
    first, last = min(old_dates), max(old_dates)
    if last < result.first_date or first > result.last_date:
        report.warn(
            result.source,
            "(the file)",
            f"replaces payments dated {first} to {last} with payments dated {result.first_date} to "
            f"{result.last_date}: if these are different files of the same name, rename one and import both",
        )


def _money(value: Decimal) -> str:
    """``£1,234.50``, ``-£12.00``."""
    return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"


def table_bytes(lines: list[str]) -> bytes:
    """payments.csv: UTF-8, LF line ends. Empties ``lines`` (a year's payments take room enough once)."""
    lines.append("")  # the last line's end
    text = "\n".join(lines)
    lines.clear()
    return text.encode("utf-8")


def csv_lines(columns: list[list[str]]) -> list[str]:
    """The CSV lines of rows given column by column: cells joined by commas, a cell with a comma, a quote or a
    line break quoted (as ``csv.writer`` writes them, and a carriage return too). Each different value of a
    column is looked at once: four times as fast as a writer for a year's payments."""
    if not columns:
        return []
    return [",".join(cells) for cells in zip(*(_quoted(column) for column in columns))]


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _quoted(values: list[str]) -> list[str]:
    """The values of one column as CSV cells: those with a comma, a quote or a line break quoted."""
    special = {value for value in set(values) if _NEEDS_QUOTES.search(value)}
    if not special:
        return values
    quoted = {value: '"' + value.replace('"', '""') + '"' for value in special}
    return [quoted.get(value, value) for value in values]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m svportal.importers spend",
        description="Read Transparency Code spend files (CSV, a zip of them, or a folder) into payments.csv.",
    )
    parser.add_argument("--data", type=Path, required=True, help="the data folder (payments.csv is created if absent)")
    parser.add_argument(
        "--contract", type=Path, default=CONTRACT, help="the data contract (default: data/datapackage.json)"
    )
    parser.add_argument("source", type=Path, help="a spend CSV file, a zip of them, or a folder of either")
    return parser.parse_args(argv)
