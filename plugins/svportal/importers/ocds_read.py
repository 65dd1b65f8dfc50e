"""Reading OCDS as Contracts Finder and Find a Tender publish it, one release or record at a time.

A source is a file or a folder of files (``*.json``, ``*.jsonl``, ``*.jsonlines``, ``*.ndjson``, in name
order, hidden files left out). A file is one of:

* a release package (``{"releases": [...]}``) or a record package (``{"records": [...]}``), read as a
  stream with ijson, so a file larger than memory is never held whole; several packages one after the
  other in one file are read too;
* JSON Lines: one JSON value a line, each a release, a record, a release package or a record package.

:func:`read_file` yields each release (with the name of where it is, such as ``releases[12]`` or
``line 7``) and each record, and fills in the file's :class:`PackageInfo` (the publisher's name and the
package's other metadata, as far as it comes before the releases). Input that is not OCDS (not JSON, not
UTF-8, no ``releases`` or ``records``, a release that is not an object or has no ``ocid``) raises
:class:`OcdsInputError`, whose message names the file and the JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson

SUFFIXES = (".json", ".jsonl", ".jsonlines", ".ndjson")
LINE_SUFFIXES = (".jsonl", ".jsonlines", ".ndjson")
BOM = b"\xef\xbb\xbf"
METADATA_KEYS = ("uri", "version", "publishedDate", "publisher", "license", "publicationPolicy", "extensions")


class OcdsInputError(Exception):
    """The input is not OCDS: the message names the file and the JSON path."""


@dataclass(frozen=True)
class Entry:
    """One release or record of the source, and where it is (``file: releases[3]``)."""

    kind: str  # "release" or "record"
    data: dict
    where: str


@dataclass
class PackageInfo:
    """What a file's package says about itself (from the first package of the file)."""

    path: Path
    publisher: str | None = None
    metadata: dict = field(default_factory=dict)  # uri, version, license... as far as they precede the releases


def source_files(source: Path) -> list[Path]:
    """The files of a source: the file itself, or the OCDS files of a folder (and its subfolders), by name."""
    if source.is_file():
        return [source]
    if not source.exists():
        raise OcdsInputError(f"{source}: no such file or folder")
    found = sorted(
        path
        for path in source.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(source).parts)
    )
    if not found:
        raise OcdsInputError(f"{source}: the folder has no OCDS files ({', '.join('*' + s for s in SUFFIXES)})")
    return found


def read_file(path: Path, info: PackageInfo) -> Iterator[Entry]:
    """Each release and record of one file (see the module docstring); ``info`` is filled in on the way."""
    if path.suffix.lower() in LINE_SUFFIXES:
        yield from _read_lines(path, info)
        return
    kind = _sniff(path, info)
    if kind == "lines":
        yield from _read_lines(path, info)
        return
    prefix = "releases.item" if kind == "releases" else "records.item"
    name = "releases" if kind == "releases" else "records"
    entry_kind = "release" if kind == "releases" else "record"
    count = 0  # the items read whole: an error is in the next one
    with _open(path) as stream:
        try:
            for item in ijson.items(stream, prefix, multiple_values=True, use_float=True):
                where = f"{name}[{count}]"
                _check(item, entry_kind, path, where)
                yield Entry(entry_kind, item, where)
                count += 1
        except ijson.JSONError as exc:
            raise OcdsInputError(f"{path}: {name}[{count}]: {_json_problem(exc)}") from None


# --- what kind of file --------------------------------------------------------------------------------


def _open(path: Path):
    stream = path.open("rb")
    if stream.read(3) != BOM:
        stream.seek(0)
    return stream


def _sniff(path: Path, info: PackageInfo) -> str:
    """``releases`` or ``records`` (a package: the key that holds them), or ``lines`` (JSON values one after
    the other, each a release or a record); the package's metadata before its releases goes into ``info``.

    Reads only as far as it must: to the ``releases`` or ``records`` key of a package, or through the first
    value of other files.
    """
    prefix = ""
    with _open(path) as stream:
        events = ijson.parse(stream, multiple_values=True)
        try:
            first = next(events, None)
            if first is None:
                raise OcdsInputError(f"{path}: the file is empty, not JSON")
            if first[1] != "start_map":
                kind = "a list [...]" if first[1] == "start_array" else "a single value"
                raise OcdsInputError(
                    f"{path}: (top level): is {kind}, not an OCDS release package, record package or release "
                    "(a JSON object {...})"
                )
            builder = ijson.ObjectBuilder()
            builder.event("start_map", None)
            keys = set()
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    keys.add(value)
                    if value in ("releases", "records"):
                        _fill(info, builder.value)
                        following = next(events, (None, None, None))[1]
                        if following != "start_array":
                            raise OcdsInputError(f"{path}: {value}: is not a list [...] of {value}")
                        return value
                if prefix == "" and event == "end_map":
                    break
                builder.event(event, value)
            if "ocid" in keys:
                return "lines"  # a release or a record: JSON Lines in a .json file
            raise OcdsInputError(
                f"{path}: (top level): has no 'releases' or 'records': not an OCDS release package or record "
                "package (a release needs an 'ocid')"
            )
        except ijson.JSONError as exc:
            raise OcdsInputError(f"{path}: {_path_of(prefix)}: {_json_problem(exc)}") from None


def _fill(info: PackageInfo, found: dict) -> None:
    """The package's metadata into ``info`` (only from the first package of a file)."""
    if info.metadata or info.publisher or not isinstance(found, dict):
        return
    info.metadata = {key: found[key] for key in METADATA_KEYS if key in found}
    publisher = found.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and publisher["name"].strip():
        info.publisher = " ".join(publisher["name"].split())


# --- JSON Lines ---------------------------------------------------------------------------------------


def _read_lines(path: Path, info: PackageInfo) -> Iterator[Entry]:
    with _open(path) as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            where = f"line {number}"
            try:
                value = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise OcdsInputError(f"{path}: {where}: not UTF-8 text (byte {exc.start + 1} of the line)") from None
            except json.JSONDecodeError as exc:
                raise OcdsInputError(f"{path}: {where}: not valid JSON ({exc.msg}, column {exc.colno})") from None
            yield from _entries_of_value(value, path, where, info)


def _entries_of_value(value, path: Path, where: str, info: PackageInfo) -> Iterator[Entry]:
    """The releases or records of one JSON value of a JSON Lines file."""
    if not isinstance(value, dict):
        raise OcdsInputError(f"{path}: {where}: is not a JSON object: expected a release, a record or a package")
    if "records" in value or ("releases" in value and "ocid" not in value):
        key = "records" if "records" in value else "releases"
        _fill(info, {k: v for k, v in value.items() if k not in ("releases", "records")})
        items = value[key]
        if not isinstance(items, list):
            raise OcdsInputError(f"{path}: {where}: {key}: is not a list [...]")
        kind = "record" if key == "records" else "release"
        for number, item in enumerate(items):
            inner = f"{where}: {key}[{number}]"
            _check(item, kind, path, inner)
            yield Entry(kind, item, inner)
        return
    kind = (
        "record"
        if "ocid" in value and ("compiledRelease" in value or isinstance(value.get("releases"), list))
        else "release"
    )
    _check(value, kind, path, where)
    yield Entry(kind, value, where)


# --- checks and messages ------------------------------------------------------------------------------


def _check(item, kind: str, path: Path, where: str) -> None:
    """A release or record must be an object with a non-blank text ``ocid``."""
    if not isinstance(item, dict):
        raise OcdsInputError(f"{path}: {where}: is not a JSON object: an OCDS {kind} is an object {{...}}")
    ocid = item.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        missing = "has no 'ocid'" if ocid is None else "has an 'ocid' that is not text"
        raise OcdsInputError(f"{path}: {where}: {missing}: every OCDS {kind} needs one")


def _json_problem(exc: Exception) -> str:
    """ijson's error as one line: what is wrong, without the quoted text it shows."""
    text = exc.args[0] if exc.args else str(exc)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    first = str(text).strip().splitlines()[0] if str(text).strip() else "cannot be read"
    if "invalid bytes in UTF8" in first:
        return "not UTF-8 text: save the file as UTF-8"
    if "premature EOF" in first:
        return "the JSON ends too early (the file is cut short)"
    return f"not valid JSON ({first})"


def _path_of(prefix: str) -> str:
    """An ijson prefix (``releases.item.tender``) as a JSON path (``releases[].tender``); the top level named."""
    return prefix.replace(".item", "[]") if prefix else "(top level)"
