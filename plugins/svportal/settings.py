"""The portal's settings: the ``PORTAL`` dict of pelicanconf.py (and the few Pelican settings the portal
needs), read here and only here into one :class:`PortalSettings`.

Every ``PORTAL`` key is declared in :data:`SETTINGS` with its default and one line saying what it does;
a key that is not declared is refused (a typo would otherwise be ignored silently).

Who publishes the site, for which area, how to reach them and under what licence come with the data
(identity.py: the data folder's own datapackage.json); the settings of that kind here are only the
fallbacks for data that does not say (:meth:`PortalSettings.with_identity`). The site's name, Pelican's
SITENAME, is "Social value in <area>" unless the settings give one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from .identity import Identity


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
    Setting(
        "previous",
        None,
        "What the site published last time, to list what changed since (/changes/): a built site's folder, its "
        "data/snapshot.json or an http(s):// address of one (None: no comparison, the first publish).",
    ),
    Setting("area_name", None, "The area the commissioners serve, when the data does not name it (None: 'the area')."),
    Setting("region_name", None, "The region around the area, when the data does not name it (None: 'the region')."),
    Setting("publisher", None, "Who publishes the data, when the data does not say (None: 'the commissioners')."),
    Setting("contact_email", None, "The publisher's contact email address, when the data does not give one."),
    Setting("contact_url", None, "The publisher's contact page (https://...), when the data does not give one."),
    Setting("mailing_list_url", None, "Where to sign up for news by email (https://...), when the data does not say."),
    Setting(
        "thresholds",
        {},
        "Share of the expected amount at which each KPI rating starts: good, approaching, "
        "requires_improvement (defaults 0.95, 0.80, 0.50).",
    ),
    Setting("closing_soon_days", 14, "An open opportunity closing within this many days is 'closing soon'."),
    Setting("recently_closed_days", 365, "A finished opportunity is 'recently closed' for this many days."),
    Setting("licence_name", "Open Government Licence v3.0", "The licence of the data, when the data does not say."),
    Setting(
        "licence_url",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "Where the licence of the data is, when the data does not say.",
    ),
    Setting(
        "ocid_prefix",
        "ocds-000000",
        "The OCDS ocid prefix of /data/ocds.json for contracts without an ocid: register your own with the "
        "Open Contracting Partnership (ocds-000000 is a placeholder).",
    ),
)
# What the pages say when neither the data nor the settings name them (they read well mid-sentence)
UNNAMED_AREA = "the area"
UNNAMED_REGION = "the region"
UNNAMED_PUBLISHER = "the commissioners"
UNNAMED_SITENAME = "Social value transparency portal"  # when no area is named either
PELICAN_DEFAULT_SITENAME = "A Pelican Blog"  # Pelican's own default: SITENAME not set (tests check it is Pelican's)
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}
OCID_PREFIX = re.compile(r"ocds-[a-z0-9]{6}")  # as the Open Contracting Partnership registers them


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
    thresholds: Thresholds
    closing_soon_days: int
    recently_closed_days: int
    licence_name: str
    licence_url: str
    chart_cache: Path
    previous: str | None = None  # where the previous publish's snapshot is (a folder, a file or an address)
    ocid_prefix: str = "ocds-000000"  # the ocids of /data/ocds.json for contracts without one: prefix-<contract slug>
    siteurl: str = ""  # Pelican's SITEURL: "" in development, the public address when publishing
    sitename: str = ""  # the site's name: Pelican's SITENAME if the settings give one, else "Social value in <area>"
    relative_urls: bool = False  # Pelican's RELATIVE_URLS
    contact_email: str | None = None
    contact_url: str | None = None
    mailing_list_url: str | None = None
    illustrative: bool = False  # the data says it is made up: every page says so
    area_named: bool = False  # the data or the settings name the area (else area_name is UNNAMED_AREA)
    publisher_named: bool = False  # the data or the settings name the publisher
    sitename_setting: str = ""  # Pelican's SITENAME when the settings give one
    identity_file: Path | None = None  # the data folder's datapackage.json the identity came from, if any
    local_postcode_districts: tuple[str, ...] = ()  # the data's identity: the districts /spend/ counts as local
    regional_postcode_districts: tuple[str, ...] = ()  # ... and as regional (identity.py)

    @property
    def absolute_siteurl(self) -> str:
        """SITEURL without its trailing slash when it is an absolute web address, else ``""``."""
        url = self.siteurl.rstrip("/")
        return url if url.startswith(("https://", "http://")) else ""

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_url)

    def with_identity(self, identity: Identity) -> PortalSettings:
        """These settings with what the data says about its publisher in place of the fallbacks."""
        values = {
            "publisher": identity.publisher,
            "area_name": identity.area,
            "region_name": identity.region,
            "contact_email": identity.contact_email,
            "contact_url": identity.contact_url,
            "mailing_list_url": identity.mailing_list_url,
            "licence_name": identity.licence_name,
            "licence_url": identity.licence_url,
        }
        given = {name: value for name, value in values.items() if value is not None}
        if identity.contact_email is not None or identity.contact_url is not None:
            # a contact is one address or two, from one place: never the data's email with the settings' page
            given["contact_email"], given["contact_url"] = identity.contact_email, identity.contact_url
        area_named = self.area_named or identity.area is not None
        area = given.get("area_name", self.area_name)
        return replace(
            self,
            **given,
            illustrative=identity.illustrative,
            area_named=area_named,
            publisher_named=self.publisher_named or identity.publisher is not None,
            sitename=site_name(self.sitename_setting, area if area_named else None),
            identity_file=identity.source,
            local_postcode_districts=identity.local_postcode_districts,
            regional_postcode_districts=identity.regional_postcode_districts,
        )


def site_name(setting: str, area: str | None) -> str:
    """The site's name: the settings' SITENAME if given, else "Social value in <area>", else a plain name."""
    return setting or (f"Social value in {area}" if area else UNNAMED_SITENAME)


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
    if not OCID_PREFIX.fullmatch(str(values["ocid_prefix"])):
        raise SettingsError(
            f"PORTAL ocid_prefix {values['ocid_prefix']!r} is not an OCDS ocid prefix: write ocds- and 6 letters "
            "or digits, such as ocds-b5fd17"
        )
    base = Path(pelican_settings.get("PATH", os.getcwd())).parent
    data_dir = Path(values["data_dir"])
    data_dir = data_dir if data_dir.is_absolute() else base / data_dir
    contract = Path(values["contract"]) if values["contract"] else base / "data" / "datapackage.json"
    sitename = pelican_settings.get("SITENAME", "") or ""
    sitename = "" if sitename == PELICAN_DEFAULT_SITENAME else sitename
    return PortalSettings(
        data_dir=data_dir,
        contract=contract,
        build_date=parse_build_date(values["build_date"]),
        area_name=values["area_name"] or UNNAMED_AREA,
        region_name=values["region_name"] or UNNAMED_REGION,
        publisher=values["publisher"] or UNNAMED_PUBLISHER,
        contact_email=values["contact_email"] or None,
        contact_url=values["contact_url"] or None,
        mailing_list_url=values["mailing_list_url"] or None,
        area_named=bool(values["area_name"]),
        publisher_named=bool(values["publisher"]),
        thresholds=Thresholds.from_settings(values["thresholds"]),
        closing_soon_days=int(values["closing_soon_days"]),
        recently_closed_days=int(values["recently_closed_days"]),
        licence_name=values["licence_name"],
        licence_url=values["licence_url"],
        ocid_prefix=str(values["ocid_prefix"]),
        previous=str(values["previous"]) if values["previous"] else None,
        chart_cache=Path(values["chart_cache"]) if values["chart_cache"] else base / ".cache" / "charts",
        siteurl=pelican_settings.get("SITEURL", "") or "",
        sitename=site_name(sitename, values["area_name"] or None),
        sitename_setting=sitename,
        relative_urls=bool(pelican_settings.get("RELATIVE_URLS", False)),
    )
