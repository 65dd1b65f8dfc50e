"""Writing downloads (CSV, JSON, feeds, calendars) beside the pages: shared by the portal's generators.

Every file the portal's generators write, pages included, is first claimed in one
:class:`WrittenPaths` per build, so no file can silently replace another: a second
write to a path stops the build, naming both.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pandas as pd

from . import exports

CONTEXT_KEY = "svportal_written_paths"  # where the generators of one Pelican run find the shared registry


class PathWrittenTwice(Exception):
    """Two files of one build would have the same path: the second would silently replace the first."""


def path_key(path: str) -> str:
    """``path`` as the file system sees it: ``a//b/./c`` is ``a/b/c``, and case does not count (macOS, Windows)."""
    return posixpath.normpath(path.replace("\\", "/")).casefold()


class WrittenPaths:
    """The paths written so far in one build, each with what wrote it."""

    def __init__(self) -> None:
        self._sources: dict[str, tuple[str, str]] = {}

    def claim(self, path: str, source: str) -> None:
        """Record that ``source`` writes ``path``; raise :class:`PathWrittenTwice` if something already did."""
        key = path_key(path)
        if key in self._sources:
            first_path, first_source = self._sources[key]
            same = "" if first_path == path else f" (as {first_path})"
            raise PathWrittenTwice(f"{path} is written twice: by {first_source}{same} and by {source}")
        self._sources[key] = (path, source)

    def __contains__(self, path: str) -> bool:
        return path_key(path) in self._sources

    def __len__(self) -> int:
        return len(self._sources)


def written_paths(context: dict) -> WrittenPaths:
    """The registry of this Pelican run, made on first use: each run has its own context, so its own registry."""
    return context.setdefault(CONTEXT_KEY, WrittenPaths())


class DownloadWriter:
    """Mixed into a Pelican generator, which provides ``output_path`` and ``context``."""

    output_path: str
    context: dict

    @property
    def written(self) -> WrittenPaths:
        """Every path written so far in this build, by any of the portal's generators."""
        return written_paths(self.context)

    def _write_bytes(self, path: str, content: bytes, source: str) -> None:
        """A file at ``path`` below the output folder; ``source`` says what it is, should it clash."""
        self.written.claim(path, source)
        target = Path(self.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def _write_frame(self, stem: str, frame: pd.DataFrame, source: str) -> None:
        """A table as ``stem.csv`` and ``stem.json``."""
        self._write_bytes(f"{stem}.csv", exports.to_csv(frame), source)
        self._write_bytes(f"{stem}.json", exports.to_json(frame), source)
