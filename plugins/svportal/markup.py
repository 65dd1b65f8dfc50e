"""Text from the data as HTML: plain text by default, Markdown where the data contract says so.

Which is which is part of the data contract: a text column whose field has ``"markdown": true`` in
``data/datapackage.json`` is Markdown; every other text column is plain text, as the systems the
data comes from (contract registers, tender portals) write it. :func:`render_text` picks the
renderer from the field, so templates never decide.

Plain text (:func:`render_plain`): paragraphs (blank lines) and line breaks are kept; bare web
addresses (``http://``, ``https://``, ``www.``) and email addresses become links, with the same
rules as Markdown's links below; HTML entities (``&apos;``, ``&amp;``) are read exactly once, as
the sources encode them; nothing else is interpreted: an indented line, a ``#tag``, ``*stars*``,
backticks and ``- item`` lines show as written. Time in proportion to the length of the text.
Titles and names (one line) are only decoded (:func:`plain_text`), and escaped by the templates.

What a Markdown description may use: paragraphs, emphasis, lists, block quotes, code, headings (shown as
h3 and below, so the data never outranks the page's own h1 and h2) and links to ``http``,
``https`` and ``mailto`` addresses, which open with ``rel="noopener noreferrer"``. Everything
else is shown as the text it is: raw HTML is escaped, an image becomes its alternative text, and
a link to any other kind of address (``javascript:``, ``data:``, a relative address) becomes its
link text. The output is valid HTML (the Nu HTML Checker of ``make publish`` accepts it).

Python-Markdown takes time that grows with the square of some inputs (many unclosed ``[``,
``](`` without ``)``, many underlines or rules in one block) and recurses once per level of
nesting (``1. 1. 1. …``). A text that would take too long, or nest too deep, is shown as escaped
plain paragraphs instead, so rendering any text takes time in proportion to its length.
"""

from __future__ import annotations

import ipaddress
import re
from html import escape, unescape
from urllib.parse import quote, urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .formatting import is_missing
from .schema import DataContract, Field

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"

# Above these, Python-Markdown is not given the text (see is_cheap_to_parse)
MAX_MARKDOWN_CHARS = 20_000  # the longest text rendered as Markdown; longer is shown as plain paragraphs
MAX_NESTING = 32  # lists and block quotes nested deeper than this are shown as plain paragraphs
MAX_LINK_SCAN = 200_000  # characters the link parser may scan looking for the ends of [ and ](
MAX_RULE_SCAN = 5_000_000  # characters the block parser may split again after heading underlines and rules

# Code points the HTML standard forbids in a document (the Nu HTML Checker reports each one)
FORBIDDEN_CODE_POINTS = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)
NESTING_PREFIX = re.compile(r"[ \t]*(?:(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)*")
NESTING_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")
LINK_BRACKETS = re.compile(r"[\[\]()]")
RULE_LINE = re.compile(r"^[ \t]*(?:[-=*_][ \t]*)+$", re.MULTILINE)  # a heading's underline, or a rule
HOST_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?")
STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
PATH_SAFE = "/:@!$&'()*+,;=-._~%"
QUERY_SAFE = PATH_SAFE + "?"
BARE_LINK = re.compile(r'<a((?:\s+[\w:-]+="[^"]*")*)>(.*?)</a>', re.DOTALL)


def render_text(text, field: Field | None) -> Markup:
    """A cell of a text column as safe HTML, as its field in the data contract says: Markdown when
    the field has ``"markdown": true``, plain text otherwise (and when there is no field)."""
    return render_markdown(text) if field is not None and field.markdown else render_plain(text)


def prose_filter(contract: DataContract):
    """The templates' ``prose`` filter for this contract: ``{{ o.description|prose("opportunities.description") }}``.

    The template names the column; the contract decides whether it is Markdown or plain text.
    """

    def prose(text, column: str) -> Markup:
        table, name = column.split(".", 1)
        return render_text(text, contract.table(table).field(name))

    return prose


# --- plain text --------------------------------------------------------------------------------

# An HTML entity as the sources write one, with its semicolon: ``&copy`` without one is text, so
# that ``?a=1&copy=2`` in an address stays as written.
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
EMAIL_CHARS = "A-Za-z0-9._%+-"
# A bare web address (to the next space, quote or angle bracket; trailing punctuation is trimmed
# after), or an email address. An email is only tried at the start of a run of the characters of
# its local part (the look-behind), so each run is scanned once: time in proportion to length.
AUTOLINK = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"]+)"
    rf"|(?P<email>(?:\bmailto:)?(?<![{EMAIL_CHARS}])[{EMAIL_CHARS}]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)",
    re.IGNORECASE,
)
URL_TRAILING = ".,:;!?'\"*_~"  # punctuation after an address ends the sentence, not the address
URL_BRACKETS = {")": "(", "]": "[", "}": "{"}  # a closing bracket is the address's own only when it opens one


def decode_entities(text: str) -> str:
    """``text`` with each HTML entity read once (``&apos;`` is ', ``&amp;amp;`` is ``&amp;``). A code
    point HTML forbids becomes U+FFFD; an entity of one (``&#1;``) is dropped, as HTML reads it."""
    decoded = ENTITY.sub(lambda match: unescape(match.group()), text)
    return FORBIDDEN_CODE_POINTS.sub("\ufffd", decoded)


def plain_text(value) -> str:
    """A title or a name as the reader should see it: entities read once, nothing else. Plain
    ``str``, not Markup: the templates' autoescape escapes it."""
    if is_missing(value):
        return ""
    return decode_entities(str(value))


def render_plain(text) -> Markup:
    """Plain text as safe HTML: a ``<p>`` per paragraph, ``<br>`` per line break, links for bare
    web and email addresses, entities read once, and nothing else interpreted."""
    if is_missing(text):
        return Markup("")
    text = decode_entities(str(text)).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = line.strip(" \t\f")
        if line:
            paragraphs[-1].append(linkify(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return Markup("\n".join(f"<p>{'<br>'.join(lines)}</p>" for lines in paragraphs if lines))


def linkify(line: str) -> str:
    """One line of plain text, escaped, with its bare web and email addresses as links."""
    out, at = [], 0
    for match in AUTOLINK.finditer(line):
        start, written = match.start(), match.group()
        if match.group("url"):
            written = trim_address(written)
            href = web_href(written)
        else:
            href = email_href(written)
        if href is None:
            continue
        end = start + len(written)
        out += [escape(line[at:start]), f'<a href="{escape(href)}" rel="{LINK_REL}">']
        out += [escape(written), "</a>"]
        at = end
    out.append(escape(line[at:]))
    return "".join(out)


def trim_address(written: str) -> str:
    """A bare web address without the punctuation that follows it in the sentence: a full stop,
    a comma, a quote, a closing bracket the address did not open."""
    unclosed = {close: written.count(close) - written.count(opening) for close, opening in URL_BRACKETS.items()}
    end = len(written)
    while end:
        char = written[end - 1]
        if char in URL_TRAILING:
            end -= 1
        elif char in unclosed and unclosed[char] > 0:
            unclosed[char] -= 1
            end -= 1
        else:
            break
    return written[:end]


def web_href(written: str) -> str | None:
    """The link of a bare web address (``www.`` ones on https), or None when it is not one a validator accepts."""
    if written[:4].lower() == "www.":
        written = "https://" + written
        if urlsplit(written).netloc.count(".") < 2:  # www. and a name, not just "www.example"
            return None
    return safe_href(written)


def email_href(written: str) -> str | None:
    """The mailto: link of an email address (written with or without ``mailto:``), when its domain ends in a
    name (not ``1.2@3.4``)."""
    if written[:7].lower() == "mailto:":
        written = written[7:]
    domain = written.rpartition("@")[2]
    if not any(char.isalpha() for char in domain.rsplit(".", 1)[-1]):
        return None
    return safe_mailto(written)


# --- Markdown ----------------------------------------------------------------------------------


def render_markdown(text) -> Markup:
    """Markdown to safe, valid HTML: raw HTML in the text is escaped, then the result is sanitised.

    Headings are shifted down to h3 so data can never outrank the page's own h1 and h2.
    """
    if is_missing(text) or not str(text).strip():
        return Markup("")
    text = FORBIDDEN_CODE_POINTS.sub("\ufffd", str(text))
    if not is_cheap_to_parse(text):
        return Markup(plain_paragraphs(text))
    try:
        html = markdown_converter().convert(text)
    except RecursionError:  # a shape of nesting is_cheap_to_parse does not foresee
        return Markup(plain_paragraphs(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=keep_valid_links,
    )
    return Markup(unwrap_links_without_address(clean))


def markdown_converter() -> markdown.Markdown:
    """A Markdown converter that escapes raw HTML and shows images and top-level headings safely."""
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(DataTreeprocessor(md), "svportal_data", 5)  # after 'inline', before 'unescape'
    return md


class DataTreeprocessor(Treeprocessor):
    """Images become their alternative text; h1 and h2 become h3 and h4."""

    def run(self, root):
        images = [(parent, child) for parent in root.iter() for child in parent if child.tag == "img"]
        for parent, image in images:
            replace_with_text(parent, image, image.get("alt", ""))
        for element in root.iter():
            if element.tag in ("h1", "h2"):
                element.tag = f"h{int(element.tag[1]) + 2}"


def replace_with_text(parent, child, text: str) -> None:
    """Take ``child`` (an element without children) out of ``parent``, leaving ``text`` in its place."""
    index = list(parent).index(child)
    text += child.tail or ""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text
    parent.remove(child)


def is_cheap_to_parse(text: str) -> bool:
    """Whether Python-Markdown renders ``text`` in time in proportion to its length, without deep recursion."""
    if len(text) > MAX_MARKDOWN_CHARS or nesting_depth(text) > MAX_NESTING:
        return False
    blocks = text.split("\n\n")  # as Python-Markdown splits it
    return sum(map(link_scan, blocks)) <= MAX_LINK_SCAN and sum(map(rule_scan, blocks)) <= MAX_RULE_SCAN


def nesting_depth(text: str) -> int:
    """The deepest nesting of lists, block quotes and indentation at the start of any line."""
    deepest = 0
    for line in text.splitlines():
        prefix = NESTING_PREFIX.match(line).group()
        indent = len(prefix.expandtabs(4)) - len(prefix.lstrip(" \t").expandtabs(4))
        deepest = max(deepest, indent // 4 + len(NESTING_MARKER.findall(prefix)))
    return deepest


def link_scan(block: str) -> int:
    """About how many characters Python-Markdown scans for the ends of links in a block: from each
    ``[`` and each ``](`` to its closing bracket, or to the end of the block when it is never closed."""
    total = 0
    squares, rounds = [], []  # positions of open [ and (, and whether the ( follows a ]
    for match in LINK_BRACKETS.finditer(block):
        char, at = match.group(), match.start()
        if char == "[":
            squares.append(at)
        elif char == "(":
            rounds.append((at, at > 0 and block[at - 1] == "]"))
        elif char == "]" and squares:
            total += at - squares.pop()
        elif char == ")" and rounds:
            opened, after_bracket = rounds.pop()
            total += (at - opened) if after_bracket else 0
    total += sum(len(block) - at for at in squares)
    return total + sum(len(block) - at for at, after_bracket in rounds if after_bracket)


def rule_scan(block: str) -> int:
    """About how many characters Python-Markdown splits again in a block: the rest of the block
    after each line that may underline a heading or be a rule (``===``, ``---``, ``***``)."""
    return sum(len(block) - match.start() for match in RULE_LINE.finditer(block))


def plain_paragraphs(text: str) -> str:
    """The text as escaped paragraphs, one per blank-line-separated block: no Markdown at all."""
    blocks = (block.strip() for block in re.split(r"\n[ \t]*\n", text))
    return "\n".join(f"<p>{escape(block)}</p>" for block in blocks if block)


def keep_valid_links(tag: str, attribute: str, value: str) -> str | None:
    """nh3's filter of attribute values: a link's address is kept only when it is valid (see safe_href)."""
    if tag == "a" and attribute == "href":
        return safe_href(value)
    return value


def safe_href(address: str) -> str | None:
    """An absolute http, https or mailto address, written so that HTML validators accept it, or None."""
    address = address.strip()
    try:
        parts = urlsplit(address)
        scheme = parts.scheme.lower()
        if scheme == "mailto":
            return safe_mailto(address[len("mailto:") :])
        if scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
            return None
        host, port = safe_host(parts.hostname), parts.port
    except (ValueError, UnicodeError):
        return None
    if host is None:
        return None
    address = f"{scheme}://{host}{'' if port is None else f':{port}'}{url_part(parts.path, PATH_SAFE)}"
    if parts.query:
        address += "?" + url_part(parts.query, QUERY_SAFE)
    if parts.fragment:
        address += "#" + url_part(parts.fragment, QUERY_SAFE)
    return address


def safe_host(host: str) -> str | None:
    """A host name in ASCII (international names in their xn-- form), or None when it is not one."""
    host = host.encode("idna").decode("ascii").lower()
    if not HOST_NAME.fullmatch(host):
        return None
    last_label = host.rstrip(".").rsplit(".", 1)[-1]
    if last_label.isdigit():  # a host that ends in a number must be an IPv4 address
        ipaddress.IPv4Address(host.rstrip("."))  # ValueError when it is not
    return host


def safe_mailto(recipient: str) -> str | None:
    """A mailto: address with one person@domain, or None."""
    who = recipient.split("?", 1)[0]
    local, at, domain = who.partition("@")
    if not (local and at and domain) or "@" in domain:
        return None
    return "mailto:" + url_part(recipient, QUERY_SAFE)


def url_part(text: str, safe: str) -> str:
    """A part of an address with every character a validator would refuse %-encoded."""
    return STRAY_PERCENT.sub("%25", quote(text, safe=safe))


def unwrap_links_without_address(html: str) -> str:
    """Replace each ``<a>`` left without an ``href`` (an address the sanitiser refused) by its text.

    nh3's output is regular: attribute values are double-quoted with ``"`` escaped, and links
    never nest, so a regular expression finds each link exactly.
    """

    def unwrap(match: re.Match) -> str:
        return match.group(0) if ' href="' in match.group(1) else match.group(2)

    return BARE_LINK.sub(unwrap, html)
