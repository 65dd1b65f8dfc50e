"""Open data out: every dataset and every listing as CSV and JSON, with a data package.

Pure functions: DataFrames in, bytes and descriptors out. The published files
use plain forms (ISO dates, plain numbers, ``true``/``false``, lists joined with
``;``) so any tool, and ``frictionless validate``, reads them without help.
Every published column is kept, extra columns staff added included, and
labels people read (contract titles, measure titles) sit beside the ids.

Every CSV the portal writes goes through :func:`csv_bytes`, so no text cell
reaches a spreadsheet as a formula (see :func:`neutralise_formula`); the JSON
files keep the exact text.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterable

import pandas as pd

from . import performance
from .formatting import neutralise_formula
from .load import LINE
from .records import rows
from .schema import DataContract, Table

# Columns added beside ids so a download reads on its own: (table, column, description)
LABELS = {
    "commitments": [
        ("contract_title", "string", "Title of the contract (from contracts.csv)."),
        ("supplier_name", "string", "The contract's supplier (from contracts.csv)."),
        ("measure_title", "string", "What is measured (from measures.csv)."),
        ("priority", "string", "The social value priority the measure serves (from measures.csv)."),
        ("unit", "string", "The measure's unit (from measures.csv)."),
    ],
    "outcomes": [
        ("contract_title", "string", "Title of the contract (from contracts.csv)."),
        ("measure_title", "string", "What is measured (from measures.csv)."),
        ("unit", "string", "The measure's unit (from measures.csv)."),
    ],
    "indicator_values": [
        ("indicator_title", "string", "What the indicator measures (from indicators.csv)."),
        ("unit", "string", "The indicator's unit (from indicators.csv)."),
    ],
}

# The computed table of delivery against each commitment, published as its own dataset
PROGRESS_FIELDS = [
    ("contract_id", "string", "The contract."),
    ("contract_title", "string", "Title of the contract."),
    ("supplier_name", "string", "The contract's supplier."),
    ("measure_id", "string", "The measure."),
    ("measure_title", "string", "What is measured."),
    ("priority", "string", "The social value priority the measure serves."),
    ("unit", "string", "The measure's unit."),
    ("direction", "string", "increase or decrease (for decrease the target is a ceiling)."),
    ("aggregation", "string", "sum (returns are added up) or latest (the latest return is the level)."),
    ("target", "number", "Target over the whole contract, in the measure's unit."),
    ("due_date", "date", "When the target should be met (the contract's end date unless given)."),
    ("returns", "integer", "Number of quarterly returns up to the assessment date."),
    ("delivered_to_date", "number", "Delivered up to the assessment date, in the measure's unit."),
    ("pct_of_target", "number", "Delivered to date as a percentage of the target."),
    ("expected_to_date", "number", "The target shared out evenly over time, at the assessment date."),
    ("pct_of_expected", "number", "Delivered to date as a percentage of the amount expected."),
    ("status", "string", "Good, Approaching target, Requires improvement, Inadequate, No returns yet or Not yet due."),
    ("overdue", "boolean", "The return for the latest complete quarter has not been published."),
    ("assessed_at", "date", "The assessment date: the end of the latest complete quarter before the build."),
]


def with_labels(name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """A table with the label columns of ``LABELS`` added right after its own columns."""
    frame = frame.drop(columns=[LINE], errors="ignore")
    if name in ("commitments", "outcomes"):
        contracts = tables["contracts"][["contract_id", "title", "supplier_name"]].rename(
            columns={"title": "contract_title"}
        )
        measures = tables["measures"][["measure_id", "title", "priority", "unit"]].rename(
            columns={"title": "measure_title"}
        )
        frame = frame.merge(contracts, on="contract_id", how="left").merge(measures, on="measure_id", how="left")
    elif name == "indicator_values":
        indicators = tables["indicators"][["indicator_id", "title", "unit"]].rename(
            columns={"title": "indicator_title"}
        )
        frame = frame.merge(indicators, on="indicator_id", how="left")
    labels = [label for label, _type, _description in LABELS.get(name, ())]
    wanted = [c for c in frame.columns if c not in labels] + labels
    return frame[wanted]


def progress_table(progress: pd.DataFrame, contracts: pd.DataFrame, as_at: pd.Timestamp) -> pd.DataFrame:
    names = contracts[["contract_id", "title", "supplier_name"]].rename(columns={"title": "contract_title"})
    frame = progress.merge(names, on="contract_id", how="left").assign(assessed_at=as_at)
    return frame[[name for name, _, _ in PROGRESS_FIELDS]]


# --- file formats ------------------------------------------------------------------------


def _plain_cell(value):
    if isinstance(value, (tuple, list)):
        return ";".join(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.date) and value is not pd.NaT:  # a date, or a date-time with its offset
        return value.isoformat() if isinstance(value, datetime.datetime) else value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


# csv.writer quotes only commas, quotes and line breaks; ';' and tab also split cells in some spreadsheets
_NEEDS_QUOTES = re.compile('[",;\t\r\n]')


def csv_text(value) -> str:
    """One cell as CSV text: ISO dates, plain numbers, true/false, ;-joined lists, "" for missing.

    Typed values (numbers, negative ones included, dates, booleans) are never altered; text, and
    lists of text, goes through :func:`neutralise_formula`.
    """
    if type(value) is str:  # most cells: checked first
        return neutralise_formula(value)
    if isinstance(value, datetime.datetime) and not isinstance(value, pd.Timestamp) and value is not pd.NaT:
        return value.isoformat()
    if isinstance(value, (pd.Timestamp, datetime.date)):
        return "" if value is pd.NaT else value.strftime("%Y-%m-%d")
    value = _plain_cell(value)
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise_formula(str(value))


def _csv_field(text: str) -> str:
    """One field of a CSV line (RFC 4180), quoted when it holds a separator, a quote or a line break."""
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: Iterable) -> str:
    """One CSV line (no line end) of values, each cell by :func:`csv_text`."""
    fields = [_csv_field(csv_text(v)) for v in values]
    return '""' if fields == [""] else ",".join(fields)  # a lone empty field is not a blank line


def csv_bytes(header: Iterable, records: Iterable[Iterable]) -> bytes:
    """A CSV file (UTF-8, ``\\n`` line ends) of a header and rows of values, each cell by :func:`csv_text`.

    The one CSV writer of the portal: table downloads and chart data alike.
    """
    return ("\n".join(csv_line(values) for values in (header, *records)) + "\n").encode("utf-8")


def json_record(columns: list, row: Iterable) -> str:
    """One row as a JSON object: null for missing, ISO dates, lists as arrays, never NaN; compact."""
    record = {c: list(v) if isinstance(v, (tuple, list)) else _plain_cell(v) for c, v in zip(columns, row)}
    return json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class TableFiles:
    """A published table made into CSV lines and JSON records once, to write any of its rows as files.

    The pages of a large site each offer a few rows of the same tables (a contract's commitments, its
    returns): converting the table once and joining the lines of each page's rows costs far less than
    making each page's rows a DataFrame and converting it. ``csv(positions)`` and ``json(positions)``
    give exactly the bytes of :func:`to_csv` and :func:`to_json` of those rows.
    """

    def __init__(self, frame: pd.DataFrame):
        columns = list(frame.columns)
        plain = rows(frame)
        self.header = csv_line(columns)
        self.csv_lines = [csv_line(row) for row in plain]
        self.json_records = [json_record(columns, row) for row in plain]
        self._frame = frame
        self._positions: dict[str, dict] = {}  # column -> value -> the positions of its rows

    def __len__(self) -> int:
        return len(self.csv_lines)

    def positions_of(self, column: str) -> dict:
        """Each value of ``column`` and the positions of the rows that have it, in table order."""
        if column not in self._positions:
            found: dict = {}
            for position, value in enumerate(self._frame[column].tolist()):
                found.setdefault(value, []).append(position)
            self._positions[column] = found
        return self._positions[column]

    def csv(self, positions: Iterable[int] | None = None) -> bytes:
        chosen = self.csv_lines if positions is None else [self.csv_lines[p] for p in positions]
        return ("\n".join([self.header, *chosen]) + "\n").encode("utf-8")

    def json(self, positions: Iterable[int] | None = None) -> bytes:
        chosen = self.json_records if positions is None else [self.json_records[p] for p in positions]
        return ("[" + ",\n".join(chosen) + "]\n").encode("utf-8")


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV with ISO dates, plain numbers, true/false and ;-joined lists (UTF-8, no index)."""
    return csv_bytes(frame.columns, rows(frame))


def to_csv_by_value(frame: pd.DataFrame) -> bytes:
    """The same bytes as :func:`to_csv`, each distinct value of a column written once: for large tables whose
    columns repeat a few values (every payment, classified). Cells must be hashable (no lists)."""
    columns = []
    for name in frame.columns:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        texts = [_csv_field(csv_text(value)) for value in uniques] + [""]
        columns.append([texts[code] for code in codes.tolist()])
    header = [_csv_field(csv_text(name)) for name in frame.columns]
    lines = [",".join(header), *(",".join(cells) if cells != ("",) else '""' for cells in zip(*columns))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_json(frame: pd.DataFrame) -> bytes:
    """An array of records, one a line: null for missing, ISO dates, lists as arrays, never NaN."""
    columns = list(frame.columns)
    return ("[" + ",\n".join(json_record(columns, row) for row in rows(frame)) + "]\n").encode("utf-8")


# --- the published data package ----------------------------------------------------------

_INPUT_ONLY = (
    "bareNumber",
    "groupChar",
    "trueValues",
    "falseValues",
    "slugUnique",
    "notBefore",
    "notBelow",
    "requiredWhen",
    "requiredWith",
    "patternDescription",
    "markdown",
    "multiline",
    "pageAddress",
    "maxItems",
    "itemMaxLength",
    "orgId",
    "timeOptional",
)


def _published_field(descriptor: dict) -> dict:
    field = {k: v for k, v in descriptor.items() if k not in _INPUT_ONLY}
    constraints = dict(field.get("constraints", {}))
    constraints.pop("unique", None)  # checked on the way in; kept in primaryKey
    if constraints:
        field["constraints"] = constraints
    else:
        field.pop("constraints", None)
    if field.get("type") == "list":  # published as ;-joined text, read the same by any CSV tool
        field["type"] = "string"
        field["description"] = field.get("description", "") + " Items are separated by ';'."
    if descriptor.get("type") == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if descriptor.get("timeOptional"):  # a date in some rows, a date-time in others: no one Frictionless type
        field["type"] = "string"
        field["description"] = (
            field.get("description", "") + " Written as YYYY-MM-DD, or as YYYY-MM-DDTHH:MM:SS with the offset"
            " (e.g. 2026-12-01T12:00:00+00:00) when a time is given."
        )
    return field


def published_resource(table: Table, frame: pd.DataFrame, path_stem: str) -> dict:
    """The descriptor of one published table: its own schema, label and extra columns included."""
    known = {f.name: f for f in table.fields}
    labels = {name: (kind, text) for name, kind, text in LABELS.get(table.name, ())}
    fields = []
    for column in frame.columns:
        if column in known:
            fields.append(_published_field(known[column].descriptor))
        elif column in labels:
            fields.append({"name": column, "type": labels[column][0], "description": labels[column][1]})
        else:
            fields.append(
                {
                    "name": column,
                    "type": "string",
                    "description": "A column the publisher added; not in the data dictionary.",
                }
            )
    schema = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    keys = [fk for fk in table.descriptor["schema"].get("foreignKeys", [])]
    if keys:
        schema["foreignKeys"] = keys
    return _resource(table.name, table.title, table.descriptor.get("description", ""), path_stem, schema)


def progress_resource(path_stem: str) -> dict:
    fields = [{"name": n, "type": t, "description": d} for n, t, d in PROGRESS_FIELDS]
    for field in fields:
        if field["type"] == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
    schema = {"fields": fields, "missingValues": [""], "primaryKey": ["contract_id", "measure_id"]}
    return _resource(
        "commitment_progress",
        "Delivery against commitments",
        "Computed by the portal: what each commitment has delivered and its status at the assessment date.",
        path_stem,
        schema,
    )


def performance_resource(path_stem: str) -> dict:
    """The descriptor of /data/contract-performance.csv: each contract's KPIs rated (performance.py)."""
    fields = [{"name": n, "type": t, "description": d} for n, t, d in performance.FIELDS]
    schema = {"fields": fields, "missingValues": [""], "primaryKey": ["contract_id", "measure_id"]}
    return _resource(performance.NAME, performance.TITLE, performance.DESCRIPTION, path_stem, schema)


def _resource(name: str, title: str, description: str, path_stem: str, schema: dict) -> dict:
    return {
        "name": name,
        "title": title,
        "description": description,
        "path": f"{path_stem}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


PUBLISHED_FORMS = (
    "Dates are ISO YYYY-MM-DD; money is in pounds. In the CSV files, text that begins with =, +, - or @"
    " is prefixed with an apostrophe so that spreadsheets show it as text; the JSON files keep the exact text."
)


def published_description(descriptor: dict) -> str:
    """What the published package holds (the contract's ``publishedDescription``) and the forms its files use.

    The contract's own ``description`` speaks of the forms publishers may write (DD/MM/YYYY, £1,234.50);
    the published files use one form each, which :data:`PUBLISHED_FORMS` states.
    """
    holds = descriptor.get("publishedDescription") or descriptor.get("title", "")
    return f"{holds} {PUBLISHED_FORMS}".strip()


def data_package(
    contract: DataContract,
    resources: list[dict],
    licence_name: str,
    licence_url: str,
    publisher: str,
    build_date: pd.Timestamp,
) -> bytes:
    descriptor = {
        "name": contract.descriptor.get("name", "social-value-portal"),
        "title": contract.descriptor.get("title", ""),
        "description": published_description(contract.descriptor),
        "version": build_date.strftime("%Y-%m-%d"),
        "created": build_date.strftime("%Y-%m-%dT00:00:00Z"),
        "contributors": [{"title": publisher, "role": "publisher"}],
        "licenses": [
            {
                "name": "OGL-UK-3.0" if "Open Government" in licence_name else licence_name,
                "title": licence_name,
                "path": licence_url,
            }
        ],
        "resources": resources,
    }
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
