"""The quality gates ``make publish`` runs on a new build before it replaces the published site.

Two checks, both on the folder about to be published:

1. every address inside the site (absolute, starting with SITEURL, or relative) is a file in
   the new folder;
2. the gates of the project's ``tests/gates`` (broken links and anchors, WCAG 2.2 AA with axe in Chromium,
   JavaScript off, keyboard, valid HTML, Content Security Policy). The published pages use
   absolute addresses on a host that does not exist yet, so the gates run on a twin of the
   build, made from the same data, date and templates with relative addresses.

Any failure raises :class:`GateError`; the build then stops and the old site stays. Where the gates
are is given, never guessed from where this file is: :class:`GateSuite` (the command line's
``--project`` and ``--gates``; by default ``tests/gates`` of the working directory, where make runs).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .lifetime import preexec_die_with_parent

logger = logging.getLogger(__name__)

LINK = re.compile(r"""\s(?:href|src)="([^"]+)\"""")


class GateError(Exception):
    """A quality gate failed; the message lists what it found."""


@dataclass(frozen=True)
class GateSuite:
    """The gates to run: a pytest folder, run from the project folder (for its pytest settings)."""

    project: Path = Path(".")
    folder: Path = Path("tests") / "gates"

    @classmethod
    def of(cls, project: Path, folder: Path | None = None) -> GateSuite:
        """The suite of ``project``: its ``tests/gates`` unless ``folder`` says otherwise."""
        return cls(Path(project), Path(folder) if folder else Path(project) / "tests" / "gates")


def broken_internal_links(folder: Path, siteurl: str) -> list[str]:
    """``page: address`` for every link inside the site that names no file of ``folder``."""
    siteurl = siteurl.rstrip("/")
    problems = []
    for page in sorted(folder.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for address in sorted(set(LINK.findall(html))):
            address = address.replace("&amp;", "&")
            if siteurl and address.startswith(siteurl + "/"):
                target = folder / unquote(urlsplit(address[len(siteurl) + 1 :]).path)
            elif urlsplit(address).scheme or address.startswith(("#", "//", "mailto:", "data:")):
                continue  # another site, or this page
            elif address.startswith("/"):
                problems.append(f"{page.relative_to(folder)}: {address} (addresses must not start with /)")
                continue
            else:
                target = page.parent / unquote(urlsplit(address).path)
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(folder)}: {address}")
    return problems


def run_gates(site: Path, suite: GateSuite = GateSuite()) -> None:
    """Run the gates of ``suite`` on ``site`` (a build with relative addresses)."""
    started = time.perf_counter()
    env = {**os.environ, "SITE_UNDER_TEST": str(site)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header", str(suite.folder)]
    result = _run_in_own_group(command, cwd=suite.project, env=env)
    summary = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    last = result.stdout.strip().splitlines()[-1:] or ["no output"]
    if result.returncode != 0:
        detail = "\n".join(summary) or result.stdout[-4000:] + result.stderr[-2000:]
        raise GateError(f"quality gates failed ({last[0]}):\n{detail}")
    logger.info("Quality gates passed (%s) in %.0f s", last[0], time.perf_counter() - started)


def _run_in_own_group(command: list[str], **options) -> subprocess.CompletedProcess:
    """Run ``command`` in a process group of its own, which dies with the build.

    If the build stops (an error, SIGTERM, Ctrl-C), the whole group (pytest, Chromium, Java)
    is killed; if the build is killed outright, the kernel kills pytest (PR_SET_PDEATHSIG).
    """
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=preexec_die_with_parent(),
        **options,
    )
    try:
        stdout, stderr = process.communicate()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def gate_check(siteurl: str, twin_builder, suite: GateSuite = GateSuite()):
    """The check ``build()`` runs on the new folder: links first, then the gates of ``suite`` on a twin."""

    def check(folder: Path) -> None:
        broken = broken_internal_links(folder, siteurl)
        if broken:
            raise GateError(f"{len(broken)} broken links inside the site:\n" + "\n".join(broken[:200]))
        twin = folder.with_name(folder.name + "-gates")
        shutil.rmtree(twin, ignore_errors=True)
        try:
            twin_builder(twin)
            run_gates(twin, suite)
        finally:
            shutil.rmtree(twin, ignore_errors=True)

    return check
