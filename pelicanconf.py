"""Pelican settings for building the portal locally (``make html``, ``make serve``).

DATADIR, BUILD_DATE, CHART_CACHE and PREVIOUS may be given in the environment (the Makefile passes them on).
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

# SITENAME is left to the data: "Social value in <area>", the area the data folder's datapackage.json names
# (plugins/svportal/identity.py). Set it here only to give every build the same name.
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"
DEFAULT_DATE = None

PATH = "content"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["svportal"]

# The portal's own settings, read in one place: plugins/svportal/settings.py, where every key is declared
# with its default and what it does (a key it does not declare stops the build).
PORTAL = {
    "data_dir": os.environ.get("DATADIR") or str(HERE / "data"),
    "contract": str(HERE / "data" / "datapackage.json"),
    "build_date": os.environ.get("BUILD_DATE") or None,
    # SVG charts are cached here by a hash of their spec (default: .cache/charts)
    "chart_cache": os.environ.get("CHART_CACHE") or None,
    # What the site published last time (a built site's folder, its data/snapshot.json or an https:// address of
    # one), to list what changed since on /changes/; make publish gives the live output/ unless told otherwise
    "previous": os.environ.get("PREVIOUS") or None,
    # Who publishes the data, for which area, how to reach them, the licence, and whether the data is
    # illustrative come with the data: the data folder's own datapackage.json (see plugins/svportal/identity.py).
    # Settings such as "publisher", "area_name", "region_name", "contact_email" and "licence_name" are only the
    # fallbacks for data that does not say; left out, the pages say "the commissioners" and "the area".
    # Share of the expected amount delivered at which each Procurement Act 2023 KPI rating starts
    "thresholds": {"good": 0.95, "approaching": 0.80, "requires_improvement": 0.50},
    "closing_soon_days": 14,
}

# Pages from content/ live at /<slug>/
PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARTICLE_PATHS = ["news"]
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
DIRECT_TEMPLATES = ["news"]  # the news index (theme/templates/news.html)
NEWS_SAVE_AS = "news/index.html"
NEWS_URL = "news/"
INDEX_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
STATIC_PATHS = []
DELETE_OUTPUT_DIRECTORY = False

# The news section's Atom feed needs absolute addresses: publishconf.py turns it on.
# (The opportunities feeds and calendars are written by the portal plugin in every build.)
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []}
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.meta": {}},
    "output_format": "html5",
}
