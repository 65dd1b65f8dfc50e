"""Tables that read at every width: every body cell but a row's first labelled with its column's heading, the
key column marked
(svportal.tables.label_cells and the table macro of theme/templates/_macros.html)."""

from __future__ import annotations

import jinja2
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from conftest import ROOT
from svportal.tables import TableMarkupError, breakable, heading_text, label_cells

HEAD = ["Measure", {"text": "Target", "numeric": True}, "Status"]


def test_each_cell_but_the_rows_heading_gets_its_columns_heading_and_the_key_column_its_class():
    rows = Markup(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Jobs</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">12</td><td class="govuk-table__cell">Good</td></tr>'
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Carbon</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td><td class="govuk-table__cell">Late</td></tr>'
    )
    assert label_cells(rows, HEAD, 2) == Markup(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Jobs</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Target">12</td>'
        '<td class="govuk-table__cell app-table__key" data-label="Status">Good</td></tr>'
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Carbon</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Target">3</td>'
        '<td class="govuk-table__cell app-table__key" data-label="Status">Late</td></tr>'
    )


def test_a_spanning_cell_takes_its_first_columns_heading_and_moves_the_next_along():
    rows = '<tr><td colspan="2">Both</td><td>Third</td></tr><tr><td>1</td><td>2</td><td>3</td></tr>'
    assert label_cells(rows, HEAD, 1) == (
        '<tr><td colspan="2">Both</td><td data-label="Status">Third</td></tr>'
        '<tr><td>1</td><td class="app-table__key" data-label="Target">2</td>'
        '<td data-label="Status">3</td></tr>'
    )


def test_an_own_label_is_kept_and_a_class_in_single_quotes_is_extended():
    rows = "<tr><td data-label='Own'>a</td><td class='x' data-sort=\"2\">b</td><td>c</td><td>beyond the head</td></tr>"
    assert label_cells(rows, HEAD, 1) == (
        "<tr><td data-label='Own'>a</td><td class='x app-table__key' data-sort=\"2\" data-label=\"Target\">b</td>"
        '<td data-label="Status">c</td><td>beyond the head</td></tr>'
    )


def test_no_key_column_marks_nothing():
    assert label_cells("<tr><td>a</td><td>b</td></tr>", ["A", "B"]) == '<tr><td>a</td><td data-label="B">b</td></tr>'


def test_a_heading_may_give_a_shorter_label_for_its_cells():
    head = ["Quarter", {"text": "Expected to date (target shared over time) (people)", "label": " Expected\n (people)"}]
    labelled = label_cells("<tr><th>Q1</th><td>3</td></tr>", head)
    assert labelled == '<tr><th>Q1</th><td data-label="Expected (people)">3</td></tr>'


def test_headings_are_plain_text_in_the_attribute():
    head = ["Row", 'Share "of" <value> & more', Markup("<abbr>FTE</abbr> &amp; jobs"), {"text": "  Two\n words "}, None]
    assert [heading_text(h) for h in head] == ["Row", 'Share "of" <value> & more', "FTE & jobs", "Two words", ""]
    assert label_cells("<tr><td>0</td><td>1</td><td>2</td><td>3</td><td>4</td></tr>", head) == (
        '<tr><td>0</td><td data-label="Share &#34;of&#34; &lt;value&gt; &amp; more">1</td>'
        '<td data-label="FTE &amp; jobs">2</td><td data-label="Two words">3</td><td>4</td></tr>'
    )


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        ("<tr><td><table><tr><td>x</td></tr></table></td></tr>", "<table"),
        ('<tr><td rowspan="2">x</td></tr>', "rowspan="),
    ],
)
def test_rows_it_cannot_count_columns_of_are_refused(rows, found):
    with pytest.raises(TableMarkupError) as error:
        label_cells(rows, HEAD)
    assert str(error.value) == f"table rows with {found!r}: label_cells can only label rows of plain cells"


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@given(
    head=st.lists(TEXT, min_size=1, max_size=5),
    rows=st.lists(st.lists(st.tuples(TEXT, st.integers(1, 2)), min_size=1, max_size=5), max_size=4),
    key=st.integers(0, 5),
)
def test_any_escaped_text_keeps_its_cells_and_each_is_labelled_by_its_column(head, rows, key):
    html = Markup("").join(
        Markup("<tr>")
        + Markup("").join(
            Markup('<td class="govuk-table__cell" colspan="{}">{}</td>').format(span, text) for text, span in row
        )
        + Markup("</tr>")
        for row in rows
    )
    labelled = BeautifulSoup(f"<table>{label_cells(html, head, key)}</table>", "html.parser")
    original = BeautifulSoup(f"<table>{html}</table>", "html.parser")
    assert [td.get_text() for td in labelled.find_all("td")] == [td.get_text() for td in original.find_all("td")]
    for tr, row in zip(labelled.find_all("tr"), rows, strict=True):
        column = 0
        for td, (_, span) in zip(tr.find_all("td"), row, strict=True):
            expected = " ".join(head[column].split()) if 0 < column < len(head) else ""
            assert td.get("data-label", "") == expected
            assert ("app-table__key" in td["class"]) == (column == key)
            column += span


@pytest.fixture(scope="module")
def macros():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "theme" / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["label_cells"] = label_cells
    return env


def test_the_table_macro_labels_its_own_rows_and_marks_the_last_column_by_default(macros):
    html = macros.from_string(
        '{% from "_macros.html" import table %}'
        '{{ table("Datasets", ["Dataset", {"text": "Rows", "numeric": True}, "Download"],'
        ' rows=[["Contracts & <b>", 64, "CSV"]]) }}'
    ).render()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.table["class"] == ["govuk-table", "app-table"]
    assert [th.get("class") for th in soup.thead.find_all("th")] == [
        ["govuk-table__header"],
        ["govuk-table__header", "govuk-table__header--numeric"],
        ["govuk-table__header", "app-table__key"],
    ]
    cells = soup.tbody.find_all("td")
    assert [(td.get_text(), td.get("data-label"), td["class"]) for td in cells] == [
        ("Contracts & <b>", None, ["govuk-table__cell"]),
        ("64", "Rows", ["govuk-table__cell", "govuk-table__cell--numeric"]),
        ("CSV", "Download", ["govuk-table__cell", "app-table__key"]),
    ]


def test_the_table_macro_labels_the_callers_rows_and_takes_a_key_column(macros):
    html = macros.from_string(
        '{% from "_macros.html" import table %}'
        '{% call table("Open", ["Opportunity", "Route", "Closing date", "Suitable for"], key_column=2) %}'
        '<tr class="govuk-table__row"><td class="govuk-table__cell"><a href="x">Grants</a></td>'
        '<td class="govuk-table__cell">Grant</td><td class="govuk-table__cell">1 Dec</td>'
        '<td class="govuk-table__cell">VCSE</td></tr>'
        "{% endcall %}"
    ).render()
    soup = BeautifulSoup(html, "html.parser")
    assert [th.get_text() for th in soup.thead.select(".app-table__key")] == ["Closing date"]
    assert [(td.get("data-label"), "app-table__key" in td["class"]) for td in soup.tbody.find_all("td")] == [
        (None, False),
        ("Route", False),
        ("Closing date", True),
        ("Suitable for", False),
    ]
    assert str(soup.tbody.a) == '<a href="x">Grants</a>'


def test_breakable_lets_a_long_name_or_address_wrap_between_its_parts():
    assert breakable("beneficiary_location_code_type") == Markup("beneficiary_<wbr>location_<wbr>code_<wbr>type")
    assert breakable("e.g. https://example.org/id/x <b>") == Markup(
        "e.g. https://<wbr>example.<wbr>org/<wbr>id/<wbr>x &lt;b&gt;"
    )
    assert breakable("short_name") == Markup("short_name")  # a short token is left whole
    assert breakable(None) == Markup("")


@given(st.text())
def test_breakable_keeps_the_text_and_escapes_it(text):
    marked = breakable(text)
    assert BeautifulSoup(str(marked).replace("<wbr>", ""), "html.parser").get_text() == text
