"""The publishers' data dictionary (docs/data-dictionary.md) is what the data contract generates.

It is written by ``make dictionary`` (``python -m svportal.dictionary``) from data/datapackage.json;
these tests fail when the committed file and the contract have drifted apart, when the generated
text leaves out a fact of the contract, or when the worked example of docs/publishing-data.md no
longer loads the way that page says.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from svportal import dictionary
from svportal.schema import DataContract, read_contract

ROOT = Path(__file__).resolve().parent.parent.parent  # (tests/conftest.py puts plugins/ on sys.path)

CONTRACT = ROOT / "data" / "datapackage.json"
COMMITTED = ROOT / "docs" / "data-dictionary.md"
GUIDE = ROOT / "docs" / "publishing-data.md"


@pytest.fixture(scope="module")
def contract():
    return read_contract(CONTRACT)


@pytest.fixture(scope="module")
def generated(contract) -> str:
    return dictionary.render(contract)


def test_the_committed_dictionary_is_what_the_contract_generates(generated):
    assert COMMITTED.exists(), "docs/data-dictionary.md is missing: run `make dictionary` and commit it"
    committed = COMMITTED.read_text(encoding="utf-8")
    assert committed == generated, (
        "docs/data-dictionary.md differs from what data/datapackage.json generates: "
        "run `make dictionary` and commit the result"
    )


def test_the_output_is_deterministic(contract, generated):
    assert dictionary.render(read_contract(CONTRACT)) == generated
    assert dictionary.render(contract) == generated
    assert generated.endswith("\n") and not generated.endswith("\n\n")
    assert "\r" not in generated


def test_the_header_says_it_is_generated_and_from_what(generated):
    head = generated.split("\n# ", 1)[0]
    assert "Generated from data/datapackage.json by `make dictionary`" in head
    assert "Do not edit" in head
    assert "[`data/datapackage.json`](../data/datapackage.json)" in generated
    assert "[Publishing data](publishing-data.md)" in generated


def _section(text: str, filename: str) -> str:
    start = text.index(f"\n## {filename}: ")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _rows(section: str) -> dict[str, list[str]]:
    """The column table of a section: column name -> its cells (pipes in cells are escaped as ``\\|``)."""
    rows = {}
    for line in section.splitlines():
        match = re.fullmatch(r"\| `([^`]+)` \|(.*)\|", line)
        if match:
            rows[match.group(1)] = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", match.group(2))]
    return rows


def test_every_table_and_column_of_the_contract_is_described(contract, generated):
    for table in contract.tables:
        section = _section(generated, table.filename)
        kind = "required: the site is not built without it" if table.required else "optional"
        assert f"- **File**: `{table.filename}`, {kind}" in section
        assert table.descriptor["description"] in section
        for column in table.primary_key:
            assert f"`{column}`" in section.split("**Primary key**: ")[1].split("\n")[0]
        foreign = section.split("**Foreign keys**: ")[1].split("\n")[0]
        for fk in table.foreign_keys:
            target = contract.table(fk.resource).filename
            assert f"`{target}`" in foreign
            assert all(f"`{c}`" in foreign for c in fk.fields + fk.reference_fields)
        rows = _rows(section)
        assert list(rows) == table.field_names, f"{table.filename}: the columns, in the contract's order"
        for f in table.fields:
            _type, required, form, limits, meaning = rows[f.name]
            assert meaning == " ".join(f.description.split()), f"{table.filename} {f.name}"
            if f.required:
                assert required == "yes"
            elif f.descriptor.get("requiredWhen") or f.descriptor.get("requiredWith"):
                assert required.startswith("when ")
            else:
                assert required == "no"
            for value in f.constraints.get("enum", ()):
                assert f"`{value}`" in form, f"{table.filename} {f.name}: {value}"
            if f.max_length is not None:
                assert f"at most {f.max_length:,} characters" in limits
            if f.type in ("string", "list"):
                assert ("line breaks and tabs allowed" in limits) == f.multiline
                assert ("one line" in limits) == (not f.multiline)
            if f.max_items is not None:
                assert f"at most {f.max_items:,} items" in limits
                assert f"each item at most {f.item_max_length:,} characters" in limits
            if f.page_address:
                assert f"`{f.page_address.path.replace('{slug}', '<slug>')}`" in limits
                assert f"at most {f.page_address.max_length:,} characters" in limits
                for reserved in f.page_address.reserved:
                    assert f"`{reserved}`" in limits
            if "minimum" in f.constraints:
                assert f"{f.constraints['minimum']:g}" in form
            if "patternDescription" in f.descriptor:
                assert f.descriptor["patternDescription"] in form
            if f.type == "date":
                assert "`YYYY-MM-DD` or `DD/MM/YYYY`" in form
            if f.type == "boolean":
                assert "`yes`/`no`" in form and "blank means not known" in form


def test_columns_a_publisher_adds_are_described(contract, generated):
    extra = contract.descriptor["extraFields"]
    section = generated[generated.index("\n## Columns you add") :]
    assert extra["description"] in section
    assert f"at most {extra['constraints']['maxLength']:,} characters" in section
    assert f"the column name at most {extra['nameMaxLength']:,} characters" in section


def test_words_follow_the_contract_when_it_changes(contract):
    """A changed limit, a new allowed value or a new column shows up in the text at once."""
    descriptor = copy.deepcopy(contract.descriptor)
    fields = descriptor["resources"][0]["schema"]["fields"]
    next(f for f in fields if f["name"] == "title")["constraints"]["maxLength"] = 123
    next(f for f in fields if f["name"] == "supplier_size")["constraints"]["enum"].append("micro")
    fields.append(
        {
            "name": "carbon_plan",
            "type": "boolean",
            "description": "Has a carbon reduction plan.",
            "trueValues": ["yes"],
            "falseValues": ["no"],
        }
    )
    text = dictionary.render(DataContract(contract.path, descriptor))
    rows = _rows(_section(text, "contracts.csv"))
    assert "at most 123 characters" in rows["title"][3]
    assert "`micro`" in rows["supplier_size"][2]
    assert rows["carbon_plan"] == [
        "yes/no",
        "no",
        "`yes`/`no`, in any case; blank means not known",
        "–",
        "Has a carbon reduction plan.",
    ]


def test_a_cell_cannot_break_the_table_or_inject_html():
    assert dictionary._cell("a | b <script>") == "a \\| b &lt;script&gt;"
    assert dictionary._cell("`<slug>` and\nmore") == "`<slug>` and more"


def test_the_command_writes_then_checks(tmp_path, capsys):
    output = tmp_path / "docs" / "data-dictionary.md"
    assert dictionary.main(["--contract", str(CONTRACT), "--output", str(output), "--check"]) == 1
    assert "run `make dictionary`" in capsys.readouterr().err
    assert dictionary.main(["--contract", str(CONTRACT), "--output", str(output)]) == 0
    assert dictionary.main(["--contract", str(CONTRACT), "--output", str(output), "--check"]) == 0
    assert "datapackage.json)" in output.read_text(encoding="utf-8")


def test_the_site_page_and_the_dictionary_agree(contract, generated):
    """/data/dictionary/ shows the published descriptors (exports.published_resource): same facts."""
    import pandas as pd

    from svportal.exports import published_resource

    for table in contract.tables:
        page = published_resource(table, pd.DataFrame(columns=table.field_names), table.name)
        assert page["description"] == table.descriptor["description"]
        rows = _rows(_section(generated, table.filename))
        for shown in page["schema"]["fields"]:
            _type, required, form, _limits, meaning = rows[shown["name"]]
            # the page adds how a published list is separated; the meaning is otherwise the same words
            assert shown["description"].startswith(meaning), f"{table.name} {shown['name']}"
            assert (required == "yes") == bool(shown.get("constraints", {}).get("required"))
            for value in shown.get("constraints", {}).get("enum", ()):
                assert f"`{value}`" in form


# --- the hand-written guide ------------------------------------------------------------------------


def _csv_blocks(text: str) -> dict[str, str]:
    """The worked example: each ```csv block, named by the `file.csv` that introduces it."""
    blocks = {}
    for match in re.finditer(r"^`([a-z_]+\.csv)`[^\n]*\n\n```csv\n(.*?)```", text, re.S | re.M):
        blocks[match.group(1)] = match.group(2)
    return blocks


def test_the_guide_is_attributed_and_links_to_the_dictionary():
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    assert "adapted from the project's design notes" in text
    assert "](data-dictionary.md)" in text


def test_the_worked_example_loads_without_errors(tmp_path, contract):
    from svportal.load import load_dataset

    blocks = _csv_blocks(GUIDE.read_text(encoding="utf-8"))
    assert set(blocks) == {"contracts.csv", "measures.csv", "commitments.csv", "outcomes.csv"}
    for name, text in blocks.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    dataset = load_dataset(tmp_path, contract)
    assert [str(p) for p in dataset.errors] == []
    outcomes = dataset.tables["outcomes"]
    delivered = outcomes.groupby("measure_id")["delivered"].sum()
    assert delivered["EMP-02"] == 5 and delivered["ENV-01"] == 3.5  # what the guide says


def test_the_worked_mistake_gives_the_messages_the_guide_shows(tmp_path, contract):
    from svportal.load import load_dataset

    text = GUIDE.read_text(encoding="utf-8")
    blocks = _csv_blocks(text)
    for name, block in blocks.items():
        (tmp_path / name).write_text(block.replace('"£1,250,000"', "£1,250,000"), encoding="utf-8")
    shown = text.split("would then build nothing", 1)[1].split("```\n", 1)[1].split("```", 1)[0].strip().splitlines()
    dataset = load_dataset(tmp_path, contract)
    assert [str(p) for p in dataset.errors] == shown
