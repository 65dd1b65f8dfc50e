"""sitemap.xml and robots.txt for the finished site: every page, in a stable order.

Pure: a folder and an address in, bytes out (generators.write_sitemap writes them after Pelican).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape


def page_urls(folder: Path, siteurl: str) -> list[str]:
    """The address of every page (``index.html``) under ``folder``, sorted."""
    urls = []
    for page in sorted(folder.rglob("index.html")):
        relative = page.parent.relative_to(folder).as_posix()
        urls.append(f"{siteurl}/" if relative == "." else f"{siteurl}/{relative}/")
    return urls


def sitemap_xml(urls: list[str], lastmod: str) -> bytes:
    """The sitemap of ``urls``, each last modified on ``lastmod`` (YYYY-MM-DD)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></url>" for url in urls]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(siteurl: str) -> bytes:
    """Everything may be crawled; the sitemap is named when the site has an absolute address."""
    lines = ["User-agent: *", "Allow: /"]
    if siteurl:
        lines.append(f"Sitemap: {siteurl}/sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
