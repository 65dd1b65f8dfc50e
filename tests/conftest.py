"""Shared fixtures: the data contract, writable fixture data, and sites built once per run.

The helpers themselves (paths, building a site, the local server, Chromium, page text) are in
``tests/support/``; the names tests imported from here before are still importable from here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:  # `import support` from any folder, `pytest tests/gates` under make publish too
    sys.path.insert(0, str(TESTS))

from support.sites import (  # noqa: E402 (needs the line above)
    BUILD_DATE,
    CHART_CACHE,
    FIXTURES,
    OPPORTUNITIES,
    ROOT,
    SMALL,
    build_site,
    edit_csv,
    portal_settings,
)

__all__ = [
    "BUILD_DATE",
    "CHART_CACHE",
    "FIXTURES",
    "OPPORTUNITIES",
    "ROOT",
    "SMALL",
    "build_site",
    "edit_csv",
    "portal_settings",
]


def pytest_addoption(parser):
    parser.addoption(
        "--golden-update",
        action="store_true",
        help="rewrite tests/golden/expected/ from the site built now (what `make golden` runs)",
    )


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


# Sites built once per run and shared by every test that only reads them (tests/site, tests/browser).
# A test that changes the data or the output builds its own.


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    """The small fixture dataset (tests/fixtures/small) built once into a temporary folder."""
    output = tmp_path_factory.mktemp("small-site") / "output"
    assert build_site(SMALL, output) == 0
    return output


@pytest.fixture(scope="session")
def opportunities_site(tmp_path_factory) -> Path:
    """The fixture with opportunities (tests/fixtures/opportunities) built once, as at BUILD_DATE."""
    output = tmp_path_factory.mktemp("opportunities-site") / "output"
    assert build_site(OPPORTUNITIES, output, build_date=BUILD_DATE) == 0
    return output


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The bundled sample data (``data/``) built once per run, as ``make html`` builds it: the site
    the quality gates (tests/gates) and the widths test (tests/browser/test_widths.py) both open."""
    output = tmp_path_factory.mktemp("sample-site") / "output"
    assert build_site(ROOT / "data", output) == 0, "the sample site did not build"
    return output


# No test asserts a time (bench/ measures speed): hypothesis's per-example deadline only makes tests
# flaky on a busy machine, so it is off for every property test.
settings.register_profile("portal", deadline=None)
settings.load_profile("portal")
