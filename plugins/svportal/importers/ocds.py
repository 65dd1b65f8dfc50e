"""``make import-ocds SRC=… [DATADIR=…] [BUYER="org-id …"]``: OCDS from Contracts Finder or Find a Tender
into the data folder's contracts, contract_suppliers, opportunities and opportunity_lots.

    python -m svportal.importers ocds --data DIR [--buyer ORG-ID-OR-NAME]... SOURCE

1. Read every release and record of SOURCE (a file or a folder: ocds_read.py), keeping only the processes
   of the ``--buyer`` commissioners when any are given, and gather each ocid's releases (ocds_store.py:
   in memory, or on disk once they outgrow it).
2. Compile each ocid's releases with ocdsmerge (ocds_compile.py) and map the compiled release to rows
   (ocds_map.py, with ocds_parties, ocds_fields, ocds_contracts and ocds_opportunities); every source
   field without a home becomes a loss-report line (kept on disk: spooled.py).
3. Check the rows the way a build would and merge them into the data files, keeping every column staff
   typed (ocds_write.py, with rowcheck.py and datafiles.py), and write the reports into
   DATADIR/import-reports/ (report.py).
   An empty data folder also gets a minimal datapackage.json for staff to complete (ocds_identity.py).

Exit status: 0 when imported, 1 when the input is not OCDS or a data file cannot be merged into (nothing
is written), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

from ..schema import SchemaError, read_contract
from .datafiles import CONTRACT, DataFileError, text_lines
from .ocds_compile import compile_process
from .ocds_identity import is_empty_data_folder, write_identity
from .ocds_map import map_release
from .ocds_read import Entry, OcdsInputError, PackageInfo, read_file, source_files
from .ocds_record import Record
from .ocds_store import COMPILED, MEMORY_BUDGET, RELEASE, ReleaseStore
from .ocds_write import TABLES, Collected, check_rows, merge_and_write
from .report import ImportReport
from .spooled import SpooledLosses

PROGRESS_EVERY = 10_000  # releases between two progress lines
LINKED_RELEASE_KEYS = frozenset({"url", "date", "tag", "id", "ocid"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m svportal.importers ocds",
        description="Import OCDS (Contracts Finder, Find a Tender) into the portal's data folder.",
    )
    parser.add_argument("source", type=Path, help="a release or record package, JSON Lines, or a folder of them")
    parser.add_argument("--data", type=Path, required=True, help="the data folder to import into")
    parser.add_argument(
        "--buyer", action="append", default=[], help="keep only this buyer's processes (org-id or name; repeat)"
    )
    parser.add_argument("--contract", type=Path, default=CONTRACT, help="the data contract (datapackage.json)")
    parser.add_argument(
        "--memory-mb",
        type=float,
        default=MEMORY_BUDGET / 2**20,
        help="megabytes of releases kept in memory before the rest go to a temporary file on disk",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.data.exists() and not args.data.is_dir():
        print(f"--data {args.data}: is not a folder", file=sys.stderr)
        return 2
    try:
        contract = read_contract(args.contract)
    except SchemaError as exc:
        print(exc, file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        report = run(args.source, args.data, contract, args.buyer, int(args.memory_mb * 2**20))
    except (OcdsInputError, DataFileError) as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file that cannot be read or written (permissions, a full disk)
        print(f"The import stopped: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    print(f"Reports: {args.data / 'import-reports'}", file=sys.stderr)
    print(f"Took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def run(source: Path, data_dir: Path, contract, buyers: list[str], memory_budget: int) -> ImportReport:
    """The whole import (see the module docstring); raises OcdsInputError or DataFileError before writing."""
    report = ImportReport("OCDS", str(source), losses=SpooledLosses())  # its temporary file goes with it
    _import(source, data_dir, contract, buyers, memory_budget, report)
    return report


def _import(source: Path, data_dir: Path, contract, buyers: list[str], memory_budget: int, report) -> None:
    _check_data_files(data_dir, contract)
    empty = is_empty_data_folder(data_dir)
    known = _known_opportunities(data_dir / contract.table("opportunities").filename)
    wanted = BuyerFilter(buyers)
    with ReleaseStore(memory_budget) as store:
        infos = _read(source, store, wanted, report)
        collected = _map(store, wanted, known, report)
    if buyers:
        report.notes.append(f"kept the processes of {len(collected.buyers):,} buyer(s): BUYER={' '.join(buyers)}")
    else:
        report.notes.append(f"buyers: {len(collected.buyers):,}")
    try:
        check_rows(collected, contract, report)
        _package_losses(infos, report)
        imported = any(collected.count(name) for name in TABLES)
        for name in TABLES:
            merge_and_write(data_dir, contract, name, collected, report)
    finally:
        collected.close()
    if empty and imported:
        publisher = next(iter(collected.buyers)) if len(collected.buyers) == 1 else None
        publisher = publisher or next((info.publisher for info in infos if info.publisher), None)
        write_identity(data_dir, publisher)
        report.notes.append(
            f"wrote {data_dir.name}/datapackage.json (publisher: {publisher or 'none'}): the data folder was empty; "
            'complete it with the area, a contact email and the licence, then remove "complete": false'
        )
    report.write(data_dir, "ocds")


# --- reading ------------------------------------------------------------------------------------------


class BuyerFilter:
    """The ``--buyer`` values: org-ids or names a process's buyer must match (any, when none are given)."""

    def __init__(self, wanted: list[str]):
        self.keys = {key for value in wanted for key in _keys_of(value)}

    def __bool__(self) -> bool:
        return bool(self.keys)

    def keeps(self, release: dict) -> bool | None:
        """True or False when the release names its buyer; None when it does not say."""
        if not self.keys:
            return True
        found = buyer_keys(release)
        return bool(found & self.keys) if found else None


def buyer_keys(release: dict) -> set[str]:
    """What a release's buyers are known by: ids and org-ids (upper case), and ``name:`` + their names."""
    references = []
    buyer = release.get("buyer")
    if isinstance(buyer, dict):
        references.append(buyer)
    parties = release.get("parties")
    buyer_id = buyer.get("id") if isinstance(buyer, dict) else None
    for party in parties if isinstance(parties, list) else ():
        if not isinstance(party, dict):
            continue
        roles = party.get("roles")
        if (isinstance(roles, list) and "buyer" in roles) or (buyer_id is not None and party.get("id") == buyer_id):
            references.append(party)
    keys = set()
    for reference in references:
        if reference.get("id") is not None:
            keys.add(str(reference["id"]).strip().upper())
        identifier = reference.get("identifier")
        if isinstance(identifier, dict) and identifier.get("scheme") and identifier.get("id") is not None:
            keys.add(f"{identifier['scheme']}-{identifier['id']}".strip().upper())
        for name in (reference.get("name"), identifier.get("legalName") if isinstance(identifier, dict) else None):
            if isinstance(name, str) and name.strip():
                keys.add("name:" + _name_key(name))
    return keys


def _keys_of(value: str) -> set[str]:
    return {value.strip().upper(), "name:" + _name_key(value)}


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.casefold()).split())


def _read(source: Path, store: ReleaseStore, wanted: BuyerFilter, report: ImportReport) -> list[PackageInfo]:
    """Every release of the source into the store (the wanted buyers' only); the files' package metadata."""
    files = source_files(source)
    infos, read, others, linked = [], 0, 0, 0
    started = time.perf_counter()
    for path in files:
        info = PackageInfo(path)
        infos.append(info)
        for entry in read_file(path, info):
            for ocid, kind, release in _releases_of(entry):
                if kind == "linked":
                    linked += 1
                    continue
                read += 1
                if read % PROGRESS_EVERY == 0:
                    print(f"  read {read:,} releases ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
                if wanted.keeps(release) is False:
                    others += 1
                    continue
                try:
                    store.add(ocid, release, kind)
                except RecursionError:
                    raise OcdsInputError(f"{path}: {entry.where}: is nested too deeply to be read") from None
    noun = "file" if len(files) == 1 else "files"
    report.notes.append(f"read {read:,} releases from {len(files):,} {noun}: {len(store):,} contracting processes")
    if others:
        report.notes.append(f"left out {others:,} releases of other buyers")
    if linked:
        report.notes.append(
            f"{linked:,} linked releases (a url, not the release) were not read: their records' "
            "releases or compiled release were used"
        )
    if store.spilled:
        report.notes.append("the releases outgrew memory and were kept on disk while compiling")
    return infos


def _releases_of(entry: Entry):
    """(ocid, kind, release) for a release, or for each release of a record (its compiled release when it
    has only linked releases)."""
    data = entry.data
    ocid = data["ocid"].strip()
    if entry.kind == "release":
        yield ocid, RELEASE, data
        return
    releases = data.get("releases") if isinstance(data.get("releases"), list) else []
    full = [r for r in releases if isinstance(r, dict) and set(r) - LINKED_RELEASE_KEYS]
    for release in full:
        yield ocid, RELEASE, release if release.get("ocid") == ocid else {**release, "ocid": ocid}
    for _ in range(len(releases) - len(full)):
        yield ocid, "linked", None
    compiled = data.get("compiledRelease")
    if not full and isinstance(compiled, dict):
        yield ocid, COMPILED, compiled if compiled.get("ocid") == ocid else {**compiled, "ocid": ocid}


# --- compiling and mapping ----------------------------------------------------------------------------


def _map(store: ReleaseStore, wanted: BuyerFilter, known: dict[str, str], report: ImportReport) -> Collected:
    collected = Collected()
    ids: dict[str, str] = {}  # contract_id -> ocid, to refuse a repeated id
    started = time.perf_counter()
    for done, (ocid, entries) in enumerate(store.processes(), start=1):
        if done % PROGRESS_EVERY == 0:
            print(f"  compiled {done:,} processes ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        try:
            compiled = compile_process(ocid, entries)
            if compiled.release is not None and wanted and not (buyer_keys(compiled.release) & wanted.keys):
                continue  # its releases did not name the buyer; compiled, it names another one
            rec = Record(ocid, compiled.release) if compiled.release is not None else None
            mapped = map_release(rec, compiled.tags, known.get(ocid)) if rec is not None else None
            unread = rec.unread() if rec is not None else []
        except RecursionError:
            report.skip(ocid, "its releases are nested too deeply to be read")
            continue
        for message in compiled.warnings:
            report.warn(ocid, "(merging its releases)", message)
        if mapped is None:
            report.skip(ocid, compiled.why_not)
            continue
        for why in mapped.skipped:
            report.skip(ocid, why)
        for row in mapped.contracts:
            if row["contract_id"] in ids:
                report.skip(ocid, f"contract id {row['contract_id']} is already taken by {ids[row['contract_id']]}")
                continue
            ids[row["contract_id"]] = ocid
            collected.add("contracts", ocid, row)
            collected.buyers.setdefault(row["buyer_name"], row["buyer_id"])
        for row in mapped.suppliers:
            if ids.get(row["contract_id"]) == ocid:
                collected.add("contract_suppliers", ocid, row)
        if mapped.opportunity is not None:
            collected.add("opportunities", ocid, mapped.opportunity)
            collected.buyers.setdefault(mapped.opportunity["buyer_name"], mapped.opportunity["buyer_id"])
            for row in mapped.lots:
                collected.add("opportunity_lots", ocid, row)
        for path, message in rec.warnings:
            report.warn(ocid, path, message)
        for path, value, why in rec.losses:
            report.lose(ocid, path, value, why)
        for path, value in unread:
            report.lose(ocid, path, value)
    return collected


# --- checking, merging, writing -----------------------------------------------------------------------


def _known_opportunities(path: Path) -> dict[str, str]:
    """The opportunities already in the data folder: id -> title, read a line at a time."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="", errors="replace") as stream:
        reader = csv.reader(stream)
        header = [name.strip() for name in next(reader, [])]
        if "opportunity_id" not in header:
            return {}
        at, title = header.index("opportunity_id"), header.index("title") if "title" in header else None
        found = {}
        for cells in reader:
            if len(cells) > at and cells[at].strip():
                found[cells[at].strip()] = cells[title].strip() if title is not None and len(cells) > title else ""
        return found


def _check_data_files(data_dir: Path, contract) -> None:
    """Each data file the import merges into is UTF-8 text with its key columns (before anything is read)."""
    for name, (_, key) in TABLES.items():
        path = data_dir / contract.table(name).filename
        if not path.is_file():
            continue
        raw = path.read_bytes()
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFileError(f"{path}: not UTF-8 text (byte {exc.start}): save it as CSV UTF-8 first") from None
        lines = csv.reader(text_lines(raw))
        header = [cell.strip() for cell in next(lines, [])]
        missing = [column for column in key if column not in header]
        if missing and any(any(cell.strip() for cell in cells) for cells in lines):
            raise DataFileError(f"{path}: has no {', '.join(missing)} column, so imported rows cannot be matched")


def _package_losses(infos: list[PackageInfo], report: ImportReport) -> None:
    """The packages' own metadata (licence, publication policy...), once per different value."""
    seen = set()
    for info in infos:
        for key, value in info.metadata.items():
            if key == "publisher" or (key, repr(value)) in seen:
                continue
            seen.add((key, repr(value)))
            report.lose(info.path.name, key, value, "the package's metadata: not shown")
