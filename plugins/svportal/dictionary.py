"""The data dictionary for publishers, as Markdown, generated from the data contract.

``docs/data-dictionary.md`` is this module's output for ``data/datapackage.json``; ``make dictionary``
rewrites it and ``tests/unit/test_dictionary.py`` fails when the committed file differs, so the two
cannot drift. Everything here is pure: ``describe`` turns the contract into plain facts (one
``TableFacts`` per file, one ``ColumnFacts`` per column) and ``render`` writes them as Markdown; the
same contract always gives the same text.

    PYTHONPATH=plugins python -m svportal.dictionary --output docs/data-dictionary.md
    PYTHONPATH=plugins python -m svportal.dictionary --output docs/data-dictionary.md --check
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .schema import DataContract, Field, Table, read_contract

ROOT = Path(__file__).resolve().parent.parent.parent
CONTRACT = ROOT / "data" / "datapackage.json"
OUTPUT = ROOT / "docs" / "data-dictionary.md"
GUIDE = "publishing-data.md"  # the hand-written companion, beside the output
REGENERATE = "make dictionary"


@dataclass(frozen=True)
class ColumnFacts:
    """What a publisher needs to know about one column, in words."""

    name: str
    type: str  # in words: "text", "date", "money (pounds)", ...
    required: str  # "yes", "no" or "when stage is open"
    form: str  # how to write a value: format, pattern in words, allowed values, range
    allowed: tuple[str, ...]  # the allowed values, when the column has a list of them
    limits: str  # size, one line or line breaks, list sizes, page addresses
    description: str


@dataclass(frozen=True)
class TableFacts:
    name: str
    title: str
    filename: str
    required: bool
    row: str  # what one row is: the table's description
    primary_key: tuple[str, ...]
    foreign_keys: tuple[str, ...]  # each in words
    columns: tuple[ColumnFacts, ...]


# --- facts ----------------------------------------------------------------------------------------


def _code(text: str) -> str:
    return f"`{text}`"


def _join(words: list[str], last: str = "or") -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def _number(value: float | int) -> str:
    """``20000`` -> ``20,000``; ``0.5`` -> ``0.5``."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _is_percent(f: Field) -> bool:
    return f.type in ("number", "integer") and f.descriptor.get("bareNumber") is False and not f.currency


def type_in_words(f: Field) -> str:
    if f.type == "string":
        if f.descriptor.get("format") == "email":
            return "email address"
        if f.descriptor.get("format") == "uri":
            return "web address"
        if "enum" in f.constraints:
            return "code"
        return "Markdown text" if f.markdown else "text"
    if f.type == "number":
        if f.currency:
            return "money (pounds)"
        return "number (per cent)" if _is_percent(f) else "number"
    if f.type == "integer":
        return "whole number"
    if f.type == "boolean":
        return "yes/no"
    if f.type == "list":
        return "list"
    if f.time_optional:
        return "date, or date and time"
    if f.type == "datetime":
        return "date and time"
    return f.type


def _boolean_pairs(f: Field) -> str:
    """``yes/no, y/n, true/false or 1/0``, from the column's true and false values (any case)."""
    seen_true, seen_false = [], []
    for value in f.descriptor.get("trueValues", ()):
        if value.lower() not in seen_true:
            seen_true.append(value.lower())
    for value in f.descriptor.get("falseValues", ()):
        if value.lower() not in seen_false:
            seen_false.append(value.lower())
    pairs = [f"{_code(t)}/{_code(n)}" for t, n in zip(seen_true, seen_false, strict=False)]
    return _join(pairs) + ", in any case"


def form_in_words(f: Field) -> str:
    """How a value is written: its format or pattern in words, its allowed values and its range."""
    constraints = f.constraints
    parts = []
    if f.type == "date":
        parts.append(
            f"{_code('YYYY-MM-DD')} or {_code('DD/MM/YYYY')}; a date and time such as "
            f"{_code('2020-10-22T00:00:00+01:00')} gives its date as written"
        )
    elif f.type == "datetime":
        parts.append(
            (f"a date, {_code('YYYY-MM-DD')} or {_code('DD/MM/YYYY')} (the whole day), or " if f.time_optional else "")
            + f"a date and time such as {_code('2026-12-01T12:00:00Z')} or {_code('2026-06-01T17:30+01:00')}, "
            "kept with its offset (without one: UK time)"
        )
    elif f.type in ("number", "integer"):
        if f.currency:
            parts.append(f"{_code('1234.50')}, {_code('1,234')} or {_code('£1,234.50')}")
        elif _is_percent(f):
            parts.append(f"{_code('25')} or {_code('25%')}")
        else:
            parts.append(f"a number such as {_code('12')} or {_code('12.5')}, without {_code(',')} or {_code('£')}")
    elif f.type == "boolean":
        parts.append(_boolean_pairs(f) + "; blank means not known")
    elif f.type == "list":
        parts.append(f"items separated by {_code(f.descriptor.get('delimiter', ';'))}")
    if f.descriptor.get("format") == "email":
        parts.append(
            "an email address such as `name@example.org`: one `@`, a dot after it, and no spaces, "
            "quotes, brackets or `/ , ; : ? # %`"
        )
    elif f.descriptor.get("format") == "uri":
        parts.append(
            "starts `https://` (or `http://`); no spaces, quotes, `<`, `>`, backticks, `\\`, `^`, `{`, `}`, "
            "`|`, `[`, `]`, second `#`, or `%` that does not start an escape such as `%20`"
        )
    elif f.org_id_name:
        parts.append(
            f"SCHEME-ID, with a scheme of org-id.guide: such as {_code('GB-COH-01234567')}, "
            f"{_code('GB-CHC-1123456')} or {_code('GB-LAE-MAN')}; the ids of UK schemes are checked "
            f"(GB-COH: 8 characters such as {_code('01234567')} or {_code('SC123456')}); blank: known by "
            f"{_code(f.org_id_name)}"
        )
    elif "patternDescription" in f.descriptor:
        parts.append(f.descriptor["patternDescription"])
    elif "pattern" in constraints:
        parts.append(f"matches the pattern {_code(constraints['pattern'])}")
    if "enum" in constraints:
        labels = f.labels
        parts.append(
            "one of "
            + _join([_code(v) + (f" ({labels[v]})" if v in labels else "") for v in constraints["enum"]])
            + " (any case)"
        )
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        parts.append(f"from {_number(low)} to {_number(high)}")
    elif low is not None:
        parts.append(f"{_number(low)} or more")
    elif high is not None:
        parts.append(f"{_number(high)} or less")
    if f.descriptor.get("notBefore"):
        parts.append(f"not before {_code(f.descriptor['notBefore'])}")
    if f.descriptor.get("notBelow"):
        parts.append(f"not below {_code(f.descriptor['notBelow'])}")
    if constraints.get("unique"):
        parts.append("unique: each value once in the file")
    return "; ".join(parts)


def _page_address_in_words(f: Field) -> str:
    address = f.page_address
    what = "each item" if f.type == "list" else "the value"
    kind = "page" if address.path.endswith("/") else "file"
    slug = address.path.replace("{slug}", "<slug>")
    text = (
        f"{what} makes the {kind} address {_code(slug)}, where the slug (its letters and digits, "
        f"lower case, joined by `-`) is at most {address.max_length:,} characters"
    )
    if address.reserved:
        reserved = _join([_code(r) for r in sorted(address.reserved)])
        text += f"; the slug may not be {reserved}, which the site uses for {address.used_for or 'its own pages'}"
    if f.descriptor.get("slugUnique"):
        text += "; two values may not differ only by punctuation or case"
    return text


def limits_in_words(f: Field) -> str:
    parts = []
    if f.type in ("string", "list"):
        parts.append("line breaks and tabs allowed" if f.multiline else "one line")
    if f.max_length is not None:
        parts.append(f"at most {f.max_length:,} characters")
    if f.max_items is not None:
        parts.append(f"at most {f.max_items:,} items")
    if f.item_max_length is not None:
        parts.append(f"each item at most {f.item_max_length:,} characters")
    if f.page_address:
        parts.append(_page_address_in_words(f))
    elif f.descriptor.get("slugUnique"):
        parts.append("two values may not differ only by punctuation or case")
    return "; ".join(parts)


def required_in_words(f: Field) -> str:
    if f.required:
        return "yes"
    when = f.descriptor.get("requiredWhen", {})
    if when:
        return "when " + _join([f"{_code(column)} is {_code(value)}" for column, value in when.items()], "and")
    if f.descriptor.get("requiredWith"):
        return f"when {_code(f.descriptor['requiredWith'])} is given"
    return "no"


def column_facts(f: Field) -> ColumnFacts:
    return ColumnFacts(
        name=f.name,
        type=type_in_words(f),
        required=required_in_words(f),
        form=form_in_words(f),
        allowed=tuple(f.constraints.get("enum", ())),
        limits=limits_in_words(f),
        description=f.description,
    )


def _foreign_key_in_words(
    contract: DataContract, own: tuple[str, ...], resource: str, reference: tuple[str, ...]
) -> str:
    other = next((t for t in contract.tables if t.name == resource), None)
    filename = _code(other.filename if other else resource)
    if len(own) == 1:
        return f"each {_code(own[0])} must be listed in {filename} (its {_code(reference[0])} column)"
    columns = "(" + ", ".join(_code(c) for c in own) + ")"
    refs = _join([_code(c) for c in reference], "and")
    return f"each {columns} must be a row of {filename} (its {refs} columns)"


def table_facts(contract: DataContract, table: Table) -> TableFacts:
    return TableFacts(
        name=table.name,
        title=table.title,
        filename=table.filename,
        required=table.required,
        row=table.descriptor.get("description", ""),
        primary_key=table.primary_key,
        foreign_keys=tuple(
            _foreign_key_in_words(contract, fk.fields, fk.resource, fk.reference_fields) for fk in table.foreign_keys
        ),
        columns=tuple(column_facts(f) for f in table.fields),
    )


def describe(contract: DataContract) -> tuple[TableFacts, ...]:
    """Every table of the contract, in its order, as facts in words."""
    return tuple(table_facts(contract, t) for t in contract.tables)


# --- Markdown -------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text for a Markdown table cell: pipes escaped, outside code too; no raw HTML; one line."""
    out, in_code = [], False
    for ch in " ".join(text.split()):
        if ch == "`":
            in_code = not in_code
        if ch == "|":
            out.append("\\|")
        elif ch in "<>" and not in_code:
            out.append("&lt;" if ch == "<" else "&gt;")
        else:
            out.append(ch)
    return "".join(out)


def _anchor(table: TableFacts) -> str:
    """GitHub's heading anchor for ``## file.csv: Title``."""
    heading = f"{table.filename}: {table.title}".lower()
    kept = "".join(ch for ch in heading if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _key_in_words(key: tuple[str, ...]) -> str:
    if not key:
        return "none"
    if len(key) == 1:
        return f"{_code(key[0])}: each value once"
    return "(" + ", ".join(_code(c) for c in key) + "): each combination once"


def render(
    contract: DataContract, source: str = "data/datapackage.json", source_link: str = "../data/datapackage.json"
) -> str:
    """The data dictionary as Markdown. ``source`` names the contract; ``source_link`` is a link to it."""
    tables = describe(contract)
    lines = [
        f"<!-- Generated from {source} by `{REGENERATE}` (svportal.dictionary). Do not edit: "
        f"change the contract, then run `{REGENERATE}`. -->",
        "",
        "# Data dictionary",
        "",
        f"This file is generated from [`{source}`]({source_link}), the portal's data contract, by "
        f"`{REGENERATE}`, and a test fails when the two differ: change the contract, never this file. "
        f"How to prepare the files, the rules across them and a worked example are in "
        f"[Publishing data]({GUIDE}). The site's own page `/data/dictionary/` describes the same "
        f"columns as the site publishes them again for download.",
        "",
    ]
    description = contract.descriptor.get("description", "")
    if description:
        lines += [description, ""]
    lines += [
        "## The files",
        "",
        "Each file is a CSV file in `data/` (or the folder given as `DATADIR`), with one header row of "
        "the column names below. A required file must be there; an optional file may be left out, and "
        "that part of the site is then empty.",
        "",
        "| file | required or optional | one row is | primary key |",
        "|---|---|---|---|",
    ]
    for t in tables:
        lines.append(
            f"| [{_code(t.filename)}](#{_anchor(t)}) | {'required' if t.required else 'optional'} "
            f"| {_cell(t.row)} | {_cell(_key_in_words(t.primary_key))} |"
        )
    lines.append("")
    for t in tables:
        lines += _render_table(t)
    lines += _render_added_columns(contract)
    return "\n".join(lines).rstrip("\n") + "\n"


def _render_table(t: TableFacts) -> list[str]:
    lines = [
        f"## {t.filename}: {t.title}",
        "",
        f"- **File**: {_code(t.filename)}, "
        + (
            "required: the site is not built without it."
            if t.required
            else "optional: when it is absent, that part of the site is empty."
        ),
        f"- **One row is**: {t.row}" if t.row else "- **One row is**: (not described)",
        f"- **Primary key**: {_key_in_words(t.primary_key)}.",
    ]
    if t.foreign_keys:
        lines.append("- **Foreign keys**: " + "; ".join(t.foreign_keys) + ".")
    else:
        lines.append("- **Foreign keys**: none.")
    lines += [
        "",
        "| column | type | required | how to write it | limits | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for c in t.columns:
        lines.append(
            f"| {_code(c.name)} | {_cell(c.type)} | {_cell(c.required)} | {_cell(c.form) or '–'} "
            f"| {_cell(c.limits) or '–'} | {_cell(c.description)} |"
        )
    lines.append("")
    return lines


def _render_added_columns(contract: DataContract) -> list[str]:
    extra = contract.descriptor.get("extraFields")
    if not extra:
        return []
    f = contract.tables[0].extra_field("(added)")
    name_limit = contract.tables[0].column_name_max_length
    rules = [limits_in_words(f)]
    if name_limit:
        rules.append(f"the column name at most {name_limit:,} characters")
    return [
        "## Columns you add",
        "",
        "Any file may have columns that are not listed above. They are not checked against a type, "
        "are kept as text in the downloads, and are reported once as a warning (so that a misspelt "
        "column name is noticed).",
        "",
        f"- **Meaning**: {extra.get('description', '')}",
        f"- **Limits**: {'; '.join(rules)}.",
        "",
    ]


# --- command line ---------------------------------------------------------------------------------


def _posix_relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m svportal.dictionary", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--contract", type=Path, default=CONTRACT, help="the data package (default: data/datapackage.json)"
    )
    parser.add_argument("--output", type=Path, help="write the Markdown here (default: standard output)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if --output is out of date")
    args = parser.parse_args(argv)
    contract = read_contract(args.contract)
    if args.output is None:
        sys.stdout.write(
            render(
                contract,
                source=_posix_relative(args.contract, ROOT),
                source_link=_posix_relative(args.contract, Path.cwd()),
            )
        )
        return 0
    text = render(
        contract,
        source=_posix_relative(args.contract, ROOT),
        source_link=_posix_relative(args.contract, args.output.parent),
    )
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != text:
            print(f"{args.output} is not what {args.contract} gives: run `{REGENERATE}` and commit it", file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.output}")
    else:
        print(f"{args.output} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
