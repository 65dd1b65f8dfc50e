"""The minimal identity an import writes into an empty data folder: who publishes, marked as incomplete.

A data folder's ``datapackage.json`` says who publishes the data, for which area, how to reach them and
under what licence (identity.py). An import into an empty folder knows only who published the source:
the one buyer whose contracts were imported, else the package's publisher. It writes that, with
``"complete": false`` in the ``portal`` block, so that the site says, on its data-quality page, what staff
still have to fill in (the area, a contact email, the licence). An existing datapackage.json is never
touched.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..identity import IDENTITY_FILE, TEXT_MAX_LENGTH
from ..parse import character_problem
from .datafiles import write_atomically


def is_empty_data_folder(data_dir: Path) -> bool:
    """No datapackage.json and no CSV file: nothing there yet (the import reports folder aside)."""
    if not data_dir.exists():
        return True
    return not any(path.name == IDENTITY_FILE or path.suffix.lower() == ".csv" for path in data_dir.iterdir())


def minimal_identity(publisher: str | None) -> dict:
    """The descriptor: the publisher (when its name can be used as it is) and ``portal.complete`` false."""
    descriptor: dict = {}
    if publisher and len(publisher) <= TEXT_MAX_LENGTH and not character_problem(publisher):
        descriptor["contributors"] = [{"title": publisher, "role": "publisher"}]
    descriptor["portal"] = {"complete": False}
    return descriptor


def write_identity(data_dir: Path, publisher: str | None) -> Path:
    path = data_dir / IDENTITY_FILE
    text = json.dumps(minimal_identity(publisher), ensure_ascii=False, indent=2) + "\n"
    write_atomically(path, text.encode("utf-8"))
    return path
