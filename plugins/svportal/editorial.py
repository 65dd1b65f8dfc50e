"""Safety of the editorial pages (content/pages, content/news): what Pelican itself renders.

1. Every reader of content/ gives sanitised HTML: a page cannot redirect visitors (``<meta
   http-equiv>``), run script (``<script>``, ``on…`` attributes, ``javascript:`` addresses), embed
   another site (``<iframe>``, ``<frame>``, ``<object>``, ``<embed>``), post a form or move the base
   address (``<form>``, ``<base>``), or carry styles the Content Security Policy would block
   (``<style>``, ``style=""``). Normal editorial HTML (headings, tables, lists, links, images from
   this site or https, abbreviations, details, footnotes) is kept; a page with nothing to remove
   is left byte for byte as Markdown wrote it (but for characters written as entities).
2. A page whose address is one the portal generates (``Slug: contracts``) stops the build with
   one line naming the file and the slug, before anything is written.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import nh3

from .problems import DataError, Problem

logger = logging.getLogger(__name__)

EDITORIAL_TAGS = {
    "a",
    "abbr",
    "aside",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
}
EDITORIAL_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
EDITORIAL_ATTRIBUTE_PREFIXES = {"aria-"}
EDITORIAL_SCHEMES = {"http", "https", "mailto", "tel"}
DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed"}
SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
IMAGE_WITHOUT_SOURCE = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')

# The top-level files and folders the portal writes (generators.py, search.py, the theme):
# no page from content/ may be saved there.
GENERATED_TOP_LEVEL = {
    "index.html",
    "sitemap.xml",
    "robots.txt",
    "areas",
    "buyers",
    "changes",
    "charts",
    "contracts",
    "data",
    "data-quality",
    "grants",
    "indicators",
    "news",
    "opportunities",
    "pagefind",
    "priorities",
    "search",
    "spend",
    "suppliers",
    "theme",
}
# Written only when the data has them (grants.csv, payments.csv) or the site has an address (sitemap.xml);
# reserved all the same, so adding the data never collides with a content page
WRITTEN_WHEN_GIVEN = {"sitemap.xml", "grants", "spend"}


class TagsAndAttributes(HTMLParser):
    """Collects every tag and every tag's attributes in an HTML fragment (to say what was removed)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: dict[str, set[str]] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.setdefault(tag, set()).update(name for name, _ in attrs)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tags.add(tag)

    def found(self) -> set[str]:
        """Every tag as ``<tag>`` and every attribute as ``tag@attribute``."""
        attributes = {f"{tag}@{name}" for tag, names in self.attributes.items() for name in names}
        return {f"<{tag}>" for tag in self.tags} | attributes


def sanitise_editorial(html: str) -> str:
    """Editorial HTML without anything that could redirect, run script or embed another site.

    The HTML is parsed and written out again (by nh3, as a browser parses it), so what is kept is
    exactly what the browser sees. HTML that Markdown writes comes out byte for byte the same when
    there is nothing to remove; only characters written as entities (``&copy;``) may come out as
    the characters themselves.
    """
    if not html:
        return html
    clean = nh3.clean(
        html,
        tags=EDITORIAL_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=EDITORIAL_ATTRIBUTES,
        generic_attribute_prefixes=EDITORIAL_ATTRIBUTE_PREFIXES,
        attribute_filter=keep_image_sources,
        url_schemes=EDITORIAL_SCHEMES,
        strip_comments=False,
        link_rel=None,
    )
    return IMAGE_WITHOUT_SOURCE.sub("", clean)


def keep_image_sources(tag: str, attribute: str, value: str) -> str | None:
    """nh3's filter of attribute values: an image's source must be https or on this site."""
    if tag == "img" and attribute == "src":
        scheme = SCHEME.match(value)
        return value if scheme is None or scheme.group(1).lower() == "https" else None
    return value


def removed(html: str, clean: str) -> list[str]:
    """The tags (``<script>``) and attributes (``p@onclick``) in ``html`` that are not in ``clean``."""
    return sorted(TagsAndAttributes(html).found() - TagsAndAttributes(clean).found())


class SanitisingReader:
    """Mixed into each of Pelican's readers: the content and formatted metadata come out sanitised."""

    def read(self, source_path):
        content, metadata = super().read(source_path)
        clean = sanitise_editorial(content)
        dropped = removed(content, clean) if clean != content else []
        if dropped:
            logger.info("%s: removed from the page: %s", source_path, ", ".join(dropped))
        for name in self.settings.get("FORMATTED_FIELDS", ()):
            if isinstance(metadata.get(name), str):
                metadata[name] = type(metadata[name])(sanitise_editorial(metadata[name]))
        return clean, metadata


def sanitise_readers(readers) -> None:
    """``readers_init`` handler: wrap every enabled reader of content/ (Markdown, HTML, reST) so it sanitises."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is not None and not issubclass(reader_class, SanitisingReader):
            name = f"Sanitising{reader_class.__name__}"
            readers.reader_classes[extension] = type(name, (SanitisingReader, reader_class), {})


PAGE_LISTS = ("pages", "hidden_pages", "draft_pages", "translations", "hidden_translations", "draft_translations")
ARTICLE_LISTS = ("articles", "hidden_articles", "drafts", "translations", "hidden_translations", "drafts_translations")
NEWS_INDEX = {"news/index.html", "news/feed.atom"}  # articles live in news/, but not here


def refuse_generated_page_addresses(generator) -> None:
    """``page_generator_finalized`` handler: a page saved where the portal writes its own pages stops the build."""
    refuse(address_problem(page) for name in PAGE_LISTS for page in getattr(generator, name, ()))


def refuse_generated_article_addresses(generator) -> None:
    """``article_generator_finalized`` handler: the same for news articles, which may live in news/ only."""
    refuse(address_problem(article, home="news") for name in ARTICLE_LISTS for article in getattr(generator, name, ()))


def refuse(problems) -> None:
    """Raise DataError with every problem found, if any."""
    found = [problem for problem in problems if problem is not None]
    if found:
        raise DataError(found)


def address_problem(content, home: str | None = None) -> Problem | None:
    """The problem with a page saved inside a file or folder the portal generates, or None.

    ``home`` is the generated folder this kind of content belongs in (news articles: news/).
    """
    save_as = (content.save_as or "").lstrip("/")
    top = save_as.split("/", 1)[0].casefold()
    if top not in GENERATED_TOP_LEVEL or (top == home and save_as.casefold() not in NEWS_INDEX):
        return None
    explicit = "save_as" in content.metadata
    column = "Save_as" if explicit else "Slug"
    value = content.metadata["save_as"] if explicit else content.slug
    where = f"/{top}" if "." in top else f"/{top}/"
    message = f"{value!r} is an address of the portal's own pages ({where}): give the page another {column.lower()}"
    return Problem(file=project_path(content.source_path, content.settings), line=None, column=column, message=message)


def project_path(source_path: str, settings: dict) -> str:
    """The content file's path relative to the project (the folder that holds content/)."""
    project = Path(settings["PATH"]).resolve().parent
    try:
        return Path(source_path).resolve().relative_to(project).as_posix()
    except ValueError:
        return str(source_path)
