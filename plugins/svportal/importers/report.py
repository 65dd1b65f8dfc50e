"""What an import did, for the person who ran it: counts, reasons, warnings, and the loss report.

The loss report lists, per record, each field of the source that has no home in the portal, so a
publisher sees exactly what the site does not show. It is a CSV (formula safe: it opens in a
spreadsheet) written beside the data in ``import-reports/``; the summary is printed and written there too.
Both are functions of the source and the data folder only (no clock), so importing twice writes them
the same.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..formatting import neutralise_formula
from .datafiles import Merged, write_atomically, write_rows_atomically

REPORTS_FOLDER = "import-reports"
VALUE_PREVIEW = 200


@dataclass(frozen=True)
class Skipped:
    record: str  # the record's id in the source (an ocid, a grant id) or its place (file: line)
    why: str


@dataclass(frozen=True)
class Warning_:
    record: str
    path: str  # where in the source: a JSON path such as releases[3].tender.status, or a column title
    message: str


@dataclass(frozen=True)
class Loss:
    record: str
    path: str
    value: str
    why: str


@dataclass
class ImportReport:
    kind: str  # "OCDS", "360Giving"
    source: str
    merged: dict[str, Merged] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # other facts worth a line (records read, buyers kept...)

    def skip(self, record: str, why: str) -> None:
        self.skipped.append(Skipped(record, why))

    def warn(self, record: str, path: str, message: str) -> None:
        self.warnings.append(Warning_(record, path, message))

    def lose(self, record: str, path: str, value, why: str = "the portal has no column for it") -> None:
        self.losses.append(Loss(record, path, preview(value), why))

    def summary(self) -> str:
        """The lines printed at the end of an import."""
        lines = [f"{self.kind} import from {self.source}"]
        lines += [f"  {note}" for note in self.notes]
        for name, merged in self.merged.items():
            lines.append(
                f"  {name}: {len(merged.added)} added, {len(merged.updated)} updated, {len(merged.unchanged)} unchanged"
            )
        if self.skipped:
            lines.append(f"  skipped: {len(self.skipped)}")
            for why, count in sorted(Counter(s.why for s in self.skipped).items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {count} × {why}")
        if self.warnings:
            lines.append(f"  warnings: {len(self.warnings)}")
            for w in self.warnings[:20]:
                lines.append(f"    {w.record}: {w.path}: {w.message}")
            if len(self.warnings) > 20:
                lines.append(f"    … and {len(self.warnings) - 20} more (all are in the report file)")
        fields = Counter(_generic(loss.path) for loss in self.losses)
        lines.append(f"  not shown by the portal: {len(self.losses)} values in {len(fields)} kinds of field")
        return "\n".join(lines)

    def write(self, data_dir: Path | str, stem: str) -> list[Path]:
        """Write ``<stem>-report.txt`` (summary, every skip and warning) and ``<stem>-loss-report.csv``."""
        folder = Path(data_dir) / REPORTS_FOLDER
        text = [self.summary(), "", "Skipped:"]
        text += [f"  {s.record}: {s.why}" for s in self.skipped] or ["  none"]
        text += ["", "Warnings:"]
        text += [f"  {w.record}: {w.path}: {w.message}" for w in self.warnings] or ["  none"]
        report = folder / f"{stem}-report.txt"
        losses = folder / f"{stem}-loss-report.csv"
        write_atomically(report, ("\n".join(text) + "\n").encode("utf-8"))
        write_rows_atomically(losses, LOSS_COLUMNS, loss_rows(self.losses))  # row by row: it can be large
        return [report, losses]


LOSS_COLUMNS = ["record", "field", "value", "why"]


def loss_rows(losses) -> Iterator[dict[str, str]]:
    """The loss report's rows, formula safe (what :func:`loss_csv` writes)."""
    for loss in losses:
        yield dict(zip(LOSS_COLUMNS, (safe(loss.record), safe(loss.path), safe(loss.value), safe(loss.why))))


def loss_csv(losses: list[Loss]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["record", "field", "value", "why"])
    for loss in losses:
        writer.writerow([safe(loss.record), safe(loss.path), safe(loss.value), safe(loss.why)])
    return out.getvalue().encode("utf-8")


def safe(text: str) -> str:
    """Text a spreadsheet shows as text, never runs (see formatting.neutralise_formula)."""
    return neutralise_formula(text)


def preview(value) -> str:
    """A short one-line rendering of a source value for the loss report."""
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_PREVIEW else text[: VALUE_PREVIEW - 1] + "…"


def _generic(path: str) -> str:
    """A JSON path without its array indexes: releases[3].awards[0].items -> releases[].awards[].items."""
    import re

    return re.sub(r"\[\d+\]", "[]", path)
