"""Tables that read at every width: each body cell labelled with its column's heading.

On a narrow screen (a phone, or a table in a narrow column) the theme's stylesheet shows a table's
rows as stacked blocks, one card a row, with each cell's column heading written before it (CSS
``::before { content: attr(data-label) }``; a row's first cell is its card's heading, with no label
before it); at wider widths the table is an ordinary table. The
``<table>`` and its headers stay in the markup at every width, so screen readers keep the table.

:func:`label_cells` gives each cell of a table's body rows but the first its ``data-label`` (the
heading of the column it starts in, or the shorter ``label`` a heading may give for it) and marks
the cells of the table's key column (the one that answers the question people come with: delivery
status, closing date, download) with the class ``app-table__key``. It reads the rows as the table
macro (theme/templates/_macros.html) has rendered them: HTML written by the templates, in which
every value from the data is escaped, so a ``<`` in the text can only start one of the templates'
own tags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

KEY_CLASS = "app-table__key"

TAG = re.compile(r"<(tr|td|th)(\s[^>]*)?>")
CLASS = re.compile(r"""\sclass=(["'])(.*?)\1""")
COLSPAN = re.compile(r"""\scolspan=(["']?)(\d+)\1""")
LABELLED = re.compile(r"\sdata-label=")
LONG_TOKEN = re.compile(r"\S{16,}")
BREAK_AFTER = re.compile(r"(?<=[_/.=&?])(?=\w)")
NOT_SUPPORTED = re.compile(r"<table\b|\srowspan=")


class TableMarkupError(ValueError):
    """Rows that label_cells cannot label: a table inside a table, or a cell spanning rows."""


def label_text(heading) -> str:
    """What a stacked cell says its column is: the heading's own ``label`` if it has one, else its text.

    A heading that explains itself at length ("Expected to date (target shared over time) (people)")
    may give a shorter label, written before each of its cells: on a page with many rows, most bytes.
    """
    if isinstance(heading, Mapping) and heading.get("label"):
        return " ".join(str(heading["label"]).split())
    return heading_text(heading)


def heading_text(heading) -> str:
    """A column heading as plain text: a heading is text (or Markup) or {"text": ...}."""
    text = heading.get("text", "") if isinstance(heading, Mapping) else heading
    if text is None:
        return ""
    return Markup(text).striptags() if isinstance(text, Markup) else " ".join(str(text).split())


def breakable(text) -> Markup:
    """Text (escaped) with a line-break opportunity (``<wbr>``) after each ``_ / . = & ?`` inside a
    long token: a column name such as ``beneficiary_location_code_type`` or an address, which would
    otherwise be broken mid-word in a narrow cell, wraps between its parts instead."""
    text = "" if text is None else str(text)
    out: list[str] = []
    position = 0
    for token in LONG_TOKEN.finditer(text):
        out.append(str(escape(text[position : token.start()])))
        out.append("<wbr>".join(str(escape(part)) for part in BREAK_AFTER.split(token.group(0))))
        position = token.end()
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def label_cells(rows, head: Sequence, key_column: int | None = None) -> Markup:
    """The rows (``<tr>...</tr>`` markup of a table body), each ``<td>`` and ``<th>`` but a row's first with
    ``data-label="<its column's label>"`` (see label_text) and, in the key column, the class ``app-table__key``.

    A row's first cell is its card's heading when the table is stacked, and the stylesheet writes no
    label before it (``[data-label]:not(:first-child)::before``), so it gets none: bytes no one reads.

    A cell's column is counted from the start of its row, with ``colspan``. A cell that already has
    a ``data-label`` keeps it. Raises :class:`TableMarkupError` for rows it cannot count columns of.
    """
    html = str(rows)
    unsupported = NOT_SUPPORTED.search(html)
    if unsupported:
        found = unsupported.group(0).strip()
        raise TableMarkupError(f"table rows with {found!r}: label_cells can only label rows of plain cells")
    headings = [label_text(h) for h in head]
    column = 0
    out: list[str] = []
    position = 0
    for match in TAG.finditer(html):
        out.append(html[position : match.start()])
        position = match.end()
        name, attributes = match.group(1), match.group(2) or ""
        if name == "tr":
            column = 0
            out.append(match.group(0))
            continue
        out.append(f"<{name}{cell_attributes(attributes, column, headings, key_column)}>")
        span = COLSPAN.search(attributes)
        column += max(int(span.group(2)), 1) if span else 1
    out.append(html[position:])
    return Markup("".join(out))


def cell_attributes(attributes: str, column: int, headings: list[str], key_column: int | None) -> str:
    """A cell's attributes with its label and, in the key column, the key class added."""
    if column == key_column:
        found = CLASS.search(attributes)
        if found:
            quote, classes = found.group(1), found.group(2)
            marked = f" class={quote}{classes} {KEY_CLASS}{quote}"
            attributes = attributes[: found.start()] + marked + attributes[found.end() :]
        else:
            attributes += f' class="{KEY_CLASS}"'
    if 0 < column < len(headings) and headings[column] and not LABELLED.search(attributes):
        attributes += f' data-label="{escape(headings[column])}"'
    return attributes
