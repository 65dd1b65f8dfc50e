"""Full-text search: index the built site with Pagefind.

Pagefind reads the HTML that the build wrote, indexes what is inside
``<main data-pagefind-body>`` (with the ``data-pagefind-filter`` values the
templates put there: type, buyer) and writes its index and JavaScript into
``<folder>/pagefind/``. The search page (``/search/``) loads that with
``/pagefind/pagefind.js``. The build calls :func:`index_site` on the new
folder before swapping it in, so a failure leaves the published site alone.

Same inputs, same bytes: Pagefind (1.5) writes each filter's values in an
arbitrary order, so its filter files, and the metadata file naming them, differ
from run to run (https://github.com/Pagefind/pagefind/issues/638). After it
runs, :func:`_sort_filters` writes those files again with the values in order,
named the way Pagefind names its files (language, then the SHA-1 of the
content). Pagefind only looks filters up by name, so search works the same.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import subprocess
import sys
import time
from pathlib import Path

from .lifetime import preexec_die_with_parent

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the folder, inside the site, that Pagefind writes
TIMEOUT_SECONDS = 600
PAGEFIND_VERSION = "1.5.2"  # the index layout _sort_filters knows; pinned in requirements.txt
HEADER = b"pagefind_dcd"  # starts every (gunzipped) index file, before its CBOR content


class SearchIndexError(RuntimeError):
    """Pagefind failed, or wrote an index this module cannot read; the message says why."""


def index_site(folder: Path) -> None:
    """Run ``python -m pagefind --site <folder>`` and check that it wrote an index.

    Quiet unless it fails: on failure raise :class:`SearchIndexError` with
    Pagefind's own output. Logs how many pages were indexed and how long it took.
    """
    folder = Path(folder).resolve()
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", BUNDLE]
    started = time.perf_counter()
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            preexec_fn=preexec_die_with_parent(),
        )  # killed with the build, whatever kills it
    except subprocess.TimeoutExpired as exc:
        raise SearchIndexError(f"Pagefind did not finish indexing {folder} in {TIMEOUT_SECONDS} s") from exc
    output = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part and part.strip())
    if result.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed to index {folder} (exit code {result.returncode}); "
            f"is pagefind[extended] installed (requirements.txt)?\n{output}"
        )
    entry = folder / BUNDLE / "pagefind-entry.json"
    pages = _indexed_pages(entry, output)
    _sort_filters(entry)
    logger.info("Search index: %d pages indexed by Pagefind in %.2f s", pages, time.perf_counter() - started)


def _indexed_pages(entry: Path, output: str) -> int:
    """The number of pages in Pagefind's index, from the entry file it writes last."""
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        pages = sum(int(language["page_count"]) for language in languages.values())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchIndexError(f"Pagefind did not write a readable {entry}: {exc}\n{output}") from exc
    if pages == 0:
        raise SearchIndexError(
            f"Pagefind indexed no pages in {entry.parent.parent}: "
            f"does the base template still mark <main> with data-pagefind-body?\n{output}"
        )
    return pages


# Deterministic filter files


def _sort_filters(entry_path: Path) -> None:
    """Rewrite each language's filter files with their values sorted, then its metadata file and the entry."""
    bundle = entry_path.parent
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    if entry.get("version") != PAGEFIND_VERSION:
        raise SearchIndexError(
            f"Pagefind {entry.get('version')} wrote the index, but search.py knows the layout of "
            f"Pagefind {PAGEFIND_VERSION}: install the version pinned in requirements.txt"
        )
    for language in entry["languages"].values():
        old_meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(old_meta)
        prefix = language["hash"].split("_")[0]
        # [version, pages, index chunks, filters: [[name, chunk], ...], sorts, metadata fields]
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
            raise SearchIndexError(f"{old_meta.name} is not laid out as Pagefind {PAGEFIND_VERSION} lays it out")
        filters = []
        for name, chunk in meta[3]:
            old = bundle / "filter" / f"{chunk}.pf_filter"
            filter_name, values = _read(old)
            content = [filter_name, sorted([value, sorted(pages)] for value, pages in values)]
            filters.append([name, _write(bundle / "filter", prefix, 7, ".pf_filter", content, old)])
        meta[3] = sorted(filters)
        new_meta = _write(bundle, f"pagefind.{prefix}", 13, ".pf_meta", meta, old_meta)
        language["hash"] = new_meta.removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(HEADER):
        raise SearchIndexError(f"{path} is not a Pagefind index file")
    value, end = _cbor_decode(data, len(HEADER))
    if end != len(data):
        raise SearchIndexError(f"{path} has {len(data) - end} unexpected bytes at its end")
    return value


def _write(folder: Path, prefix: str, digits: int, suffix: str, value, old: Path) -> str:
    """Write ``value`` as ``<prefix>_<sha1 of its content>``; remove ``old``; return the new stem."""
    content = _cbor_encode(value)
    stem = f"{prefix}_{hashlib.sha1(content).hexdigest()[:digits]}"
    new = folder / f"{stem}{suffix}"
    if new != old:
        old.unlink()
    new.write_bytes(gzip.compress(HEADER + content, compresslevel=9, mtime=0))
    return stem


# The part of CBOR (RFC 8949) Pagefind's files use: unsigned integers, text and arrays.


def _cbor_head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | extra]) + number.to_bytes(size, "big")
    raise SearchIndexError(f"{number} is too big for CBOR")


def _cbor_encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise SearchIndexError(f"unexpected {value!r} in a Pagefind index file")
    if isinstance(value, int) and value >= 0:
        return _cbor_head(0, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _cbor_head(3, len(data)) + data
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(item) for item in value)
    raise SearchIndexError(f"unexpected {type(value).__name__} in a Pagefind index file")


def _cbor_decode(data: bytes, at: int):
    """The value that starts at ``data[at]`` and where the next one starts."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        number = info
    elif info <= 27:
        size = 1 << (info - 24)
        number = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise SearchIndexError(f"unexpected CBOR item (major type {major}, info {info}) in a Pagefind index file")
    if major == 0:
        return number, at
    if major == 3:
        return data[at : at + number].decode("utf-8"), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    raise SearchIndexError(f"unexpected CBOR major type {major} in a Pagefind index file")
