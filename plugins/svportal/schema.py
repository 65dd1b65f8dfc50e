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


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    descriptor: dict

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
        return tuple(Table(r) for r in self.descriptor["resources"])

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
