"""What an import gathers before it writes, kept in temporary files: for sources larger than memory.

:class:`SpooledLosses` stands in for ``ImportReport.losses`` (a list): ``append`` writes the line to a
temporary file, ``len`` counts, and iterating reads the lines back, in order. A national OCDS file gives
several lines per record (every address, every contact, every document the portal does not show): a
hundred thousand releases make about a million lines, which are kept on disk, not in memory.
:class:`SpooledRows` does the same for the rows of a table, until they are checked and merged.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from .report import Loss


class SpooledLosses:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (lives with self)
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._count = 0

    def append(self, loss: Loss) -> None:
        self._writer.writerow((loss.record, loss.path, loss.value, loss.why))
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Loss]:
        self._file.flush()
        self._file.seek(0)
        try:
            for record, path, value, why in csv.reader(self._file):
                yield Loss(record, path, value, why)
        finally:
            self._file.seek(0, 2)  # appending goes on at the end

    def close(self) -> None:
        self._file.close()


class SpooledRows:
    """The rows of one table kept in a temporary CSV file: ``add`` a row (its cells in ``columns`` order, and
    the record it came from), iterate to read them back in order as (cells, record)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (lives with self)
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._count = 0

    def add(self, row: dict, record: str) -> None:
        self._writer.writerow([*(row[column] for column in self.columns), record])
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[list[str], str]]:
        self._file.flush()
        self._file.seek(0)
        try:
            for cells in csv.reader(self._file):
                yield cells[:-1], cells[-1]
        finally:
            self._file.seek(0, 2)

    def close(self) -> None:
        self._file.close()
