"""sitemap.xml and robots.txt for the finished site: every page, in a stable order."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from .settings import read_settings


def page_urls(folder: Path, siteurl: str) -> list[str]:
    """The address of every page (``index.html``) under ``folder``, sorted."""
    urls = []
    for page in sorted(folder.rglob("index.html")):
        relative = page.parent.relative_to(folder).as_posix()
        urls.append(f"{siteurl}/" if relative == "." else f"{siteurl}/{relative}/")
    return urls


def sitemap_xml(urls: list[str], lastmod: str) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></url>" for url in urls]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(siteurl: str) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if siteurl:
        lines.append(f"Sitemap: {siteurl}/sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_sitemap(pelican) -> None:
    """Pelican ``finalized`` receiver. The sitemap needs absolute addresses, so it is written
    only when SITEURL is absolute (``make publish``); robots.txt is always written."""
    folder = Path(pelican.output_path)
    siteurl = pelican.settings.get("SITEURL", "").rstrip("/")
    if siteurl.startswith(("https://", "http://")):
        build_date = read_settings(pelican.settings).build_date
        (folder / "sitemap.xml").write_bytes(sitemap_xml(page_urls(folder, siteurl), f"{build_date:%Y-%m-%d}"))
        (folder / "robots.txt").write_bytes(robots_txt(siteurl))
    else:
        (folder / "robots.txt").write_bytes(robots_txt(""))
