"""Editorial pages (content/): sanitised as Pelican reads them; no page at an address the portal generates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from pelican.contents import Article, Page
from pelican.readers import MarkdownReader, Readers
from pelican.settings import read_settings

from conftest import ROOT
from svportal.editorial import (
    GENERATED_TOP_LEVEL,
    address_problem,
    refuse_generated_article_addresses,
    refuse_generated_page_addresses,
    removed,
    sanitise_editorial,
    sanitise_readers,
)
from svportal.problems import DataError


@pytest.fixture(scope="module")
def settings():
    return read_settings(str(ROOT / "pelicanconf.py"))


# Sanitising


@pytest.mark.parametrize(
    "dangerous, kept",
    [
        ('<meta http-equiv="refresh" content="0; url=https://evil.example/"><p>Hi</p>', "<p>Hi</p>"),
        ("<p>Hi</p><script>alert(1)</script>", "<p>Hi</p>"),
        ('<p onclick="alert(1)" onmouseover="alert(2)">Hi</p>', "<p>Hi</p>"),
        ('<iframe src="https://evil.example/"></iframe><p>Hi</p>', "<p>Hi</p>"),
        ('<p><a href="javascript:alert(1)">Hi</a></p>', "<p><a>Hi</a></p>"),
        ('<p><a href=" JaVaScRiPt:alert(1)">Hi</a></p>', "<p><a>Hi</a></p>"),
        ('<form action="https://evil.example/"><input name="x"></form><p>Hi</p>', "<p>Hi</p>"),
        ('<base href="https://evil.example/"><p>Hi</p>', "<p>Hi</p>"),
        ('<object data="x.swf"></object><embed src="x.swf"><p>Hi</p>', "<p>Hi</p>"),
        ("<style>body { display: none }</style><p>Hi</p>", "<p>Hi</p>"),
        ('<p style="color: red">Hi</p>', "<p>Hi</p>"),
        ('<frameset><frame src="https://evil.example/"></frameset><p>Hi</p>', "<p>Hi</p>"),
        ('<p><img src="http://evil.example/x.png" alt="x">Hi</p>', "<p>Hi</p>"),
        ('<p><img src="javascript:alert(1)" alt="x">Hi</p>', "<p>Hi</p>"),
    ],
)
def test_what_could_redirect_run_script_or_embed_is_dropped(dangerous, kept):
    assert sanitise_editorial(dangerous) == kept


NORMAL = """<h2 id="how">How it works &amp; why</h2>
<p>Text with <strong>bold</strong>, <em>emphasis</em>, <abbr title="Social value">SV</abbr>,
© and&nbsp;<code>code</code>.</p>
<p><a href="https://example.org/">a link</a>, <a href="mailto:a@example.org">mail</a>,
<a href="../methodology/">ours</a>,
<a href="{filename}/pages/about.md">Pelican's</a> and <a href="#how">this page</a>.</p>
<p><img alt="A chart" src="../theme/img/chart.png"> <img alt="" src="https://example.org/x.png"></p>
<table>
<thead>
<tr><th scope="col">Name</th><th>Value</th></tr>
</thead>
<tbody>
<tr><td colspan="2">x</td></tr>
</tbody>
</table>
<details><summary>More</summary><p>Hidden</p></details>
<blockquote><p>Quote</p></blockquote>
<ol start="3"><li>one<ul><li>two</li></ul></li></ol>
<dl><dt>Term</dt><dd>Definition</dd></dl>
<p>Footnote<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>
<div class="footnote"><hr><ol><li id="fn:1">
<p>Note&nbsp;<a class="footnote-backref" href="#fnref:1" title="Back">↩</a></p>
</li></ol></div>
<!-- an editor's comment -->
"""


def test_normal_editorial_html_is_kept_byte_for_byte():
    assert sanitise_editorial(NORMAL) == NORMAL


def test_characters_written_as_entities_may_come_out_as_characters():
    assert sanitise_editorial("<p>&copy; &#8617; &#160;&amp; &lt;b&gt;</p>") == "<p>© ↩ &nbsp;&amp; &lt;b&gt;</p>"


def test_when_something_is_dropped_the_rest_is_kept():
    clean = sanitise_editorial(NORMAL + "<script>alert(1)</script>")
    assert "<script" not in clean and "alert" not in clean
    assert removed(NORMAL + "<script>alert(1)</script>", clean) == ["<script>"]
    for kept in (
        '<abbr title="Social value">SV</abbr>',
        '<a href="{filename}/pages/about.md">',
        "<details>",
        '<th scope="col">',
        '<td colspan="2">',
        '<ol start="3">',
        '<sup id="fnref:1">',
        '<img alt="A chart"',
    ):
        assert kept in clean


@pytest.mark.parametrize("path", sorted((ROOT / "content").rglob("*.md")), ids=lambda p: p.name)
def test_the_sites_own_pages_are_unchanged(path, settings):
    html, _ = MarkdownReader(settings).read(str(path))
    assert sanitise_editorial(html) == html


def test_every_reader_of_content_sanitises_content_and_summary(tmp_path, settings):
    page = tmp_path / "evil.md"
    page.write_text(
        "Title: Evil <script>\nSummary: Hi <script>alert(1)</script> **there**\n\n"
        '<meta http-equiv="refresh" content="0; url=https://evil.example/">\n\n'
        'Hello [you](javascript:alert(1)) <b onclick="alert(1)">there</b>.\n',
        encoding="utf-8",
    )
    (tmp_path / "evil.html").write_text(
        '<html><head><title>Evil</title></head><body><p onclick="x()">Hi</p><script>alert(1)</script></body></html>',
        encoding="utf-8",
    )
    readers = Readers(settings)
    sanitise_readers(readers)
    sanitise_readers(readers)  # twice is once
    assert readers.reader_classes["md"].__mro__[2] is MarkdownReader
    content, metadata = readers.reader_classes["md"](settings).read(str(page))
    assert content == "<p></p>\n<p>Hello <a>you</a> <b>there</b>.</p>"
    assert metadata["summary"] == "<p>Hi  <strong>there</strong></p>"
    assert metadata["title"] == "Evil <script>"  # plain text: the templates escape it
    content, _ = readers.reader_classes["html"](settings).read(str(tmp_path / "evil.html"))
    assert "onclick" not in content and "<script" not in content and "Hi" in content


# Addresses the portal generates


def page(settings, slug: str, **metadata) -> Page:
    source = ROOT / "content" / "pages" / f"{slug or 'page'}.md"
    return Page(
        "<p>Hi</p>", metadata={"title": "A page", "slug": slug, **metadata}, settings=settings, source_path=str(source)
    )


@pytest.mark.parametrize("slug", [*sorted(name for name in GENERATED_TOP_LEVEL if "." not in name), "Contracts"])
def test_a_page_with_a_generated_slug_is_one_clear_problem(slug, settings):
    problem = address_problem(page(settings, slug))
    top = slug.casefold()
    assert str(problem) == (
        f"content/pages/{slug}.md: Slug: {slug!r} is an address of the portal's own pages "
        f"(/{top}/): give the page another slug"
    )


def test_a_page_saved_over_the_home_page_is_a_problem(settings):
    problem = address_problem(page(settings, "welcome", save_as="index.html"))
    assert str(problem) == (
        "content/pages/welcome.md: Save_as: 'index.html' is an address of the portal's own "
        "pages (/index.html): give the page another save_as"
    )


@pytest.mark.parametrize("slug", ["about", "contracts-explained", "my-data", "newsletter"])
def test_other_slugs_are_fine(slug, settings):
    assert address_problem(page(settings, slug)) is None


def test_the_page_generator_stops_the_build_listing_every_clash(settings):
    generator = SimpleNamespace(
        pages=[page(settings, "about"), page(settings, "search")],
        hidden_pages=[page(settings, "pagefind", status="hidden")],
        draft_pages=[],
    )
    with pytest.raises(DataError) as raised:
        refuse_generated_page_addresses(generator)
    assert str(raised.value).splitlines() == [
        (
            "content/pages/pagefind.md: Slug: 'pagefind' is an address of the portal's own pages (/pagefind/): "
            "give the page another slug"
        ),
        (
            "content/pages/search.md: Slug: 'search' is an address of the portal's own pages (/search/): "
            "give the page another slug"
        ),
        "2 problems in content/pages/pagefind.md, content/pages/search.md; nothing was published.",
    ]
    refuse_generated_page_addresses(SimpleNamespace(pages=[page(settings, "about")]))  # no clash: no error


def test_news_articles_live_in_news_but_not_over_its_index(settings):
    def article(slug, **metadata):
        return Article(
            "<p>Hi</p>",
            metadata={"title": "News", "slug": slug, "date": datetime(2026, 11, 1), **metadata},
            settings=settings,
            source_path=str(ROOT / "content" / "news" / f"{slug}.md"),
        )

    refuse_generated_article_addresses(SimpleNamespace(articles=[article("portal-launched"), article("contracts")]))
    for clash in (article("x", save_as="news/index.html"), article("y", save_as="contracts/index.html")):
        with pytest.raises(DataError):
            refuse_generated_article_addresses(SimpleNamespace(articles=[clash]))


def test_the_problem_names_the_file_relative_to_the_project(tmp_path, settings):
    elsewhere = {**settings, "PATH": str(tmp_path / "content")}
    clash = Page(
        "<p>Hi</p>",
        metadata={"title": "x", "slug": "data"},
        settings=elsewhere,
        source_path=str(tmp_path / "content" / "pages" / "x.md"),
    )
    assert address_problem(clash).file == "content/pages/x.md"
    assert Path(address_problem(clash).file).parts[0] == "content"
