"""The portal's settings: the ``PORTAL`` dict of pelicanconf.py (and the few Pelican settings the portal
needs), read here and only here into one :class:`PortalSettings`.

Every ``PORTAL`` key is declared in :data:`SETTINGS` with its default and one line saying what it does;
a key that is not declared is refused (a typo would otherwise be ignored silently).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd


class Setting(NamedTuple):
    """One key of ``PORTAL``: its name, its default and what it does."""

    name: str
    default: Any
    doc: str


SETTINGS = (
    Setting("data_dir", "data", "The folder of the published CSV files (relative: to the project)."),
    Setting("contract", None, "The data contract, datapackage.json (default: data/datapackage.json of the project)."),
    Setting("build_date", None, "The date statuses are worked out from, YYYY-MM-DD (default: today)."),
    Setting("chart_cache", None, "Where SVG charts are cached by a hash of their spec (default: .cache/charts)."),
    Setting("area_name", "Manchester", "The area the commissioners serve, as the pages name it."),
    Setting("region_name", "Greater Manchester", "The region around the area, as the pages name it."),
    Setting("publisher", "Manchester City Council", "Who publishes the data: the data package and feeds name them."),
    Setting("notice", "", "A notice shown on every page (such as: the data is illustrative); empty for none."),
    Setting(
        "thresholds",
        {},
        "Share of the expected amount at which each KPI rating starts: good, approaching, "
        "requires_improvement (defaults 0.95, 0.80, 0.50).",
    ),
    Setting("closing_soon_days", 14, "An open opportunity closing within this many days is 'closing soon'."),
    Setting("recently_closed_days", 365, "A finished opportunity is 'recently closed' for this many days."),
    Setting("licence_name", "Open Government Licence v3.0", "The licence of the published data."),
    Setting(
        "licence_url",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "Where the licence of the published data is.",
    ),
)
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


class SettingsError(Exception):
    """A setting has a value the portal cannot use; the message says which and why."""


@dataclass(frozen=True)
class Thresholds:
    """Share of the expected amount delivered at which each KPI rating starts."""

    good: float = 0.95
    approaching: float = 0.80
    requires_improvement: float = 0.50

    @classmethod
    def from_settings(cls, settings: dict) -> Thresholds:
        """The thresholds of ``PORTAL["thresholds"]``, defaults for those it does not give."""
        return cls(**{k: float(v) for k, v in settings.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class PortalSettings:
    """Everything the portal reads from the settings, with defaults filled in and paths made absolute."""

    data_dir: Path
    contract: Path
    build_date: pd.Timestamp
    area_name: str
    region_name: str
    publisher: str
    notice: str
    thresholds: Thresholds
    closing_soon_days: int
    recently_closed_days: int
    licence_name: str
    licence_url: str
    chart_cache: Path
    siteurl: str = ""  # Pelican's SITEURL: "" in development, the public address when publishing
    sitename: str = ""  # Pelican's SITENAME
    relative_urls: bool = False  # Pelican's RELATIVE_URLS

    @property
    def absolute_siteurl(self) -> str:
        """SITEURL without its trailing slash when it is an absolute web address, else ``""``."""
        url = self.siteurl.rstrip("/")
        return url if url.startswith(("https://", "http://")) else ""


def parse_build_date(text: str | None) -> pd.Timestamp:
    """``YYYY-MM-DD`` as a Timestamp; today when not given."""
    if not text:
        return pd.Timestamp(dt.date.today())
    try:
        return pd.Timestamp(dt.date.fromisoformat(str(text)))
    except ValueError as exc:
        raise SettingsError(f"BUILD_DATE {text!r} is not a date: write YYYY-MM-DD") from exc


def undeclared(portal: dict) -> list[str]:
    """The keys of a ``PORTAL`` dict that :data:`SETTINGS` does not declare."""
    return sorted(set(portal) - set(DEFAULTS))


def read_settings(pelican_settings: dict) -> PortalSettings:
    """The portal's settings from Pelican's: ``PORTAL`` with defaults, SITEURL, SITENAME, RELATIVE_URLS."""
    portal = pelican_settings.get("PORTAL", {})
    unknown = undeclared(portal)
    if unknown:
        raise SettingsError(
            f"PORTAL has settings the portal does not know: {', '.join(unknown)} (see plugins/svportal/settings.py)"
        )
    values = {**DEFAULTS, **portal}
    base = Path(pelican_settings.get("PATH", os.getcwd())).parent
    data_dir = Path(values["data_dir"])
    data_dir = data_dir if data_dir.is_absolute() else base / data_dir
    contract = Path(values["contract"]) if values["contract"] else base / "data" / "datapackage.json"
    return PortalSettings(
        data_dir=data_dir,
        contract=contract,
        build_date=parse_build_date(values["build_date"]),
        area_name=values["area_name"],
        region_name=values["region_name"],
        publisher=values["publisher"],
        notice=values["notice"],
        thresholds=Thresholds.from_settings(values["thresholds"]),
        closing_soon_days=int(values["closing_soon_days"]),
        recently_closed_days=int(values["recently_closed_days"]),
        licence_name=values["licence_name"],
        licence_url=values["licence_url"],
        chart_cache=Path(values["chart_cache"]) if values["chart_cache"] else base / ".cache" / "charts",
        siteurl=pelican_settings.get("SITEURL", "") or "",
        sitename=pelican_settings.get("SITENAME", "") or "",
        relative_urls=bool(pelican_settings.get("RELATIVE_URLS", False)),
    )
