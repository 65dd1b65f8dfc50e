"""Writing downloads (CSV, JSON, feeds, calendars) beside the pages: shared by the portal's generators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import exports


class DownloadWriter:
    """Mixed into a Pelican generator, which provides ``output_path``."""

    output_path: str

    def _write_bytes(self, path: str, content: bytes) -> None:
        """A file at ``path`` below the output folder."""
        target = Path(self.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def _write_frame(self, stem: str, frame: pd.DataFrame) -> None:
        """A table as ``stem.csv`` and ``stem.json``."""
        self._write_bytes(f"{stem}.csv", exports.to_csv(frame))
        self._write_bytes(f"{stem}.json", exports.to_json(frame))
