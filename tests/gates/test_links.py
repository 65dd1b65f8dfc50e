"""Gate: no broken links and no missing anchors anywhere on the site (linkchecker)."""

from __future__ import annotations

import stat

from .conftest import BIN, require


def test_the_built_site_is_world_readable(site):
    """A static host reads the files as another user (and linkchecker, run as root, drops to nobody)."""
    private = [
        str(p.relative_to(site)) or "."
        for p in [site, *site.rglob("*")]
        if not p.stat().st_mode & stat.S_IROTH or (p.is_dir() and not p.stat().st_mode & stat.S_IXOTH)
    ]
    assert private == [], f"not world-readable: {private[:20]}"


def test_no_broken_links_or_anchors(checks):
    """linkchecker runs in the background from the start of the gates (``served_site`` in conftest.py)."""
    require("python", (BIN / "linkchecker").is_file())
    returncode, output = checks["links"].result()
    report = output.split("Start checking at", 1)[-1].strip()
    assert returncode == 0, f"linkchecker found broken links or missing anchors:\n{report[-6000:]}"
    assert " 0 warnings found. 0 errors found." in output, report
