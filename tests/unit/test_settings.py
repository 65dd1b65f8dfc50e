"""The portal's settings: every PORTAL key declared, with a default and one line of documentation."""

from __future__ import annotations

import pytest

import pelicanconf
from svportal.settings import SETTINGS, PortalSettings, SettingsError, read_settings


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_has_a_default_and_one_line_of_documentation(setting):
    assert setting.name and setting.name.isidentifier()
    assert isinstance(setting.doc, str) and setting.doc.strip() and "\n" not in setting.doc
    assert setting.doc.strip().endswith(".")
    assert setting.name in PortalSettings.__dataclass_fields__  # read into the settings object


def test_settings_are_declared_once():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))


def test_pelicanconf_uses_only_declared_settings():
    declared = {s.name for s in SETTINGS}
    assert sorted(set(pelicanconf.PORTAL) - declared) == []


def test_an_undeclared_setting_is_refused():
    with pytest.raises(SettingsError, match="recently_closed"):
        read_settings({"PORTAL": {"recently_closed": 30}})


def test_defaults_fill_what_pelicanconf_leaves_out(tmp_path):
    portal = read_settings(
        {"PATH": str(tmp_path / "content"), "SITEURL": "https://x.example/", "SITENAME": "X", "RELATIVE_URLS": False}
    )
    assert portal.recently_closed_days == 365 and portal.closing_soon_days == 14
    assert portal.data_dir == tmp_path / "data"
    assert portal.siteurl == "https://x.example/" and portal.absolute_siteurl == "https://x.example"
    assert portal.sitename == "X" and portal.relative_urls is False
