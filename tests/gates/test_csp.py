"""Gate: the site never loads anything from another origin, and its Content Security Policy says so.

Every HTML page carries a meta Content-Security-Policy that allows only 'self'; no page or
stylesheet refers to another origin for a script, style, font or image; and in Chromium with the
policy enforced, each page type loads without a console error or a policy violation.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from .conftest import PAGE_TYPES, html_pages, page_file, page_path

# Sources a directive may list. Only the site's own origin: no *, no hosts, no schemes but
# data: images; and on the search page only, WebAssembly for Pagefind (not script eval).
ALLOWED_SOURCES = {"'self'", "'none'"}
ALSO_ALLOWED = {"img-src": {"data:"}}
ALSO_ALLOWED_ON = {"search/index.html": {"script-src": {"'wasm-unsafe-eval'"}}}

# Elements and attributes that make the browser fetch something (not <a href>: following a link
# to another site is fine; loading from one is not).
FETCHED = [
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("image", "href"),
    ("use", "href"),
    ("image", "xlink:href"),
    ("use", "xlink:href"),
]
FETCHED_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)


def other_origin(url: str, allow_data: bool = True) -> bool:
    """True for a URL that would be fetched from anywhere but the site's own origin."""
    url = url.strip()
    if not url or url.startswith("#"):
        return False
    parts = urlsplit(url)
    if parts.scheme == "data":
        return not allow_data
    return bool(parts.scheme or parts.netloc or url.startswith("//"))


def parse_csp(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def csp_problems(policy: str, page: str = "") -> list[str]:
    directives = parse_csp(policy)
    problems = []
    if "default-src" not in directives:
        problems.append("no default-src")
    for name, sources in directives.items():
        allowed = ALLOWED_SOURCES | ALSO_ALLOWED.get(name, set()) | ALSO_ALLOWED_ON.get(page, {}).get(name, set())
        problems += [f"{name} {source}" for source in sources if source not in allowed]
    return problems


def test_csp_check_rejects_what_it_should():
    assert csp_problems("default-src 'self'; img-src 'self' data:; object-src 'none'") == []
    assert csp_problems("default-src *; style-src 'self' 'unsafe-inline'; script-src https://cdn.example") == [
        "default-src *",
        "style-src 'unsafe-inline'",
        "script-src https://cdn.example",
    ]
    assert csp_problems("script-src 'self' https:") == ["no default-src", "script-src https:"]
    wasm = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
    assert csp_problems(wasm, "search/index.html") == []
    assert csp_problems(wasm, "index.html") == ["script-src 'wasm-unsafe-eval'"]
    assert other_origin("https://cdn.example/x.js") and other_origin("//cdn.example/x.js")
    assert not other_origin("../theme/css/portal.css") and not other_origin("/theme/js/init.js")


def page_problems(html: Path, site: Path) -> list[str]:
    doc = lxml.html.fromstring(html.read_bytes())
    problems = []
    head = doc.find("head")
    metas = [m for m in doc.iter("meta") if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    if len(metas) != 1:
        problems.append(f"{len(metas)} Content-Security-Policy meta tags, not 1")
    else:
        meta = metas[0]
        if meta.getparent() is not head:
            problems.append("the Content-Security-Policy meta tag is not in <head>")
        else:
            before = list(head).index(meta)
            early = [el.tag for el in list(head)[:before] if el.tag in ("link", "script", "style", "base")]
            if early:
                problems.append(
                    f"<{early[0]}> comes before the Content-Security-Policy meta tag, so it escapes the policy"
                )
        page = html.relative_to(site).as_posix()
        problems += [f"policy allows {p}" for p in csp_problems(meta.get("content", ""), page)]

    for tag, attribute in FETCHED:
        for el in doc.iter(tag, f"{{http://www.w3.org/2000/svg}}{tag}"):
            value = el.get(attribute)
            if value is None:
                continue
            urls = (
                [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
                if "srcset" in attribute
                else [value]
            )
            problems += [f"<{tag} {attribute}={url!r}> loads from another origin" for url in urls if other_origin(url)]
    for link in doc.iter("link"):
        rels = set((link.get("rel") or "").lower().split())
        if rels & FETCHED_LINK_RELS and other_origin(link.get("href") or ""):
            problems.append(f"<link rel={link.get('rel')!r} href={link.get('href')!r}> loads from another origin")
    # The policy forbids inline code and styles; the browser gate only sees the page types.
    for script in doc.iter("script"):
        if script.get("src") is None and (script.get("type") or "").lower() not in (
            "application/json",
            "application/ld+json",
        ):
            problems.append("an inline <script> (the policy blocks it)")
    for _style in doc.iter("style", "{http://www.w3.org/2000/svg}style"):
        problems.append("an inline <style> (the policy blocks it)")
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("style") is not None:
            problems.append(f"a style attribute on <{el.tag}> (the policy blocks it)")
        if (el.get("href") or "").strip().lower().startswith("javascript:"):
            problems.append(f"a javascript: URL on <{el.tag}> (the policy blocks it)")
        handlers = [a for a in el.attrib if a.lower().startswith("on")]
        if handlers:
            problems.append(f"an inline event handler {handlers[0]} on <{el.tag}> (the policy blocks it)")
    return problems


def test_page_check_finds_what_it_should(tmp_path):
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example/a.css">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self' 'unsafe-inline'\"></head>"
        '<body><script src="//cdn.example/a.js"></script><img src="https://img.example/a.png" alt="">'
        '<svg><image href="https://img.example/b.png"/></svg><p style="color: red" onclick="x()">x</p>'
        "<script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    assert sorted(page_problems(tmp_path / "bad.html", tmp_path)) == sorted(
        [
            "<link> comes before the Content-Security-Policy meta tag, so it escapes the policy",
            "policy allows default-src 'unsafe-inline'",
            "<script src='//cdn.example/a.js'> loads from another origin",
            "<img src='https://img.example/a.png'> loads from another origin",
            "<image href='https://img.example/b.png'> loads from another origin",
            "<link rel='stylesheet' href='https://cdn.example/a.css'> loads from another origin",
            "an inline <script> (the policy blocks it)",
            "a style attribute on <p> (the policy blocks it)",
            "an inline event handler onclick on <p> (the policy blocks it)",
        ]
    )


def test_every_page_has_a_self_only_policy_and_loads_nothing_from_another_origin(site):
    found = {}
    for html in html_pages(site):
        problems = page_problems(html, site)
        if problems:
            found[str(html.relative_to(site))] = sorted(set(problems))
    assert found == {}, "\n".join(f"{page}: {'; '.join(p)}" for page, p in list(found.items())[:30])


def test_stylesheets_load_nothing_from_another_origin(site):
    sheets = sorted(site.rglob("*.css"))
    assert sheets, "no stylesheet in the site"
    found = []
    for css in sheets:
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            url = match.group(2) if match.group(2) is not None else match.group(4)
            if other_origin(url):
                found.append(f"{css.relative_to(site)}: {url}")
    assert found == []


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_loads_under_its_policy_without_errors(page_type, site, site_url, strict_context):
    page_file(site, page_type)
    url = site_url + page_path(site, page_type)
    page = strict_context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    page.on(
        "request",
        lambda r: (
            problems.append(f"request to another origin: {r.url}")
            if not r.url.startswith((site_url, "data:"))
            else None
        ),
    )
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`));"
    )
    try:
        response = page.goto(url, wait_until="load")  # after every script, style, font and image
        assert response is not None and response.ok, f"{url} answered {response and response.status}"
        problems += [f"CSP violation: {v}" for v in page.evaluate("window.__cspViolations")]
        assert page.evaluate("document.body.classList.contains('js-enabled')"), (
            "the site's script (theme/js/init.js) did not run under the policy"
        )
    finally:
        page.close()
    assert problems == [], f"/{page_path(site, page_type)}:\n" + "\n".join(problems)
