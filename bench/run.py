"""Benchmark: build the site from generated data of a given size and report where the time goes.

    make bench N=2000                    # or: .venv/bin/python bench/run.py --contracts 2000
    make bench N="2000 5000"             # several sizes: also the warm cost of each further contract

For each size it generates a valid dataset with scripts/generate_sample_data.py in a temporary
folder, then measures, with the real command line (``python -m svportal build``):

- the floor: writing the very same output files (the pages and downloads of the warm build,
  Pagefind's bundle apart) from memory with plain Python, in all and per contract;
- the portal cold (empty chart cache), warm (every chart cached) and after one contract's
  outcomes changed (only its charts are rendered again);
- each build's seconds per phase (load, model, charts, pages, downloads, search, swap), from
  the build's own log lines; the charts rendered and milliseconds per chart; how long the previous
  build took to be removed after the build returned (its detached remover; the next build waits);
- each build's peak memory: the whole process tree at once (the build and Pagefind), sampled;
- the files and bytes a contract adds, and a contract page's HTML bytes (median and largest).

Prints one table and writes the figures as JSON (``--json``, by default ``bench-<N>.json`` in the
work folder). No figure is asserted: a smoke run of a small size is a test (tests/unit/test_bench.py).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-11-23"
SEARCH_BUNDLE = "pagefind"

# The build's log lines that time a phase: (phase, pattern of the line, group of the seconds)
PHASES = [
    ("load", re.compile(r"Read .* in ([\d.]+) s")),
    ("model", re.compile(r"Computed delivery .* in ([\d.]+) s")),
    ("charts", re.compile(r"Charts: .* the pages waited ([\d.]+) s for them")),  # what rendering adds to the build
    ("pages", re.compile(r"Wrote [\d,]+ pages in ([\d.]+) s")),
    ("downloads", re.compile(r"and [\d,]+ downloads .* in ([\d.]+) s")),
    ("search", re.compile(r"Search index: .* in ([\d.]+) s")),
]
CHARTS = re.compile(r"Charts: ([\d,]+) rendered in \d+ process(?:es)?, ([\d,]+) from the cache, in ([\d.]+) s")
TOTAL = re.compile(r"Site built in .* in ([\d.]+) s")
SAMPLE_EVERY = 0.05  # seconds between memory samples


# --- measuring one build ----------------------------------------------------------------------


def tree_rss(root: int) -> int:
    """Bytes of memory (resident) held by a process and all its descendants now."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total


class PeakMemory:
    """Samples a process tree's memory in a thread until stopped; ``peak`` is the most seen at once."""

    def __init__(self, pid: int):
        self.pid, self.peak = pid, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, tree_rss(self.pid))

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def build(data: Path, output: Path, cache: Path) -> dict:
    """One build with the real command line: wall seconds, phases, charts and peak memory."""
    env = {
        **os.environ,
        "DATADIR": str(data),
        "BUILD_DATE": BUILD_DATE,
        "PYTHONPATH": str(ROOT / "plugins"),
        "CHART_CACHE": str(cache),
        "COLUMNS": "10000",  # one log record a line, however long its paths
    }
    command = [sys.executable, "-m", "svportal", "build", "--settings", str(ROOT / "pelicanconf.py")]
    command += ["--output", str(output)]
    os.sync()  # what the step before wrote (the floor's files, say) is on the disk before this build writes
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        memory = PeakMemory(process.pid)
        try:
            code = process.wait()
        except BaseException:  # stopped (Ctrl-C, SIGTERM): the build stops too, and removes its new folder
            process.terminate()
            process.wait()
            raise
        finally:
            peak = memory.stop()
        seconds = time.perf_counter() - started
        log.seek(0)
        text = log.read()
    if code:
        sys.exit(f"the build failed (exit {code}):\n{text[-5000:]}")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    removed = time.perf_counter()
    output_folder().OutputFolder(output).wait_for_removals()  # the next build starts on a quiet disk
    return {
        "seconds": round(seconds, 2),
        "peak_memory_mb": round(peak / 1e6),
        "old_build_removed_after_seconds": round(time.perf_counter() - removed, 2),
        **read_log(lines),
    }


def output_folder():
    """plugins/svportal/output_folder.py, which removes the previous build after the build has returned."""
    sys.path.insert(0, str(ROOT / "plugins" / "svportal"))  # it runs alone, beside lifetime.py
    try:
        import output_folder
    finally:
        sys.path.pop(0)
    return output_folder


def read_log(lines: list[str]) -> dict:
    """The phases' seconds and the chart counts from a build's log lines."""
    phases: dict[str, float] = {}
    found: dict = {"charts_rendered": 0, "charts_cached": 0}
    for line in lines:
        for name, pattern in PHASES:
            match = pattern.search(line)
            if match:
                phases[name] = phases.get(name, 0.0) + float(match.group(1))
        match = CHARTS.search(line)
        if match:
            found["charts_rendered"] = int(match.group(1).replace(",", ""))
            found["charts_cached"] = int(match.group(2).replace(",", ""))
            found["chart_seconds"] = float(match.group(3))
        match = TOTAL.search(line)
        if match:
            found["build_seconds"] = float(match.group(1))
    accounted = sum(phases.values())
    if "build_seconds" in found:  # what the build did besides: Pelican's own set-up, the swap, removing the old site
        phases["other"] = max(found["build_seconds"] - accounted, 0.0)
    found["phases"] = {name: round(seconds, 2) for name, seconds in phases.items()}
    if found["charts_rendered"]:  # amortised: the renderers' seconds, from the first chart to the last
        found["ms_per_chart"] = round(found["chart_seconds"] * 1000 / found["charts_rendered"], 1)
    return found


# --- the floor and the output's shape -----------------------------------------------------------


def site_files(site: Path) -> list[Path]:
    """The files the portal writes itself (Pagefind's bundle apart), in a stable order."""
    return sorted(p for p in site.rglob("*") if p.is_file() and p.relative_to(site).parts[0] != SEARCH_BUNDLE)


def floor(site: Path, scratch: Path) -> dict:
    """Seconds to write the site's own files from memory with plain Python: all of them, and the contracts' share."""
    files = site_files(site)
    contents = [(p.relative_to(site), p.read_bytes()) for p in files]
    contract_folders = {p.parent.relative_to(site) for p in (site / "contracts").glob("*/commitments.csv")}
    own = [(path, content) for path, content in contents if Path(*path.parts[:2]) in contract_folders]

    def write(items) -> float:  # the best of two runs: the first may wait for the disk
        best = math.inf
        for _ in range(2):
            target = scratch / "floor"
            shutil.rmtree(target, ignore_errors=True)
            started = time.perf_counter()
            made: set[Path] = set()
            for path, content in items:
                folder = (target / path).parent
                if folder not in made:
                    folder.mkdir(parents=True, exist_ok=True)
                    made.add(folder)
                (target / path).write_bytes(content)
            best = min(best, time.perf_counter() - started)
            shutil.rmtree(target, ignore_errors=True)
        return best

    seconds = write(contents)
    # A contract's share of it, by its files (what writing costs here, far more than their bytes): measured
    # apart, a second run of writes waits on the disk still flushing the first, and reads several times slower.
    return {
        "files": len(contents),
        "megabytes": round(sum(len(c) for _, c in contents) / 1e6, 1),
        "seconds": round(seconds, 2),
        "contract_files": len(own),
        "contract_seconds": round(seconds * len(own) / max(len(contents), 1), 3),
    }


def shape(site: Path, contracts: int) -> dict:
    """Files and bytes a contract adds, and its page's size."""
    # a contract's folder holds its commitments.csv; the filter pages' folders (status/good/ ...) do not
    folders = [p for p in (site / "contracts").iterdir() if (p / "commitments.csv").is_file()]
    pages = [(p / "index.html").stat().st_size for p in folders]
    own = [f for p in folders for f in p.rglob("*") if f.is_file()]
    everything = [p for p in site.rglob("*") if p.is_file()]
    return {
        "pages_html": sum(1 for p in everything if p.suffix == ".html"),
        "files": len(everything),
        "megabytes": round(sum(p.stat().st_size for p in everything) / 1e6, 1),
        "files_per_contract": round(len(own) / contracts, 1),
        "kb_per_contract": round(sum(f.stat().st_size for f in own) / contracts / 1e3, 1),
        "contract_page_kb_median": round(statistics.median(pages) / 1e3, 1) if pages else None,
        "contract_page_kb_largest": round(max(pages) / 1e3, 1) if pages else None,
        "contract_pages_over_60kb": sum(1 for size in pages if size > 60_000),
    }


# --- changing one contract ----------------------------------------------------------------------


def change_one_contract(data: Path) -> str:
    """Add 1 to what the first return in outcomes.csv delivered; the id of the contract it belongs to."""
    path = data / "outcomes.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    first = next(r for r in rows if r.get("delivered"))
    first["delivered"] = str(float(first["delivered"]) + 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return first["contract_id"]


# --- one size, and the report --------------------------------------------------------------------


def run(contracts: int, work: Path, save=lambda result: None, changed: bool = True) -> dict:
    data, output, cache = work / "data", work / "output", work / "chart-cache"
    started = time.perf_counter()
    generator = ROOT / "scripts" / "generate_sample_data.py"
    command = [sys.executable, str(generator), "--out", str(data), "--contracts", str(contracts)]
    subprocess.run(command, check=True, capture_output=True)
    result: dict = {"contracts": contracts, "generated_in_seconds": round(time.perf_counter() - started, 1)}
    print(f"{contracts:,} contracts generated in {result['generated_in_seconds']} s", file=sys.stderr)
    for label in ("cold", "warm"):
        result[label] = build(data, output, cache)
        print(f"  {label} build: {result[label]['seconds']} s", file=sys.stderr)
        save(result)  # a long run stopped part way keeps what it measured
    site = output.resolve()
    result["floor"] = floor(site, work)
    result["output"] = shape(site, contracts)
    if changed:
        result["changed_contract"] = change_one_contract(data)
        result["one_changed"] = build(data, output, cache)
        print(f"  one contract changed: {result['one_changed']['seconds']} s", file=sys.stderr)
    floor_per_contract = result["floor"]["contract_seconds"] / contracts
    result["warm_ms_per_contract"] = round(result["warm"]["seconds"] * 1000 / contracts, 2)
    result["floor_ms_per_contract"] = round(floor_per_contract * 1000, 3)
    return result


def marginal(results: list[dict]) -> None:
    """Between consecutive sizes: the warm build's cost of each further contract against its floor."""
    for smaller, larger in itertools.pairwise(results):
        more = larger["contracts"] - smaller["contracts"]
        if more <= 0:
            continue
        ms = (larger["warm"]["seconds"] - smaller["warm"]["seconds"]) * 1000 / more
        larger["warm_marginal_ms_per_contract"] = round(ms, 2)
        larger["warm_marginal_x_floor"] = round(ms / larger["floor_ms_per_contract"], 1)


def table(results: list[dict]) -> str:
    """The figures, one column per size, as a Markdown table."""
    rows: list[tuple[str, callable]] = [
        ("floor: the site's own files written from memory", lambda r: f"{r['floor']['seconds']} s"),
        ("  files, MB", lambda r: f"{r['floor']['files']:,}, {r['floor']['megabytes']}"),
        ("  a contract's own files (ms per contract)", lambda r: f"{r['floor_ms_per_contract']}"),
        ("cold build", lambda r: f"{r['cold']['seconds']} s"),
        ("  charts rendered", lambda r: f"{r['cold']['charts_rendered']:,}"),
        ("  ms per chart (2 cores, amortised)", lambda r: f"{r['cold'].get('ms_per_chart', '-')}"),
        ("warm build", lambda r: f"{r['warm']['seconds']} s"),
        ("  ms per contract (all of it / N)", lambda r: f"{r['warm_ms_per_contract']}"),
        (
            "  marginal ms per contract (from the size before)",
            lambda r: f"{r.get('warm_marginal_ms_per_contract', '-')}",
        ),
        ("  marginal x floor", lambda r: f"{r.get('warm_marginal_x_floor', '-')}"),
        ("one contract changed", lambda r: f"{r['one_changed']['seconds']} s" if "one_changed" in r else "-"),
        ("  charts rendered again", lambda r: f"{r['one_changed']['charts_rendered']}" if "one_changed" in r else "-"),
    ]
    for phase in ("load", "model", "charts", "pages", "downloads", "search", "other"):
        rows.append((f"warm: {phase} (s)", lambda r, p=phase: f"{r['warm']['phases'].get(p, '-')}"))
    order = ("load", "model", "charts", "pages", "downloads", "search", "other")
    rows += [
        (
            "cold: load / model / charts waited for / pages / downloads / search / other (s)",
            lambda r: " / ".join(str(r["cold"]["phases"].get(p, "-")) for p in order),
        ),
        (
            "previous build removed, after the build returned (s)",
            lambda r: f"{r['warm'].get('old_build_removed_after_seconds', '-')}",
        ),
        (
            "peak memory cold / warm (MB)",
            lambda r: f"{r['cold']['peak_memory_mb']:,} / {r['warm']['peak_memory_mb']:,}",
        ),
        (
            "output: HTML pages, files, MB",
            lambda r: f"{r['output']['pages_html']:,}, {r['output']['files']:,}, {r['output']['megabytes']}",
        ),
        ("files, KB per contract", lambda r: f"{r['output']['files_per_contract']}, {r['output']['kb_per_contract']}"),
        (
            "contract page KB: median, largest",
            lambda r: f"{r['output']['contract_page_kb_median']}, {r['output']['contract_page_kb_largest']}",
        ),
        ("contract pages over 60 KB", lambda r: f"{r['output']['contract_pages_over_60kb']}"),
    ]
    lines = ["| | " + " | ".join(f"N = {r['contracts']:,}" for r in results) + " |"]
    lines.append("|---|" + "---|" * len(results))
    lines += [f"| {label} | " + " | ".join(cell(r) for r in results) + " |" for label, cell in rows]
    return "\n".join(lines)


def stopped(signum, frame) -> None:
    """SIGTERM ends the benchmark as Ctrl-C does: through its ``finally`` blocks, which clean up."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contracts", type=int, nargs="+", default=[2000], help="one or more sizes (default 2000)")
    parser.add_argument("--keep", type=Path, help="keep the data and sites in this folder")
    parser.add_argument("--json", type=Path, help="write the figures here (default: in the work folder)")
    parser.add_argument("--no-change", action="store_true", help="skip the build after one contract changed")
    args = parser.parse_args(argv)
    if min(args.contracts) < 1:
        parser.error("--contracts must be at least 1")
    work = args.keep or Path(tempfile.mkdtemp(prefix="svportal-bench-"))
    report = args.json or work / f"bench-{'-'.join(str(n) for n in args.contracts)}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []

    def save(partial: dict | None = None) -> None:
        report.write_text(json.dumps([*results, *([partial] if partial else [])], indent=1) + "\n", encoding="utf-8")

    previous = signal.signal(signal.SIGTERM, stopped)  # stopped, it removes what it made, as on Ctrl-C
    try:
        for contracts in args.contracts:
            folder = work / f"n{contracts}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            try:
                results.append(run(contracts, folder, save, changed=not args.no_change))
            finally:
                if not args.keep:  # a size's data and sites take GBs: gone once measured, or stopped
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if not args.keep:
            with contextlib.suppress(OSError):
                work.rmdir()  # the temporary folder, unless the figures are in it
    marginal(results)
    save()
    print(table(results))
    print(f"\nFigures: {report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
