"""``make import-spend``: Transparency Code spend files into payments.csv (svportal.importers.spend).

The sample (tests/fixtures/spend) is the first 5,000 payments of Trafford Council's 2025-26 file: March
2026, 721 payments to payees whose name is "Redacted", 418 credit notes. The other files are written here.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from svportal.importers.__main__ import main as importers_main
from svportal.importers.spend import BadInput, csv_lines, import_spend, main, standard_titles
from svportal.importers.spend_read import SourceError
from svportal.load import load_dataset, load_table

SAMPLE = FIXTURES / "spend" / "trafford-spend-2025-26-sample.csv"
NAME = SAMPLE.name
HEADER = (
    "OrganisationLabel,OrganisationURI,EffectiveDate,OrganisationalUnit,BeneficiaryName,BeneficiaryOtherID,"
    "PaymentDate,TransactionNumber,Amount,IrrecoverableVATAmount,Purpose,ProclassLabel,ProclassCode,InvoiceNumber,"
    "ProfitCentre,VATRegistrationNumber"
)


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def payee(rows, name) -> tuple[int, Decimal]:
    found = [Decimal(r["amount_gbp"]) for r in rows if r["beneficiary_name"] == name]
    return len(found), sum(found, Decimal(0))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    data = tmp_path_factory.mktemp("spend") / "data"
    report = import_spend(SAMPLE, data)
    return data, report, rows_of(data / "payments.csv")


@pytest.fixture(scope="module")
def source_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8"), newline="")))


# --- the Trafford sample --------------------------------------------------------------------------------


def test_every_payment_of_the_sample_is_a_row(imported):
    _, _, rows = imported
    assert len(rows) == 5000
    assert [r["source_line"] for r in rows[:3]] == ["2", "3", "4"]
    assert rows[-1]["source_line"] == "5001"
    assert {r["source"] for r in rows} == {NAME}
    assert sum(Decimal(r["amount_gbp"]) for r in rows) == Decimal("16776300.73")


def test_the_first_payment_is_as_published(imported):
    _, _, rows = imported
    assert rows[0] == {
        "organisation_label": "Trafford Council",
        "organisation_uri": "https://opendatacommunities.org/id/metropolitan-district-council/trafford",
        "effective_date": "2026-03-31",
        "organisational_unit": "LIFT REPAIRS & MTCE",
        "beneficiary_name": "VLC (Stairlifts) Limited",
        "beneficiary_other_id": "3536",
        "payment_date": "2026-03-31",
        "transaction_number": "5100505736",
        "amount_gbp": "2850",
        "irrecoverable_vat_gbp": "0",
        "purpose": "CLIENTS LIFT REP & M - Comprehensive element 1st March",
        "proclass_label": "SOCIAL CARE : Equipment",
        "proclass_code": "321311",
        "invoice_number": "68528",
        "profit_centre": "250210",
        "vat_number": "GB812311285",
        "redacted": "no",
        "source": NAME,
        "source_line": "2",
    }
    assert rows[1]["proclass_code"] == ""  # NA in the file


def test_credit_notes_are_negative_amounts(imported):
    _, report, rows = imported
    credits = [Decimal(r["amount_gbp"]) for r in rows if Decimal(r["amount_gbp"]) < 0]
    assert len(credits) == 418
    assert sum(credits) == Decimal("-446394.08")
    assert "418 credit notes (-£446,394.08)" in report.summary()


def test_exact_totals_of_payees(imported):
    _, _, rows = imported
    assert payee(rows, "Amey LG Ltd") == (26, Decimal("1490580.41"))
    assert payee(rows, "Care Outlook Ltd") == (291, Decimal("136975.82"))
    assert payee(rows, "HMRC CUMBERNAULD") == (9, Decimal("3723197.11"))
    assert payee(rows, "Classic Care Homes (Devon)") == (95, Decimal("135866.60"))


def test_payments_to_withheld_payees_keep_nothing_that_names_them(imported, source_rows):
    _, report, rows = imported
    withheld = [r for r in rows if r["redacted"] == "yes"]
    assert len(withheld) == 721
    assert {(r["beneficiary_name"], r["beneficiary_other_id"], r["vat_number"]) for r in withheld} == {("", "", "")}
    # the file gives a VAT number with 25 of them (sole traders): it names the person, so it is not kept
    with_vat = [
        n
        for n, r in enumerate(source_rows, start=2)
        if r["BeneficiaryName"] == "Redacted" and r["VATRegistrationNumber"] != "NA"
    ]
    assert len(with_vat) == 25
    by_line = {r["source_line"]: r for r in rows}
    assert all(by_line[str(line)]["vat_number"] == "" for line in with_vat)
    assert all(by_line[str(line)]["redacted"] == "yes" for line in with_vat)
    assert sum(Decimal(r["amount_gbp"]) for r in withheld) == Decimal("1770380.42")
    assert "721 to payees whose name is withheld" in report.summary()
    assert "Redacted" not in {r["beneficiary_name"] for r in rows}


def test_the_build_reads_the_imported_payments_without_a_problem(imported, contract):
    data, _, _ = imported
    frame, problems = load_table(data / "payments.csv", contract.table("payments"))
    assert [str(p) for p in problems] == []
    assert len(frame) == 5000
    assert frame["redacted"].sum() == 721
    assert round(frame["amount_gbp"].sum(), 2) == 16776300.73


def test_the_report_counts_and_the_report_files(imported):
    data, report, _ = imported
    summary = report.summary()
    assert f"{NAME}: 5,000 payments (£16,776,300.73): 5,000 added, 0 replaced, 0 unchanged, 0 removed" in summary
    assert "dated 2026-03-24 to 2026-03-31" in summary
    assert f"{NAME}: vat_number: 3,597 cells written NA, N/A or the like, left blank" in summary
    assert f"{NAME}: proclass_code: 1,109 cells written NA, N/A or the like, left blank" in summary
    # a purpose with Windows-1252's dash as a control character (0x96): read as the dash
    assert any(w.path == "purpose" and w.message.startswith("1 cell had control characters") for w in report.warnings)
    assert (
        (data / "import-reports" / "spend-report.txt")
        .read_text(encoding="utf-8")
        .startswith("Transparency Code spend import from")
    )
    assert (data / "import-reports" / "spend-loss-report.csv").read_text(encoding="utf-8") == "record,field,value,why\n"


def test_the_dash_of_a_purpose_is_read_and_spaces_are_single(imported):
    _, _, rows = imported
    by_line = {r["source_line"]: r for r in rows}
    assert by_line["2526"]["purpose"] == "SOFTWARE (LEARNING R - MHR I-Trent core HR costs \u2013 Year 1 TMBC"
    assert by_line["86"]["beneficiary_name"] == "LifeCentre Events Ltd"  # a no-break space after it in the file


def test_importing_the_same_file_again_changes_no_byte(imported, tmp_path):
    data, _, _ = imported
    before = (data / "payments.csv").read_bytes()
    stamp = (data / "payments.csv").stat().st_mtime_ns
    report = import_spend(SAMPLE, data)
    assert (data / "payments.csv").read_bytes() == before
    assert (data / "payments.csv").stat().st_mtime_ns == stamp  # not even rewritten
    assert "0 added, 0 replaced, 5,000 unchanged, 0 removed" in report.summary()


def test_the_trafford_fixture_holds_the_sample_as_imported(imported):
    data, _, _ = imported
    assert (FIXTURES / "trafford" / "payments.csv").read_bytes() == (data / "payments.csv").read_bytes(), (
        "tests/fixtures/trafford/payments.csv is stale: import tests/fixtures/spend/ into a copy and copy it back"
    )


def test_the_trafford_fixture_is_a_valid_data_folder(contract):
    dataset = load_dataset(FIXTURES / "trafford", contract)
    assert [str(p) for p in dataset.errors] == []
    assert len(dataset.tables["payments"]) == 5000
    assert len(dataset.tables["organisations"]) == 6


def test_the_command_line_and_make_target(tmp_path, capsys):
    assert importers_main(["spend", "--data", str(tmp_path / "data"), str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Transparency Code spend import from {SAMPLE}")
    assert len(rows_of(tmp_path / "data" / "payments.csv")) == 5000
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert '$(IMPORT) spend --data "$(IMPORT_DATADIR)" "$(SRC)"' in makefile


# --- the forms real files take ------------------------------------------------------------------------------


def spend_file(lines: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


LINE = (
    "Trafford Council,,31/03/2026,Highways,{name},{other},{date},{number},{amount},0.00,Repairs,,NA,INV{number},100,"
    "{vat}"
)


def line(name="Amey LG Ltd", other="4521", date="25/03/2026", number="1", amount="100.00", vat="GB813047950"):
    return LINE.format(name=name, other=other, date=date, number=number, amount=amount, vat=vat)


def test_crlf_bom_and_windows_1252_files_read_the_same(tmp_path):
    text = spend_file([line(name="Café Ltd", amount='"£1,234.50"'), line(number="2", amount="(12.00)")])
    forms = {
        "lf": text.encode("utf-8"),
        "crlf-bom": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "cp1252": text.replace("\n", "\r\n").encode("cp1252"),
    }
    written = {}
    for form, content in forms.items():
        source = tmp_path / form / "march.csv"
        source.parent.mkdir()
        source.write_bytes(content)
        report = import_spend(source, tmp_path / form / "data")
        written[form] = (tmp_path / form / "data" / "payments.csv").read_bytes()
        assert any("read as Windows-1252" in w.message for w in report.warnings) == (form == "cp1252")
    assert written["lf"] == written["crlf-bom"] == written["cp1252"]
    rows = rows_of(tmp_path / "lf" / "data" / "payments.csv")
    assert [(r["beneficiary_name"], r["amount_gbp"]) for r in rows] == [("Café Ltd", "1234.5"), ("Amey LG Ltd", "-12")]


def test_a_zip_of_monthly_files_is_read_in_the_order_of_their_names(tmp_path):
    archive = tmp_path / "spend-2025-26.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2026-02.csv", spend_file([line(number="20", date="2026-02-27")]))
        z.writestr("2026-01.csv", spend_file([line(number="10", date="2026-01-30"), line(number="11")]))
        z.writestr("README.txt", "about the files")
        z.writestr("__MACOSX/._2026-01.csv", "junk")
    report = import_spend(archive, tmp_path / "data")
    rows = rows_of(tmp_path / "data" / "payments.csv")
    assert [(r["source"], r["source_line"], r["transaction_number"]) for r in rows] == [
        ("spend-2025-26.zip/2026-01.csv", "2", "10"),
        ("spend-2025-26.zip/2026-01.csv", "3", "11"),
        ("spend-2025-26.zip/2026-02.csv", "2", "20"),
    ]
    assert "spend-2025-26.zip/README.txt: not read: not a CSV file" in report.notes


def test_a_folder_of_files_and_what_it_leaves_out(tmp_path):
    folder = tmp_path / "spend"
    (folder / "2025").mkdir(parents=True)
    (folder / "2025" / "march.csv").write_text(spend_file([line()]), encoding="utf-8")
    (folder / "april.csv").write_text(spend_file([line(number="7")]), encoding="utf-8")
    (folder / "may.xlsx").write_bytes(b"PK")
    (folder / ".hidden.csv").write_text("not read", encoding="utf-8")
    report = import_spend(folder, tmp_path / "data")
    rows = rows_of(tmp_path / "data" / "payments.csv")
    assert [r["source"] for r in rows] == ["2025/march.csv", "april.csv"]
    assert "may.xlsx: not read: a spreadsheet (save it as CSV to import it)" in report.notes


def test_other_names_of_the_columns_and_lines_above_the_header(tmp_path):
    source = tmp_path / "payments-over-500.csv"
    source.write_text(
        "Payments over £500: March 2026\n\n"
        "Body Name,Date,Transaction No,Net Amount,Supplier Name,Supplier ID,Vat Reg No,Expense Area,Expense Type,"
        "Expense Code\n"
        'Devon County Council,2023-04-03 00:00:00,T1,"1,000.00",Young Devon,5215,GB 123 4567 89,Children,Rents,4100\n'
        "Devon County Council,2023-04-04 00:00:00,T2,-50.5,REDACTED PERSONAL DATA,9999,GB987654321,Children,Care,"
        "4200\n",
        encoding="utf-8",
    )
    report = import_spend(source, tmp_path / "data")
    rows = rows_of(tmp_path / "data" / "payments.csv")
    assert [
        (
            r["organisation_label"],
            r["payment_date"],
            r["transaction_number"],
            r["amount_gbp"],
            r["beneficiary_name"],
            r["beneficiary_other_id"],
            r["vat_number"],
            r["organisational_unit"],
            r["purpose"],
            r["redacted"],
            r["source_line"],
        )
        for r in rows
    ] == [
        (
            "Devon County Council",
            "2023-04-03",
            "T1",
            "1000",
            "Young Devon",
            "5215",
            "GB 123 4567 89",
            "Children",
            "Rents",
            "no",
            "4",
        ),
        ("Devon County Council", "2023-04-04", "T2", "-50.5", "", "", "", "Children", "Care", "yes", "5"),
    ]
    assert "payments-over-500.csv: lines above the header not read: 1" in report.notes
    # the column with no home, in the loss report: how many lines have a value, the first shown
    assert [(loss.record, loss.path, loss.value) for loss in report.losses] == [
        ("payments-over-500.csv", "Expense Code", "4100")
    ]
    assert report.losses[0].why == "the portal has no column for it (2 lines have a value; the first is shown)"


def test_the_loss_report_never_shows_a_value_from_a_withheld_payee(tmp_path):
    source = tmp_path / "spend.csv"
    source.write_text(
        "Supplier Name,Amount,Payment Date,Supplier Address\n"
        "Redacted,10.00,01/03/2026,1 Acacia Avenue\n"
        "Amey LG Ltd,20.00,01/03/2026,Chiswick Park\n",
        encoding="utf-8",
    )
    report = import_spend(source, tmp_path / "data")
    assert [(loss.path, loss.value) for loss in report.losses] == [("Supplier Address", "Chiswick Park")]


# --- importing again -------------------------------------------------------------------------------------


def test_a_file_imported_again_replaces_its_rows_and_keeps_the_others(tmp_path):
    data = tmp_path / "data"
    march, april = tmp_path / "march.csv", tmp_path / "april.csv"
    march.write_text(spend_file([line(number="1"), line(number="2"), line(number="3")]), encoding="utf-8")
    april.write_text(spend_file([line(number="9", date="02/04/2026")]), encoding="utf-8")
    import_spend(march, data)
    import_spend(april, data)
    march.write_text(spend_file([line(number="1"), line(number="2", amount="250.00")]), encoding="utf-8")
    report = import_spend(march, data)
    assert "march.csv: 2 payments (£350.00): 0 added, 1 replaced, 1 unchanged, 1 removed" in report.summary()
    rows = rows_of(data / "payments.csv")
    assert [(r["source"], r["transaction_number"], r["amount_gbp"]) for r in rows] == [
        ("april.csv", "9", "100"),
        ("march.csv", "1", "100"),
        ("march.csv", "2", "250"),
    ]


def test_a_file_of_the_same_name_for_another_period_is_warned_about(tmp_path):
    data = tmp_path / "data"
    spend = tmp_path / "spend.csv"
    spend.write_text(spend_file([line(date="25/03/2026")]), encoding="utf-8")
    import_spend(spend, data)
    spend.write_text(spend_file([line(date="25/04/2026")]), encoding="utf-8")
    report = import_spend(spend, data)
    assert any(w.message.startswith("replaces payments dated 2026-03-25 to 2026-03-25") for w in report.warnings)


# --- what stops an import ----------------------------------------------------------------------------------


def test_a_file_without_an_amount_column_stops_the_import(tmp_path, capsys):
    source = tmp_path / "spend.csv"
    source.write_text("BeneficiaryName,PaymentDate,Sub Amount\nAmey LG Ltd,01/03/2026,10\n", encoding="utf-8")
    assert main(["--data", str(tmp_path / "data"), str(source)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: spend.csv:1: has no Amount column (looked for Amount, amountgbp, netamount")
    assert "the header has BeneficiaryName, PaymentDate, Sub Amount" in err
    assert not (tmp_path / "data").exists()


def test_a_file_without_a_payee_or_a_date_column_stops_the_import(tmp_path):
    source = tmp_path / "spend.csv"
    source.write_text("Amount,PaymentDate\n10,01/03/2026\n", encoding="utf-8")
    with pytest.raises(SourceError, match="has no BeneficiaryName column"):
        import_spend(source, tmp_path / "data")
    source.write_text("Amount,Supplier\n10,Amey\n", encoding="utf-8")
    with pytest.raises(SourceError, match="has no PaymentDate or EffectiveDate column"):
        import_spend(source, tmp_path / "data")
    source.write_text("Title\nnothing here\n", encoding="utf-8")
    with pytest.raises(SourceError, match="has no Amount column in its first 20 lines"):
        import_spend(source, tmp_path / "data")


def test_unreadable_cells_stop_the_import_naming_file_line_and_column_and_nothing_is_written(tmp_path, capsys):
    data = tmp_path / "data"
    good = tmp_path / "march.csv"
    good.write_text(spend_file([line()]), encoding="utf-8")
    import_spend(good, data)
    before = (data / "payments.csv").read_bytes()
    good.write_text(
        spend_file(
            [
                line(number="1"),
                line(number="2", amount='"12,34"'),
                line(number="3", date="31/02/2026"),
                line(number="4", amount=""),
                line(number="5") + ",surplus",
            ]
        ),
        encoding="utf-8",
    )
    assert main(["--data", str(data), str(good)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "march.csv:3: Amount: '12,34' is not an amount of money: write e.g. 1234.50, £1,234.50, -12.00 or (12.00)",
        "march.csv:4: PaymentDate: '31/02/2026' is not a date: there is no such day",
        "march.csv:5: Amount: is blank: every payment needs its amount",
        "march.csv:6: the line has 17 cells but the header has 16",
        "error: 4 problems in the spend files; nothing was written",
    ]
    assert (data / "payments.csv").read_bytes() == before


def test_bad_input_lists_at_most_twenty_problems_and_counts_them_all(tmp_path):
    source = tmp_path / "spend.csv"
    source.write_text(spend_file([line(number=str(n), amount="lots") for n in range(25)]), encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        import_spend(source, tmp_path / "data")
    assert len(caught.value.problems) == 20 and caught.value.total == 25


def test_what_is_not_a_spend_file_is_refused(tmp_path):
    with pytest.raises(SourceError, match="no such file or folder"):
        import_spend(tmp_path / "missing.csv", tmp_path / "data")
    (tmp_path / "book.xlsx").write_bytes(b"PK")
    with pytest.raises(SourceError, match=r"give a \.csv or \.zip file, or a folder \(save it as CSV first\)"):
        import_spend(tmp_path / "book.xlsx", tmp_path / "data")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="the folder has no CSV files"):
        import_spend(tmp_path / "empty", tmp_path / "data")
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    with pytest.raises(SourceError, match="cannot be read as a zip"):
        import_spend(tmp_path / "broken.zip", tmp_path / "data")


def test_a_contract_column_limit_is_respected(tmp_path):
    source = tmp_path / "spend.csv"
    source.write_text(spend_file([line(name="N" * 301)]), encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        import_spend(source, tmp_path / "data")
    assert caught.value.problems == [
        "spend.csv:2: BeneficiaryName: is 301 characters long: the portal keeps at most 300"
    ]


def test_a_cell_over_several_lines_is_one_line_of_text_and_the_lines_are_counted(tmp_path):
    source = tmp_path / "spend.csv"
    source.write_text(
        spend_file([line(number="1").replace(",Repairs,", ',"Repairs\nand\r\nrenewals",'), line(number="2")]),
        encoding="utf-8",
    )
    import_spend(source, tmp_path / "data")
    rows = rows_of(tmp_path / "data" / "payments.csv")
    assert [(r["source_line"], r["purpose"]) for r in rows] == [("2", "Repairs and renewals"), ("5", "Repairs")]


def test_columns_staff_added_to_payments_csv_are_kept(tmp_path):
    data = tmp_path / "data"
    march = tmp_path / "march.csv"
    march.write_text(spend_file([line(number="1"), line(number="2")]), encoding="utf-8")
    import_spend(march, data)
    payments = data / "payments.csv"
    text = payments.read_text(encoding="utf-8").splitlines()
    # staff add a column, and save the file with CRLF line ends
    edited = [text[0] + ",checked", text[1] + ",yes", text[2] + ",no"]
    payments.write_bytes(("\r\n".join(edited) + "\r\n").encode("utf-8"))
    march.write_text(spend_file([line(number="1", amount="150.00"), line(number="2")]), encoding="utf-8")
    report = import_spend(march, data)
    assert "0 added, 1 replaced, 1 unchanged, 0 removed" in report.summary()
    rows = rows_of(payments)
    assert [(r["transaction_number"], r["amount_gbp"], r["checked"]) for r in rows] == [
        ("1", "150", "yes"),
        ("2", "100", "no"),
    ]
    again = payments.read_bytes()
    import_spend(march, data)
    assert payments.read_bytes() == again


@given(st.lists(st.lists(st.text(max_size=8), min_size=3, max_size=3), min_size=1, max_size=5))
def test_csv_lines_are_what_a_csv_reader_reads_back(rows):
    text = "\n".join(csv_lines([list(column) for column in zip(*rows)])) + "\n"
    assert list(csv.reader(io.StringIO(text, newline=""))) == rows


@given(st.lists(st.lists(st.text(alphabet="ab ,\"'\n£", max_size=6), min_size=3, max_size=3), min_size=1, max_size=5))
def test_csv_lines_are_what_the_csv_writer_writes(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    assert "\n".join(csv_lines([list(column) for column in zip(*rows)])) + "\n" == out.getvalue()


def test_every_lga_column_has_its_column_in_the_contract(contract):
    assert standard_titles(contract.table("payments")) == {
        "organisation_label": "OrganisationLabel",
        "organisation_uri": "OrganisationURI",
        "effective_date": "EffectiveDate",
        "organisational_unit": "OrganisationalUnit",
        "beneficiary_name": "BeneficiaryName",
        "beneficiary_other_id": "BeneficiaryOtherID",
        "payment_date": "PaymentDate",
        "transaction_number": "TransactionNumber",
        "amount_gbp": "Amount",
        "irrecoverable_vat_gbp": "IrrecoverableVATAmount",
        "purpose": "Purpose",
        "proclass_label": "ProclassLabel",
        "proclass_code": "ProclassCode",
        "invoice_number": "InvoiceNumber",
        "profit_centre": "ProfitCentre",
        "vat_number": "VATRegistrationNumber",
    }
    assert contract.table("payments").primary_key == ("source", "source_line")


def test_a_file_name_too_long_to_keep_is_refused(tmp_path):
    source = tmp_path / "spend" / ("a" * 150) / ("b" * 150 + ".csv")
    source.parent.mkdir(parents=True)
    source.write_text(spend_file([line()]), encoding="utf-8")
    with pytest.raises(SourceError, match="rename it to one line of at most 300 characters"):
        import_spend(tmp_path / "spend", tmp_path / "data")
