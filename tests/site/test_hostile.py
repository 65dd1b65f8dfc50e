"""Hostile but valid data (tests/fixtures/hostile): ``make html`` builds it and the publish gates accept it.

The fixture is the opportunities fixture plus text an attacker or a careless paste could put in
the CSVs, every value valid under the data contract: http, https and mailto links, script and
``onerror`` HTML, ``javascript:`` and ``data:`` links, images from other sites, a right-to-left
override, emoji joined by zero-width joiners, very long words, Markdown tables, HTML entities,
quotes and angle brackets in names. What ``make html`` builds, ``make publish`` must publish:
before this, an http link in a description built fine and then failed the HTML gate.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from conftest import BUILD_DATE, CHART_CACHE, FIXTURES, ROOT, SMALL, portal_settings

pytestmark = pytest.mark.site

HOSTILE = FIXTURES / "hostile"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The hostile fixture built by a real ``make html``, as staff would build it."""
    output = tmp_path_factory.mktemp("hostile") / "output"
    command = [
        "make",
        "--no-print-directory",
        "html",
        f"DATADIR={HOSTILE}",
        f"OUTPUTDIR={output}",
        f"BUILD_DATE={BUILD_DATE}",
    ]
    result = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "CHART_CACHE": str(CHART_CACHE)},
        check=False,
        capture_output=True,
        text=True,
    )
    report = result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, f"make html refused the hostile fixture:\n{report}"
    return output.resolve()


def pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    return {str(p.relative_to(site)): lxml.html.fromstring(p.read_bytes()) for p in sorted(site.rglob("*.html"))}


def test_nothing_in_the_data_becomes_script_a_handler_or_a_dangerous_link(hostile_site):
    found = []
    for name, doc in pages(hostile_site).items():
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            found += [f"{name}: {attribute} on <{el.tag}>" for attribute in el.attrib if attribute.startswith("on")]
            if el.tag == "script" and el.get("src") is None:
                found.append(f"{name}: an inline <script>")
            if el.tag in ("iframe", "frame", "object", "embed", "base") or (
                el.tag == "meta" and el.get("http-equiv", "").lower() == "refresh"
            ):
                found.append(f"{name}: <{el.tag}>")
            scheme = urlsplit(el.get("href", "")).scheme
            if scheme not in ("", "http", "https", "mailto"):
                found.append(f"{name}: a {scheme}: link")
        found += [
            f"{name}: <{el.tag}> in text from the data"
            for prose in doc.find_class("app-prose")
            for el in prose.iter("form", "input", "img", "style")
        ]
    assert found == []


def test_hostile_text_is_shown_as_the_text_it_is(hostile_site):
    doc = pages(hostile_site)["contracts/mcc-asc-2024-001/index.html"]
    prose = doc.find_class("app-prose")[0]
    text = prose.text_content()
    assert '<script>alert(1)</script> "><img src=x onerror=alert(1)>' in text
    assert "\u202etxet desrever\u202e" in text and "\U0001f469\u200d\U0001f469\u200d\U0001f467" in text
    assert "a picture from elsewhere" in text and prose.find(".//img") is None
    # contracts.description is plain text (the contract has no "markdown" on it): the Markdown is shown
    # as written, and only the bare web and email addresses in it become links
    assert "[click me](javascript:alert(1))" in text and "# A heading in the data" in text
    assert "entities & <b> \u00a9 \u202e \u00a0end." in text  # each entity read once
    links = {a.get("href"): a.get("rel") for a in prose.iter("a")}
    assert links == {
        "http://example.org/old-page?a=1&b=2": "noopener noreferrer",
        "https://example.org/a%20b#part": "noopener noreferrer",
        "mailto:bids@example.org": "noopener noreferrer",
        "https://example.org/auto": "noopener noreferrer",
        "https://evil.example/": "noopener noreferrer",
        "https://evil.example/pixel.png": "noopener noreferrer",
    }
    assert [el.tag for el in prose.iter("h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "ul", "ol", "table")] == []


def test_the_publish_gates_accept_what_make_html_built(hostile_site):
    from svportal.gates import broken_internal_links, run_gates

    assert len(list(hostile_site.rglob("*.html"))) > 100  # the gates check a site of more than 100 pages
    assert broken_internal_links(hostile_site, "") == []
    run_gates(hostile_site)  # raises GateError naming each failed gate


def test_every_top_level_file_and_folder_the_portal_writes_is_reserved(hostile_site):
    from svportal.editorial import GENERATED_TOP_LEVEL, WRITTEN_WHEN_GIVEN

    content_pages = {p.stem for p in (ROOT / "content" / "pages").glob("*.md")}
    written = {p.name for p in hostile_site.iterdir()} - content_pages
    assert written - GENERATED_TOP_LEVEL == set()
    assert GENERATED_TOP_LEVEL - written == WRITTEN_WHEN_GIVEN  # the hostile data has no grants or payments


def test_a_content_page_at_a_generated_address_stops_the_build_with_one_line(tmp_path, capsys):
    from svportal.build import build

    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "our-contracts.md").write_text(
        "Title: Our contracts\nSlug: contracts\n\nHello.\n", encoding="utf-8"
    )
    output = tmp_path / "output"
    code = build(ROOT / "pelicanconf.py", output, {**portal_settings(SMALL), "PATH": str(content)})
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        (
            "content/pages/our-contracts.md: Slug: 'contracts' is an address of the portal's own pages (/contracts/): "
            "give the page another slug"
        ),
        "1 problem in content/pages/our-contracts.md; nothing was published.",
    ]
    assert not output.exists()
