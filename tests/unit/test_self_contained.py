"""The repository is self-contained: nothing in it sends anyone to a file outside it.

The project's users clone only the project, so the README, the pages, the code, CI and the tests
may not point at the design team's folder beside the repository (where the design notes and the
data samples lived before the data dictionary was brought into docs/), and every relative link of
the README and docs/ must lead to a file of the repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

# Written in pieces, so that this file does not match itself.
OUTSIDE = ("../" + "shared", "..\\" + "shared", "shared/" + "DATA.md", "shared/" + "DESIGN.md")

# What the golden site's expected files quote is checked by tests/golden; they hold no links of ours.
SKIPPED = ("tests/golden/expected/",)

# path -> why it may mention the folder outside. Keep it empty unless there is no other way.
ALLOWED: dict[str, str] = {}

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _project_files() -> list[str]:
    """Every file git tracks, and every new file it does not ignore (so a file not yet committed counts)."""
    assert (ROOT / ".git").exists(), "run the tests in a git checkout: the list of the project's files comes from git"
    found = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return sorted({name for name in found.split("\0") if name and (ROOT / name).is_file()})


def test_no_file_points_outside_the_repository():
    found = []
    for name in _project_files():
        if name.startswith(SKIPPED) or name in ALLOWED:
            continue
        raw = (ROOT / name).read_bytes()
        if b"\0" in raw:  # binary
            continue
        text = raw.decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if any(needle in line for needle in OUTSIDE):
                found.append(f"{name}:{number}: {line.strip()[:160]}")
    assert found == [], (
        "these lines send the reader outside the repository; point them at docs/data-dictionary.md "
        "(generated from data/datapackage.json) or docs/publishing-data.md instead, or copy what is "
        "needed into the repository with its attribution:\n" + "\n".join(found)
    )


def test_the_allow_list_is_justified_and_current():
    files = set(_project_files())
    for name, why in ALLOWED.items():
        assert name in files, f"{name} is allowed but is not in the repository"
        assert len(why) > 20, f"{name}: say why it must mention the folder outside"


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_lead_to_files_of_the_repository(document):
    text = document.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold examples, not links
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a web address or a place in the same page
        path = (document.parent / target.split("#", 1)[0]).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            broken.append(target)
    assert broken == [], f"{document.name}: links that lead nowhere in the repository: {broken}"


def test_the_readme_leads_to_the_data_dictionary():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/data-dictionary.md)" in readme
    assert "](docs/publishing-data.md)" in readme
