"""Shared fixtures: the project's paths, the data contract, and a site builder."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
BUILD_DATE = "2026-11-23"


def pytest_addoption(parser):
    parser.addoption("--golden-update", action="store_true",
                     help="rewrite tests/golden/expected/ from the site built now (what `make golden` runs)")


@pytest.fixture(scope="session")
def contract():
    from svportal.schema import read_contract

    return read_contract(ROOT / "data" / "datapackage.json")


@pytest.fixture
def small_copy(tmp_path) -> Path:
    """A writable copy of the small fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a fixture CSV, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


CHART_CACHE = Path(tempfile.mkdtemp(prefix="svportal-test-charts-"))  # shared by this test run only


def portal_settings(data_dir: Path, build_date: str = BUILD_DATE, **extra) -> dict:
    import pelicanconf

    extra.setdefault("chart_cache", str(CHART_CACHE))
    return {"PORTAL": {**pelicanconf.PORTAL, "data_dir": str(data_dir), "build_date": build_date, **extra}}


def build_site(data_dir: Path, output: Path, build_date: str = BUILD_DATE, settings: str = "pelicanconf.py", **extra) -> int:
    """Build a site in-process, the way ``make html`` does; returns the exit code."""
    from svportal.build import build

    return build(ROOT / settings, output, portal_settings(data_dir, build_date, **extra))


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    """The small fixture dataset built once into a temporary folder."""
    output = tmp_path_factory.mktemp("small-site") / "output"
    assert build_site(SMALL, output) == 0
    return output
