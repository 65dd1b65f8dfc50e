"""The releases of each contracting process, gathered from the whole source before they are compiled.

The releases of one ``ocid`` may be anywhere in the source (Contracts Finder lists them by date, across
files), so every release is kept until the source has been read. :class:`ReleaseStore` keeps them in
memory, as compact JSON, up to ``memory_budget`` bytes; past that it moves them all to an SQLite file in
a temporary folder and keeps adding there, so a source of any size is imported in bounded memory. Either
way :meth:`ReleaseStore.processes` gives each ocid's releases together, in the order the ocids were
first seen, each ocid's releases in the order they were read.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

MEMORY_BUDGET = 64 * 1024 * 1024  # bytes of JSON kept in memory before spilling to disk
RELEASE, COMPILED = "release", "compiled"  # a release, or a record's compiled release (when it has no releases)
_BATCH = 2000


def _dumps(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ReleaseStore:
    """Releases grouped by ocid: in memory, then in SQLite once they outgrow ``memory_budget``."""

    def __init__(self, memory_budget: int = MEMORY_BUDGET):
        self.memory_budget = memory_budget
        self._order: dict[str, int] = {}  # ocid -> its number, in the order first seen
        self._memory: dict[int, list[tuple[str, bytes]]] = {}
        self._bytes = 0
        self._folder: tempfile.TemporaryDirectory | None = None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[int, str, bytes]] = []
        self.count = 0

    @property
    def spilled(self) -> bool:
        """Whether the releases outgrew memory and went to disk."""
        return self._db is not None

    def __len__(self) -> int:
        """The number of processes (different ocids)."""
        return len(self._order)

    def add(self, ocid: str, data: dict, kind: str = RELEASE) -> None:
        number = self._order.setdefault(ocid, len(self._order))
        body = _dumps(data)
        self.count += 1
        if self._db is None:
            self._memory.setdefault(number, []).append((kind, body))
            self._bytes += len(body)
            if self._bytes > self.memory_budget:
                self._spill()
            return
        self._pending.append((number, kind, body))
        if len(self._pending) >= _BATCH:
            self._flush()

    def _spill(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="svportal-ocds-")
        self._db = sqlite3.connect(Path(self._folder.name) / "releases.sqlite")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE releases (seq INTEGER PRIMARY KEY, process INTEGER, kind TEXT, body BLOB)")
        for number, items in self._memory.items():
            self._pending += [(number, kind, body) for kind, body in items]
            if len(self._pending) >= _BATCH:
                self._flush()
        self._memory.clear()
        self._bytes = 0
        self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._db.executemany("INSERT INTO releases (process, kind, body) VALUES (?, ?, ?)", self._pending)
            self._pending = []

    def processes(self) -> Iterator[tuple[str, list[tuple[str, dict]]]]:
        """Each ocid with its releases as (kind, release), ocids in the order first seen."""
        ocids = list(self._order)
        if self._db is None:
            for number, ocid in enumerate(ocids):
                yield ocid, [(kind, json.loads(body)) for kind, body in self._memory.pop(number, [])]
            return
        self._flush()
        self._db.execute("CREATE INDEX releases_by_process ON releases (process, seq)")
        rows = self._db.execute("SELECT process, kind, body FROM releases ORDER BY process, seq")
        for number, group in groupby(rows, key=lambda row: row[0]):
            yield ocids[number], [(kind, json.loads(body)) for _, kind, body in group]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> ReleaseStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
