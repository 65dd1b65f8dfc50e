"""Markdown from the data, rendered and then sanitised: the data is untrusted text."""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

from .formatting import is_missing

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "pre",
    "blockquote", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"https", "mailto"}


def render_markdown(text) -> Markup:
    """Markdown to safe HTML: raw HTML in the text is escaped, then the result is sanitised.

    Headings are shifted down to h3 so data can never outrank the page's own h1 and h2.
    """
    if is_missing(text) or not str(text).strip():
        return Markup("")
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(str(text))
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def plain_text(text) -> str:
    """The first paragraph of a Markdown text as plain words (for summaries and feeds)."""
    if is_missing(text):
        return ""
    return nh3.clean(markdown.markdown(str(text).split("\n\n")[0]), tags=set())
