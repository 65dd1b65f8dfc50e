"""Benchmark: import N synthetic OCDS releases shaped like the Contracts Finder sample, twice.

    .venv/bin/python bench/import_ocds.py [--releases 10000] [--format package|jsonl] [--keep DIR]

Generates the releases from the real sample in tests/fixtures/ocds/ (each one a copy of a sample release
with its own ocid, ids, buyer, suppliers and values; one release in three updates the process before it,
so compiling has work to do), then runs the real command line (``python -m svportal.importers ocds``) into
an empty data folder, and again (the re-import that changes nothing). Prints, for each run, the wall time
(and the processor time, which does not grow when other work shares the machine) and the peak memory
(maximum resident set size) of the import process, and the import's own summary.
The targets: 10,000 releases in under 30 s, 100,000 in under 5 minutes, under 500 MB.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "ocds" / "contracts-finder-ocds-sample.json"
BUYERS = 400  # distinct buyers
SUPPLIERS = 5000  # distinct suppliers


def synthetic_releases(count: int, seed: int = 1):
    """``count`` releases, each a sample release with new identities and values (deterministic for a seed)."""
    package = json.loads(SAMPLE.read_text(encoding="utf-8"))
    templates = package["releases"]
    pick = random.Random(seed)
    ocid = None
    for number in range(count):
        release = copy.deepcopy(templates[number % len(templates)])
        updates_previous = number % 3 == 2 and ocid is not None
        if not updates_previous:
            ocid = f"ocds-b5fd17-bench-{number:08d}"
        release["ocid"] = ocid
        release["id"] = f"{ocid}-{number}"
        release["date"] = f"2022-{1 + number % 12:02d}-{1 + number % 28:02d}T{number % 24:02d}:00:00Z"
        buyer = pick.randrange(BUYERS)
        renamed = {}
        for party in release.get("parties", []):
            if "buyer" in party.get("roles", []):
                new_id, name = f"GB-CFS-9{buyer:05d}", f"Bench Buyer {buyer}"
            else:
                supplier = pick.randrange(SUPPLIERS)
                new_id, name = f"GB-COH-{supplier:08d}", f"Bench Supplier {supplier} Ltd"
            renamed[party["id"]] = (new_id, name)
            party["id"], party["name"] = new_id, name
            party["identifier"] = {"legalName": name, "scheme": new_id[:6], "id": new_id[7:]}
        if "buyer" in release:
            release["buyer"] = {"id": f"GB-CFS-9{buyer:05d}", "name": f"Bench Buyer {buyer}"}
        tender = release.get("tender", {})
        tender["id"] = f"BENCH-{number}"
        if "value" in tender:
            tender["value"]["amount"] = pick.randrange(1000, 5_000_000)
            if "minValue" in tender:
                tender["minValue"]["amount"] = tender["value"]["amount"] // 4
        for award in release.get("awards", []):
            award["id"] = f"{ocid}-{1 + number % 2}"
            award["value"]["amount"] = pick.randrange(1000, 5_000_000)
            for supplier in award.get("suppliers", []):
                supplier["id"], supplier["name"] = renamed.get(supplier["id"], (supplier["id"], supplier["name"]))
        yield release


def write_source(folder: Path, count: int, form: str) -> Path:
    """The releases as one release package (Contracts Finder's bulk shape) or as JSON Lines of releases."""
    folder.mkdir(parents=True, exist_ok=True)
    if form == "jsonl":
        path = folder / "releases.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for release in synthetic_releases(count):
                out.write(json.dumps(release, ensure_ascii=False) + "\n")
        return path
    path = folder / "release-package.json"
    package = json.loads(SAMPLE.read_text(encoding="utf-8"))
    head = {key: value for key, value in package.items() if key != "releases"}
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "releases": [\n')
        for number, release in enumerate(synthetic_releases(count)):
            out.write(("," if number else "") + json.dumps(release, ensure_ascii=False) + "\n")
        out.write("]}\n")
    return path


def run_import(source: Path, data: Path, log: Path) -> tuple[float, float, float, str]:
    """Run the import in a new process: its wall time, its processor time (user and system), its peak memory
    in MB and its output. The processor time is what the import itself took, whatever else the machine runs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [sys.executable, "-m", "svportal.importers", "ocds", "--data", str(data), str(source)]
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource usage
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    output = log.read_text(encoding="utf-8")
    if child.returncode:
        sys.exit(f"import failed:\n{output[-5000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--format", choices=("package", "jsonl"), default="package")
    parser.add_argument("--keep", type=Path, help="keep the source and the data folder in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="svportal-bench-ocds-"))
    started = time.perf_counter()
    source = write_source(work / "source", args.releases, args.format)
    size = source.stat().st_size
    print(f"source: {args.releases:,} releases, {size / 1e6:.0f} MB, written in {time.perf_counter() - started:.1f} s")
    data = work / "data"
    for label in ("first import (empty data folder)", "second import (nothing changes)"):
        seconds, cpu, peak_mb, output = run_import(source, data, work / "import.log")
        print(f"\n{label}: {seconds:.1f} s ({cpu:.1f} s of processor time), peak memory {peak_mb:.0f} MB")
        print("\n".join("  " + line for line in output.splitlines() if not line.startswith("    ")))
    if not args.keep:
        print(f"\n(work folder {work} left for inspection; delete it when done)")


if __name__ == "__main__":
    main()
