"""The data contract: the Frictionless table schemas in ``data/datapackage.json``.

The descriptor is checked by Frictionless itself (a typo in the contract is a
build error, not a silent change of rules); the rest of the portal reads the
plain field descriptors through the small classes below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from frictionless import FrictionlessException, Package


class SchemaError(Exception):
    """The datapackage.json descriptor itself is not valid."""


@dataclass(frozen=True)
class Field:
    descriptor: dict

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def type(self) -> str:
        return self.descriptor.get("type", "string")

    @property
    def title(self) -> str:
        return self.descriptor.get("title", self.name)

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def constraints(self) -> dict:
        return self.descriptor.get("constraints", {})

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def currency(self) -> bool:
        """Numbers that may be written the spreadsheet way: ``£1,234.50``."""
        return self.descriptor.get("bareNumber") is False and "groupChar" in self.descriptor

    @property
    def markdown(self) -> bool:
        return bool(self.descriptor.get("markdown"))

    @property
    def multiline(self) -> bool:
        """Line breaks (and tabs) are allowed; every other text column must be one line."""
        return bool(self.descriptor.get("multiline"))

    @property
    def time_optional(self) -> bool:
        """A ``datetime`` column whose cells may also be a date alone (``timeOptional``): the whole day."""
        return self.type == "datetime" and bool(self.descriptor.get("timeOptional"))

    @property
    def labels(self) -> dict[str, str]:
        """What people read for each code of an ``enum`` column (``enumLabels``); the data keeps the codes."""
        return dict(self.descriptor.get("enumLabels", {}))

    def label(self, code: str | None) -> str | None:
        """The label of a code (``enumLabels``), else the code as words: ``requires-improvement`` -> ``Requires
        improvement``; None for a blank cell."""
        if code is None or code == "":
            return None
        return self.labels.get(code) or code.replace("-", " ").capitalize()

    @property
    def max_length(self) -> int | None:
        """The most characters a cell may have (Frictionless ``maxLength``; lists: see ``item_max_length``)."""
        return None if self.type == "list" else self.constraints.get("maxLength")

    @property
    def max_items(self) -> int | None:
        """A list column: the most items a cell may have."""
        return self.descriptor.get("maxItems")

    @property
    def item_max_length(self) -> int | None:
        """A list column: the most characters an item may have."""
        return self.descriptor.get("itemMaxLength")

    @property
    def org_id_name(self) -> str | None:
        """An organisation identifier column (``orgId``): the column of the name it identifies, else None.

        Its values are checked against the org-id.guide schemes (svportal.orgid); a blank one means the
        organisation is known by that name.
        """
        found = self.descriptor.get("orgId")
        return found.get("nameColumn") if isinstance(found, dict) else None

    @property
    def page_address(self) -> PageAddress | None:
        """The address the value (each item, for a list) is written to, if it is one."""
        found = self.descriptor.get("pageAddress")
        return PageAddress.from_descriptor(found) if found else None


@dataclass(frozen=True)
class PageAddress:
    """Where a value becomes part of the site's addresses: ``path`` with ``{slug}`` for the value's slug.

    ``reserved`` are the slugs the site already uses at that place (``used_for`` says for what).
    """

    path: str
    max_length: int
    reserved: frozenset[str] = frozenset()
    used_for: str = ""

    @classmethod
    def from_descriptor(cls, descriptor: dict) -> PageAddress:
        return cls(
            descriptor["path"],
            int(descriptor["maxLength"]),
            frozenset(descriptor.get("reserved", ())),
            descriptor.get("usedFor", ""),
        )

    def of(self, slug: str) -> str:
        return self.path.replace("{slug}", slug)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    descriptor: dict
    extra: dict = field(default_factory=dict, compare=False, repr=False)  # the package's ``extraFields``

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def title(self) -> str:
        return self.descriptor.get("title", self.name)

    @property
    def filename(self) -> str:
        return self.descriptor["path"]

    @property
    def required(self) -> bool:
        """A table the site cannot be built without (the others may be absent)."""
        return bool(self.descriptor.get("required", True))

    @cached_property
    def fields(self) -> tuple[Field, ...]:
        return tuple(Field(f) for f in self.descriptor["schema"]["fields"])

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def extra_field(self, name: str) -> Field:
        """The rules for a column the publisher added: the package's ``extraFields`` (text, kept in downloads)."""
        descriptor = {k: v for k, v in self.extra.items() if k != "nameMaxLength"}
        return Field({"type": "string", **descriptor, "name": name})

    @property
    def column_name_max_length(self) -> int | None:
        """The most characters an added column's name may have."""
        return self.extra.get("nameMaxLength")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def primary_key(self) -> tuple[str, ...]:
        key = self.descriptor["schema"].get("primaryKey", ())
        return (key,) if isinstance(key, str) else tuple(key)

    @property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        keys = []
        for fk in self.descriptor["schema"].get("foreignKeys", ()):
            own = fk["fields"]
            ref = fk["reference"]["fields"]
            keys.append(
                ForeignKey(
                    tuple([own] if isinstance(own, str) else own),
                    fk["reference"]["resource"],
                    tuple([ref] if isinstance(ref, str) else ref),
                )
            )
        return tuple(keys)


@dataclass(frozen=True)
class DataContract:
    path: Path
    descriptor: dict = field(repr=False)

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        extra = self.descriptor.get("extraFields", {})
        return tuple(Table(r, extra) for r in self.descriptor["resources"])

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def read_contract(path: Path | str) -> DataContract:
    """Read and check ``datapackage.json``; raise SchemaError naming what is wrong."""
    path = Path(path)
    try:
        Package(str(path))  # validates the descriptor against the Data Package spec
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (FrictionlessException, OSError, ValueError) as exc:
        raise SchemaError(f"{path}: not a valid data package: {exc}") from exc
    return DataContract(path, descriptor)
