"""The project's paths, the fixture datasets, and a whole site built in-process as ``make html`` does."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
for _path in (ROOT, ROOT / "plugins"):  # pelicanconf and svportal
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

FIXTURES = ROOT / "tests" / "fixtures"
SMALL = FIXTURES / "small"
OPPORTUNITIES = FIXTURES / "opportunities"
BUILD_DATE = "2026-11-23"

CHART_CACHE = Path(tempfile.mkdtemp(prefix="svportal-test-charts-"))  # shared by this test run only


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a fixture CSV, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def portal_settings(data_dir: Path, build_date: str = BUILD_DATE, **extra) -> dict:
    """The settings a build gets on top of the settings file: the data, the date, the test chart cache."""
    import pelicanconf

    extra.setdefault("chart_cache", str(CHART_CACHE))
    return {"PORTAL": {**pelicanconf.PORTAL, "data_dir": str(data_dir), "build_date": build_date, **extra}}


def build_site(
    data_dir: Path, output: Path, build_date: str = BUILD_DATE, settings: str = "pelicanconf.py", **extra
) -> int:
    """Build a site in-process, the way ``make html`` does; returns the exit code."""
    from svportal.build import build

    return build(ROOT / settings, output, portal_settings(data_dir, build_date, **extra))


def build_command(output: Path, *extra: str) -> list[str]:
    """The command line ``make html`` runs (``python -m svportal build``), for tests that need a new process."""
    return [
        sys.executable,
        "-m",
        "svportal",
        "build",
        "--settings",
        str(ROOT / "pelicanconf.py"),
        "--output",
        str(output),
        *extra,
    ]
