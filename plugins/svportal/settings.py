"""The portal's settings: one ``PORTAL`` dict in pelicanconf.py, read here and only here."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .model import Thresholds

DEFAULTS = {
    "data_dir": "data",
    "contract": None,  # default: datapackage.json beside the project's own data folder
    "build_date": None,  # YYYY-MM-DD; default today
    "area_name": "Manchester",
    "region_name": "Greater Manchester",
    "publisher": "Manchester City Council",
    "notice": "",
    "thresholds": {},
    "chart_cache": None,  # default: .cache/charts beside the data folder's project
    "closing_soon_days": 14,
    "licence_name": "Open Government Licence v3.0",
    "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


class SettingsError(Exception):
    pass


@dataclass(frozen=True)
class PortalSettings:
    data_dir: Path
    contract: Path
    build_date: pd.Timestamp
    area_name: str
    region_name: str
    publisher: str
    notice: str
    thresholds: Thresholds
    closing_soon_days: int
    licence_name: str
    licence_url: str
    chart_cache: Path
    raw: dict = field(repr=False, default_factory=dict)


def parse_build_date(text: str | None) -> pd.Timestamp:
    if not text:
        return pd.Timestamp(dt.date.today())
    try:
        return pd.Timestamp(dt.date.fromisoformat(str(text)))
    except ValueError as exc:
        raise SettingsError(f"BUILD_DATE {text!r} is not a date: write YYYY-MM-DD") from exc


def read_settings(pelican_settings: dict) -> PortalSettings:
    """The PORTAL settings with defaults filled in and paths made absolute."""
    values = {**DEFAULTS, **pelican_settings.get("PORTAL", {})}
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
        licence_name=values["licence_name"],
        licence_url=values["licence_url"],
        chart_cache=Path(values["chart_cache"]) if values["chart_cache"] else base / ".cache" / "charts",
        raw=values,
    )
