"""Benchmark: build the site from generated data of a given size, cold and warm.

    .venv/bin/python bench/run.py [--contracts 2000] [--keep DIR]

Generates illustrative data with scripts/generate_sample_data.py, then builds the
site twice with the real command line (``python -m svportal build``): once with
an empty chart cache (cold) and once again (warm, every chart from the cache).
Prints the wall time of each build, the build's own log lines (reading, metrics,
charts, pages), the number of files written and the size of the output.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEEP = ("Read ", "Computed ", "Charts:", "Wrote ", "Indexed ", "Site built")


def build(data: Path, output: Path, cache: Path) -> tuple[float, list[str]]:
    env = {
        **os.environ,
        "DATADIR": str(data),
        "BUILD_DATE": "2026-11-23",
        "PYTHONPATH": str(ROOT / "plugins"),
        "CHART_CACHE": str(cache),
        "COLUMNS": "300",
    }  # one log record a line
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "svportal",
            "build",
            "--settings",
            str(ROOT / "pelicanconf.py"),
            "--output",
            str(output),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"build failed:\n{result.stderr[-5000:]}")
    lines = [" ".join(line.split()) for line in (result.stdout + result.stderr).splitlines()]
    return seconds, [line for line in lines if any(k in line for k in KEEP)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="keep the data and site in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="svportal-bench-"))
    data, output, cache = work / "data", work / "output", work / "chart-cache"
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "generate_sample_data.py"),
            "--out",
            str(data),
            "--contracts",
            str(args.contracts),
        ],
        check=True,
        capture_output=True,
    )
    print(f"data: {args.contracts} contracts generated in {time.perf_counter() - started:.1f} s")
    for label in ("cold", "warm"):
        seconds, lines = build(data, output, cache)
        print(f"\n{label} build: {seconds:.1f} s")
        for line in lines:
            print("  " + line)
    files = [p for p in output.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    pages = sum(1 for p in files if p.suffix == ".html")
    print(f"\noutput: {pages:,} HTML pages, {len(files):,} files, {size / 1e6:.0f} MB")
    if not args.keep:
        print(f"(work folder {work} left for inspection; delete it when done)")


if __name__ == "__main__":
    main()
