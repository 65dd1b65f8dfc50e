"""Benchmark: import a year of a large council's spend (240,000 payments) shaped like Trafford's sample, twice.

    .venv/bin/python bench/import_spend.py [--payments 240000] [--keep DIR]

Writes one CSV file (CRLF line ends, as Trafford publishes it) whose lines are the sample's lines of
tests/fixtures/spend/ in turn, each with its own transaction number, a payment date spread over the
financial year and an amount varied by a few pence; then runs the real command line (``python -m
svportal.importers spend``) into an empty data folder, and again (the re-import that changes nothing).
Prints, for each run, the wall time and the peak memory (maximum resident set size) of the import process,
and the import's own summary. The target: 240,000 payments in under 20 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "spend" / "trafford-spend-2025-26-sample.csv"
YEAR_START = dt.date(2025, 4, 1)


def write_source(folder: Path, count: int) -> Path:
    """``count`` payments shaped like the sample's (deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"), newline="")))
    header, lines = rows[0], rows[1:]
    at = {name: n for n, name in enumerate(header)}
    path = folder / "trafford-supplier-spend-bench.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for number in range(count):
            cells = list(lines[number % len(lines)])
            day = YEAR_START + dt.timedelta(days=(number * 365) // count)
            cells[at["PaymentDate"]] = day.isoformat()
            cells[at["TransactionNumber"]] = str(5_000_000_000 + number)
            amount = Decimal(cells[at["Amount"]]) + Decimal(number % 97) / 100
            cells[at["Amount"]] = f"{amount:.2f}"
            writer.writerow(cells)
    return path


def run_import(source: Path, data: Path, log: Path) -> tuple[float, float, str]:
    """Run the import in a new process: its wall time, its peak memory in MB and its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [sys.executable, "-m", "svportal.importers", "spend", "--data", str(data), str(source)]
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource usage
    seconds = time.perf_counter() - started
    output = log.read_text(encoding="utf-8")
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"import failed:\n{output[-5000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=240_000)
    parser.add_argument("--keep", type=Path, help="keep the source and the data folder in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="svportal-bench-spend-"))
    started = time.perf_counter()
    source = write_source(work / "source", args.payments)
    size = source.stat().st_size
    print(f"source: {args.payments:,} payments, {size / 1e6:.0f} MB, written in {time.perf_counter() - started:.1f} s")
    data = work / "data"
    for label in ("first import (empty data folder)", "second import (nothing changes)"):
        seconds, peak_mb, output = run_import(source, data, work / "import.log")
        print(f"\n{label}: {seconds:.1f} s, peak memory {peak_mb:.0f} MB")
        print("\n".join("  " + line for line in output.splitlines()[:3]))
    if not args.keep:
        print(f"\n(work folder {work} left for inspection; delete it when done)")


if __name__ == "__main__":
    main()
