"""What a reader sees on a page, as plain text: the golden test compares this, not the markup.

An HTML page becomes one block per line, in reading order:

- ``title: …``, ``description: …`` and ``link <rel> <type>: <href>`` (other than stylesheets and
  icons) from the ``<head>``, then a ``---`` line;
- headings as ``# ``, ``## ``…; list items as ``- `` (indented two spaces a level deeper);
- table rows as their cells joined by `` | `` (a line break inside a cell becomes `` / ``);
- description lists as the term, then each description indented by two spaces;
- links as ``[text](href)``, images as ``![alt](src)``, form fields as ``[input name=… value=…]``;
- an SVG as ``[svg] <title>`` and ``[svg desc] <desc>``: nothing else of its drawing.

Whitespace is collapsed, class names and ids are dropped, and elements with the ``hidden``
attribute, ``<script>``, ``<style>`` and ``<template>`` are left out. So a change of markup that
a reader cannot see does not change the text, and every change a reader can see does.

For tests that look into a page's markup: :func:`page` (a built page, parsed) and
:func:`summary` (a GOV.UK summary list as a dict).
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from lxml import etree, html

SKIPPED = {"script", "style", "template", "head"}
# fmt: off
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html", "label", "legend", "li",
    "main", "nav", "noscript", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "ul",
}
# fmt: on
HEADINGS = {f"h{level}": "#" * level for level in range(1, 7)}
LISTS = {"ul", "ol"}
CELLS = {"td", "th"}
HEAD_LINKS_LEFT_OUT = {"stylesheet", "icon", "preload", "modulepreload"}
WHITESPACE = re.compile(r"\s+")


def local_name(element) -> str:
    """The tag name without any namespace (``svg``, ``title``), or '' for comments."""
    if not isinstance(element.tag, str):
        return ""
    return etree.QName(element).localname.lower()


def collapse(text: str) -> str:
    """Runs of whitespace as one space, with none at the ends."""
    return WHITESPACE.sub(" ", text).strip()


class TextWriter:
    """Collects the text of a tree of elements as lines, one block a line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.prefix = ""  # starts the next line written: "# ", "- "
        self.indent = ""  # starts every other line of the block being written (inside a list item)
        self.list_depth = 0

    def write(self, text: str | None) -> None:
        """Add inline text to the current line."""
        if text:
            self.parts.append(text)

    def end_line(self) -> None:
        """Finish the current line (if it has any text), led by the block's prefix or its indent."""
        line = collapse("".join(self.parts))
        if line:
            self.lines.append(f"{self.prefix or self.indent}{line}")
            self.prefix = ""
        self.parts = []

    def block(self, element, prefix: str = "", indent: str | None = None) -> None:
        """Write an element as a block of its own: its first line led by ``prefix``, the rest by ``indent``."""
        self.end_line()
        if prefix:
            self.prefix = prefix  # otherwise a list item's "- " still waits for its first line
        outer_indent = self.indent
        if indent is not None:
            self.indent = indent
        self.children(element)
        self.end_line()
        self.indent = outer_indent
        if prefix and self.prefix == prefix:
            self.prefix = ""  # an empty block: its prefix must not lead the next one

    def element(self, element) -> None:
        """Write one element (and its children), then the text that follows it (its tail)."""
        name = local_name(element)
        if name and name not in SKIPPED and element.get("hidden") is None:
            self.contents(element, name)
        self.write(element.tail)

    def children(self, element) -> None:
        """Write an element's own text and its children, in order."""
        self.write(element.text)
        for child in element:
            self.element(child)

    def contents(self, element, name: str) -> None:
        """Write an element according to what it is (heading, table row, list item, link, chart…)."""
        if name in HEADINGS:
            self.block(element, f"{HEADINGS[name]} ")
        elif name == "tr":
            self.end_line()
            cells = [cell_text(cell) for cell in element if local_name(cell) in CELLS]
            self.lines.append(self.indent + " | ".join(cells))
        elif name in LISTS:
            self.list_depth += 1
            self.block(element)
            self.list_depth -= 1
        elif name == "li":
            nesting = "  " * (self.list_depth - 1) if self.list_depth else ""
            self.block(element, f"{nesting}- ", f"{nesting}  ")
        elif name == "dd":
            self.block(element, indent=f"{self.indent}  ")
        elif name == "br":
            self.end_line()
        elif name == "a" and element.get("href") is not None:
            self.write("[")
            self.children(element)
            self.write(f"]({element.get('href')})")
        elif name == "img":
            self.write(f"![{element.get('alt', '')}]({element.get('src', '')})")
        elif name in {"input", "select", "textarea"}:
            self.write(f" {form_field(element, name)} ")
        elif name == "svg":
            self.end_line()
            self.lines.extend(self.indent + line for line in svg_text(element))
        elif name in BLOCKS:
            self.block(element)
        else:
            self.children(element)

    def text(self) -> str:
        """Everything written, one line each, ending with a newline."""
        self.end_line()
        return "".join(f"{line}\n" for line in self.lines)


def cell_text(cell) -> str:
    """A table cell's text on one line: its own lines joined by `` / ``."""
    writer = TextWriter()
    writer.children(cell)
    writer.end_line()
    return " / ".join(writer.lines)


def form_field(element, name: str) -> str:
    """A form field as ``[input type=… name=… value=…]``, or a select's options, the chosen one starred."""
    attributes = [
        f"{key}={element.get(key)}" for key in ("type", "name", "value", "placeholder") if element.get(key) is not None
    ]
    if name == "select":
        options = [
            collapse(option.text_content()) + ("*" if option.get("selected") is not None else "")
            for option in element.iter("option")
        ]
        attributes.append("options=" + " / ".join(options))
    return f"[{' '.join([name, *attributes])}]"


def svg_text(svg) -> list[str]:
    """Only what an SVG says in words: its ``<title>`` and ``<desc>``, not how it is drawn."""
    lines = []
    for child in svg.iter():
        name = local_name(child)
        if name in {"title", "desc"}:
            text = collapse(child.xpath("string()"))
            if text:
                lines.append(f"[svg{' desc' if name == 'desc' else ''}] {text}")
    return lines


def head_text(root) -> list[str]:
    """The parts of ``<head>`` that reach a reader or a machine: title, description, feeds and the like."""
    lines = []
    for title in root.iterfind(".//head/title"):
        lines.append(f"title: {collapse(title.text_content())}")
    for meta in root.iterfind(".//head/meta[@name='description']"):
        lines.append(f"description: {collapse(meta.get('content', ''))}")
    for link in root.iterfind(".//head/link"):
        rel = link.get("rel", "")
        if rel not in HEAD_LINKS_LEFT_OUT:
            lines.append(f"link {rel} {link.get('type', '')}: {link.get('href', '')}".replace("  ", " "))
    return lines


def page_text(markup: bytes) -> str:
    """The visible text of an HTML page, as described in this module's docstring."""
    root = html.document_fromstring(markup)
    writer = TextWriter()
    body = root.find("body")
    if body is not None:
        writer.children(body)
    return "".join(f"{line}\n" for line in head_text(root)) + "---\n" + writer.text()


def svg_file_text(markup: bytes) -> str:
    """A standalone SVG file as its ``<title>`` and ``<desc>`` lines."""
    root = etree.fromstring(markup, etree.XMLParser(resolve_entities=False, no_network=True))
    return "".join(f"{line}\n" for line in svg_text(root))


def page(site: Path, path: str) -> BeautifulSoup:
    """The page at ``path`` (``contracts/``, or '' for the home page) of a built site, parsed."""
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def summary(soup: BeautifulSoup) -> dict[str, str]:
    """A page's GOV.UK summary lists as {term: description}, each as its text on one line."""
    return {
        row.find("dt").get_text(" ", strip=True): row.find("dd").get_text(" ", strip=True)
        for row in soup.select(".govuk-summary-list__row")
    }


def chart_table(site: Path, path: str, figure) -> BeautifulSoup:
    """The data table of a chart on the page at ``path`` that links to it on another page (a contract's
    charts: its quarters/ page), found by the figure's link, ``quarters/#<id>``: the table after that heading."""
    link = figure.find("a", href=re.compile(r"#"), download=False)
    target, _, anchor = link["href"].partition("#")
    there = page(site, str(Path(path) / target))
    heading = there.find(id=anchor)
    assert heading is not None, f"{link['href']} from {path}: no element with id {anchor!r}"
    return heading.find_next("table")
