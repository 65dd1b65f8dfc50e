"""The output folder is never someone else's, never missing, never mixed, and never left half-built.

Real processes throughout: builds (``python -m svportal build``), ``make`` in a copy of the project,
the output-folder tool the Makefile runs, Pelican's server, and SIGTERM / SIGKILL at named points of
a build (``SVPORTAL_TEST_PAUSE=<point>:<file>`` makes the build write its pid to <file> and wait).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import BUILD_DATE, CHART_CACHE, ROOT, SMALL
from support.sites import build_command
from svportal.output_folder import MARKER, OutputFolder, protected_places

pytestmark = pytest.mark.site

LATER_DATE = "2027-01-05"
PROJECT_FILES = [
    "Makefile",
    "pelicanconf.py",
    "publishconf.py",
    "requirements.txt",
    "constraints.txt",
    "content",
    "theme",
    "plugins",
    "data",
]


# Helpers


def digest(folder: Path) -> dict[str, str] | None:
    """Every file, link and folder under ``folder`` (through a link at the top), with its content's hash."""
    if not folder.exists():
        return None
    found = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top) / name
            key = str(path.relative_to(folder))
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "dir"
    return found


def beside(output: Path) -> list[str]:
    """What is in the output's parent folder (the output itself, its builds, locks, temporary links)."""
    return sorted(p.name for p in output.parent.iterdir())


def builds(output: Path) -> list[str]:
    return sorted(p.name for p in (output.parent / f".{output.name}.builds").iterdir())


def wait_for_removals(output: Path, timeout: float = 60) -> None:
    """Wait until no process removes an old build of ``output`` (the detached remover of the last swap)."""
    folder, deadline = OutputFolder(output), time.monotonic() + timeout
    while (folder.builds / MARKER).is_file() and time.monotonic() < deadline:
        busy = [p for p in folder.builds.iterdir() if p.is_dir() and not removable(p)]
        if not busy:
            return
        time.sleep(0.05)
    assert time.monotonic() < deadline, "an old build is still being removed"


def removable(path: Path) -> bool:
    """Whether no process holds the lock of a build folder (remove_in_background): at once, not waiting."""
    from svportal.output_folder import being_removed_by_us

    with being_removed_by_us(path) as ours:
        return ours or not path.exists()


def assert_clean(output: Path, others: tuple[str, ...] = ()) -> None:
    """Only the link and its builds folder, which holds the marker and the live build: nothing left over
    (once the old build's remover is done)."""
    wait_for_removals(output)
    assert beside(output) == sorted([output.name, f".{output.name}.builds", *others])
    live = os.readlink(output).split("/")[1]
    assert builds(output) == sorted([MARKER, live])


def build_env(**extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SVPORTAL_", "DATADIR"))}
    return {
        **env,
        "PYTHONPATH": str(ROOT / "plugins"),
        "DATADIR": str(SMALL),
        "BUILD_DATE": BUILD_DATE,
        "CHART_CACHE": str(CHART_CACHE),
        **extra,
    }


def start_build(output: Path, log: Path, pause: str = "", **env) -> subprocess.Popen:
    """``make html`` without make, in a new process; with ``pause``, it waits at that point (see module doc)."""
    if pause:
        env["SVPORTAL_TEST_PAUSE"] = f"{pause}:{log.with_suffix('.paused')}"
    with log.open("w") as out:
        return subprocess.Popen(
            build_command(output, "--quiet"), cwd=ROOT, env=build_env(**env), stdout=out, stderr=subprocess.STDOUT
        )


def wait_until_paused(process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    flag = log.with_suffix(".paused")
    deadline = time.monotonic() + timeout
    while not flag.exists():
        assert process.poll() is None, f"the build ended ({process.returncode}) before pausing:\n{log.read_text()}"
        assert time.monotonic() < deadline, "the build never reached its pause point"
        time.sleep(0.05)


def finish(process: subprocess.Popen, log: Path, timeout: float = 300) -> tuple[int, str]:
    code = process.wait(timeout=timeout)
    return code, log.read_text()


def output_folder_tool(*args: str, project: Path = ROOT, **env) -> subprocess.CompletedProcess:
    """The command the Makefile runs for clean, devserver and regenerate (standard library only)."""
    return subprocess.run(
        [sys.executable, str(project / "plugins" / "svportal" / "output_folder.py"), *args],
        cwd=project,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def put_site(output: Path, source: Path) -> None:
    """Make ``output`` a portal-owned link to a copy of ``source``, the way a build swaps it in."""
    folder = OutputFolder(output)
    with folder.claimed(protected_places()):
        new = folder.new_build()
        shutil.copytree(source, new, dirs_exist_ok=True)
        folder.swap_in(new)


def other_site(site: Path, into: Path) -> Path:
    """A copy of ``site`` that differs from it: a page changed, one file added and one removed."""
    shutil.copytree(site, into)
    (into / "index.html").write_text((into / "index.html").read_text().replace("Built", "Rebuilt"))
    (into / "new.html").write_text("<!DOCTYPE html><html></html>\n")
    (into / "robots.txt").unlink()
    return into


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    """``make`` in a copy of the project, with the real .venv (never reinstalled)."""
    venv = ROOT / ".venv"
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), f"VENV={venv}", "-o", f"{venv}/.site-deps", *args],
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def tagged_processes(tag: str) -> list[int]:
    """Live processes whose environment holds ``SVPORTAL_TEST_TAG=<tag>`` (zombies have none)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if f"SVPORTAL_TEST_TAG={tag}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                pass
    return found


# Fixtures


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The small fixture built once by a real build; the tests copy it as an old site."""
    output = tmp_path_factory.mktemp("reference") / "output"
    log = output.with_name("build.log")
    code, text = finish(start_build(output, log), log)
    assert code == 0, text
    return output


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project (with a .git folder), for commands that must refuse to touch it."""
    copy = tmp_path_factory.mktemp("copy") / "project"
    copy.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        else:
            shutil.copy2(source, copy / name)
    (copy / ".git").mkdir()
    (copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return copy


# Refusals, before any work


REFUSED = {
    "the project": (lambda p, t: p, "it is the project folder"),
    "its data folder": (lambda p, t: p / "data", "it is the project's data folder"),
    "a new folder inside data": (lambda p, t: p / "data" / "site", "it is inside the project's data folder"),
    "content": (lambda p, t: p / "content", "it is the project's content folder"),
    "theme": (lambda p, t: p / "theme", "it is the project's theme folder"),
    "a folder inside plugins": (lambda p, t: p / "plugins" / "svportal", "it is inside the project's plugins folder"),
    ".git": (lambda p, t: p / ".git", "it is the project's .git folder"),
    "a parent of the project": (lambda p, t: p.parent, "it holds the project folder"),
    "the home folder": (lambda p, t: Path.home(), "it is the home folder"),
    "/": (lambda p, t: Path("/"), "it is /"),
    "someone else's folder": (lambda p, t: t / "papers", "it holds files that are not a site built by the portal"),
    "someone else's link": (lambda p, t: t / "link", "it is a symbolic link the portal did not make"),
    "a mount point": (lambda p, t: Path("/dev/shm"), "it is a mount point"),
    "the builds folder": (lambda p, t: t / ".site.builds", "it is where the portal keeps its builds"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refuses_every_folder_that_is_not_its_own(case, project, tmp_path):
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "thesis.txt").write_text("years of work")
    (tmp_path / "link").symlink_to(tmp_path / "papers")
    put_site(tmp_path / "site", SMALL)
    where, reason = REFUSED[case]
    target = where(project, tmp_path)
    before = {folder: digest(folder) for folder in (project, tmp_path)}
    around = sorted(os.listdir(target.parent))

    result = output_folder_tool("check-output", "--output", str(target), project=project)

    assert result.returncode == 3
    assert result.stderr.startswith(f"error: refusing to build into {target}: {reason}")
    assert len(result.stderr.splitlines()) == 1
    assert {folder: digest(folder) for folder in (project, tmp_path)} == before
    assert sorted(os.listdir(target.parent)) == around  # no lock, builds folder or link made beside it


def test_make_html_refuses_the_project_folder_before_building(project):
    before = digest(project)
    result = make(project, "html", "OUTPUTDIR=.")
    assert result.returncode != 0
    assert f"error: refusing to build into {project}: it is the project folder" in result.stderr
    assert "Site built" not in result.stdout + result.stderr
    assert digest(project) == before  # .git, data, content and the Makefile are all still there


def test_a_build_refuses_to_write_into_its_data_folder(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    before = digest(data)
    log = tmp_path / "build.log"
    code, text = finish(start_build(data, log, DATADIR=str(data)), log)
    assert code == 3
    assert f"refusing to build into {data}: it is the data folder (DATADIR)" in text
    assert digest(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build.log", "data"]


def test_make_clean_and_regenerate_refuse_the_project_and_its_data(project):
    before = digest(project)
    for target, output in (("clean", "."), ("clean", "data"), ("regenerate", "data"), ("devserver", ".")):
        result = make(project, target, f"OUTPUTDIR={output}")
        assert result.returncode != 0, (target, output)
        assert "error: refusing to build into" in result.stderr, (target, output)
        assert "bin/pelican" not in result.stdout, "Pelican ran after the refusal"
    assert digest(project) == before


def test_make_clean_removes_a_path_with_a_space_and_nothing_else(project):
    put_site(project / "a b", SMALL)
    (project / "b").mkdir()
    (project / "b" / "keep.txt").write_text("not the site")
    before = digest(project / "b")

    result = make(project, "clean", "OUTPUTDIR=a b")

    assert result.returncode == 0, result.stderr
    assert not os.path.lexists(project / "a b")
    assert not (project / ".a b.builds").exists() and not (project / ".a b.lock").exists()
    assert digest(project / "b") == before
    assert digest(project / "data") is not None


def test_check_output_makes_an_absent_folder_one_pelican_can_write_into(tmp_path):
    output = tmp_path / "output"
    result = output_folder_tool("check-output", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert output.is_symlink() and output.is_dir() and not any(output.iterdir())
    assert_clean(output)
    (output / "index.html").write_text("written by pelican -r")  # through the link, into the live build
    assert output_folder_tool("check-output", "--output", str(output)).returncode == 0
    assert (output / "index.html").read_text() == "written by pelican -r"


# An output folder made before builds were links


def test_an_old_output_folder_is_accepted_once_and_replaced_atomically_while_served(site, tmp_path):
    """Recognised as the portal's, turned into a link by one exchange, and never missing meanwhile."""
    output = tmp_path / "output"
    shutil.copytree(site, output)  # a real folder, as builds before links left it
    reference = digest(site)
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "pelican"),
            "-l",
            str(ROOT / "content"),
            "-o",
            str(output),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-p",
            str(port),
            "-b",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=build_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pollers = [Poller(lambda: (output / "index.html").read_text(encoding="utf-8")), Poller(lambda: fetch(port, "/"))]
    try:
        wait_for_server(port, server)
        for poller in pollers:
            poller.start()
        log = tmp_path / "build.log"
        code, text = finish(start_build(output, log), log)
        assert code == 0, text
        assert output.is_symlink() and digest(output) == reference  # the same data and date: the same files
        assert_clean(output, others=("build.log",))

        code, text = finish(start_build(output, log, BUILD_DATE=LATER_DATE), log)
        assert code == 0, text
        assert "Built 5 January 2027" in fetch(port, "/")  # the server follows the link to the new build
        assert_clean(output, others=("build.log",))
    finally:
        for poller in pollers:
            poller.stop()
        server.kill()
        server.wait()
    for poller in pollers:
        assert poller.reads > 20
        assert poller.failures == []


class Poller(threading.Thread):
    """Reads a page again and again; records every read that found it missing or incomplete."""

    def __init__(self, read):
        super().__init__(daemon=True)
        self.read, self.reads, self.failures, self.stopped = read, 0, [], threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                text = self.read()
                if not text.rstrip().endswith("</html>"):
                    self.failures.append(f"incomplete: {text[-80:]!r}")
            except Exception as exc:
                self.failures.append(repr(exc))
            self.reads += 1
            time.sleep(0.001)

    def stop(self):
        self.stopped.set()
        self.join(10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def wait_for_server(port: int, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert server.poll() is None, "pelican -l ended"
        try:
            fetch(port, "/")
            return
        except OSError:
            assert time.monotonic() < deadline, "pelican -l never answered"
            time.sleep(0.2)


# Two builds at once, signals, kill -9


def test_a_second_build_refuses_at_once_naming_the_first_which_removed_the_leftovers(site, tmp_path):
    output = tmp_path / "output"
    put_site(output, site)
    old = digest(output)
    leftovers = [
        output.parent / ".output.builds" / "20260101T000000-77-1",  # a build killed before its swap
        output.parent / ".output.new-77",
        output.parent / ".output.old-77",
    ]  # made before links
    for folder in leftovers:
        folder.mkdir()
        (folder / "index.html").write_text("half")
    (output.parent / ".output.swap-link-77").symlink_to(".output.builds/20260101T000000-77-1")

    first = start_build(output, tmp_path / "first.log", pause="claimed")
    try:
        wait_until_paused(first, tmp_path / "first.log")
        assert_clean(output, others=("first.log", "first.paused", ".output.lock"))  # leftovers gone, under the lock
        started = time.monotonic()
        code, text = finish(start_build(output, tmp_path / "second.log"), tmp_path / "second.log", timeout=120)
        assert code == 3
        assert f"{output} is being built by pid {first.pid} (started " in text
        assert "svportal build" in text.splitlines()[-1]
        assert first.poll() is None, "the first build was disturbed"
        print(f"the second build refused after {time.monotonic() - started:.1f} s (most of it importing)")
    finally:
        first.send_signal(signal.SIGTERM)
    code, text = finish(first, tmp_path / "first.log")
    assert code == 128 + signal.SIGTERM
    assert digest(output) == old
    assert_clean(output, others=("first.log", "first.paused", "second.log"))


def test_sigterm_stops_a_build_like_an_error(site, tmp_path):
    output = tmp_path / "output"
    put_site(output, site)
    old = digest(output)
    log = tmp_path / "build.log"
    build = start_build(output, log, pause="built", BUILD_DATE=LATER_DATE)  # the whole new site is written
    wait_until_paused(build, log)
    assert len(builds(output)) == 3  # the marker, the live build and the new one
    build.send_signal(signal.SIGTERM)
    code, text = finish(build, log)
    assert code == 128 + signal.SIGTERM
    assert f"error: stopped by SIGTERM; nothing was published: {output} is as it was." in text
    assert digest(output) == old
    assert_clean(output, others=("build.log", "build.paused"))  # no new folder, no lock


def test_kill_9_while_charts_render_kills_the_workers_and_keeps_the_old_site(site, tmp_path):
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), "--contracts", "6", "--out", str(data)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    output = tmp_path / "output"
    put_site(output, site)
    old = digest(output)
    tag = uuid.uuid4().hex
    log = tmp_path / "build.log"
    build = start_build(
        output, log, pause="rendering", DATADIR=str(data), CHART_CACHE=str(tmp_path / "charts"), SVPORTAL_TEST_TAG=tag
    )
    wait_until_paused(build, log)
    workers = [pid for pid in tagged_processes(tag) if pid != build.pid]
    assert len(workers) >= 2, "the charts were not rendered in worker processes"

    build.kill()
    build.wait()
    deadline = time.monotonic() + 20
    while tagged_processes(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tagged_processes(tag) == [], "processes of the killed build are still running"
    assert digest(output) == old

    result = output_folder_tool("check-output", "--output", str(output))  # what the next build does first
    assert result.returncode == 0, result.stderr
    assert digest(output) == old
    assert_clean(output, others=("build.log", "build.paused", "charts", "data"))


SWAP_POINTS = {"claimed": "old", "link-made": "old", "swapped": "new", "removing-old": "new"}
SWAP = """
import shutil, sys
sys.path.append(sys.argv[1])
from output_folder import OutputFolder, protected_places
folder = OutputFolder(sys.argv[2])
with folder.claimed(protected_places()):
    new = folder.new_build()
    shutil.copytree(sys.argv[3], new, dirs_exist_ok=True)
    folder.swap_in(new)
"""


@pytest.mark.parametrize("old_kind", ["link", "old-style folder"])
def test_kill_9_at_any_point_of_the_swap_leaves_the_old_or_the_new_site(site, tmp_path, old_kind):
    """The build's own swap code, killed at each point: the site is always exactly one of the two."""
    new_site = other_site(site, tmp_path / "new-site")
    sites = {"new": digest(new_site)}
    for point, expected in SWAP_POINTS.items():
        output = tmp_path / point / "output"
        output.parent.mkdir()
        if old_kind == "link":
            put_site(output, site)
        else:
            shutil.copytree(site, output)
        sites["old"] = digest(output)
        flag = tmp_path / point / "paused"
        swap = subprocess.Popen(
            [sys.executable, "-c", SWAP, str(ROOT / "plugins" / "svportal"), str(output), str(new_site)],
            env={**build_env(), "SVPORTAL_TEST_PAUSE": f"{point}:{flag}"},
        )
        deadline = time.monotonic() + 60
        while not flag.exists() or not flag.read_text():  # (the remover of the old build pauses after the swap ends)
            assert swap.poll() is None or point == "removing-old", f"the swap ended before {point}"
            assert time.monotonic() < deadline, f"nothing paused at {point}"
            time.sleep(0.01)
        paused = int(flag.read_text())
        swap.kill()
        swap.wait()
        if paused != swap.pid:  # the old build's remover, a process of its own (after the swap): killed too
            assert point == "removing-old" and old_kind == "link"
            os.kill(paused, signal.SIGKILL)
        assert digest(output) == sites[expected], f"killed at {point}: not the {expected} site"

        result = output_folder_tool("check-output", "--output", str(output))  # what the next build does first
        assert result.returncode == 0, result.stderr
        assert digest(output) == sites[expected], point
        assert_clean(output, others=("paused",))
        assert re.fullmatch(r"\.output\.builds/\d{8}T\d{6}-\d+-\d+", os.readlink(output))


def test_the_old_build_is_removed_after_the_build_returns_by_a_process_that_locks_it(site, tmp_path):
    """Removing the old site is off the build's critical path; the next build leaves it to its remover."""
    new_site = other_site(site, tmp_path / "new-site")
    output = tmp_path / "output"
    put_site(output, site)
    old = OutputFolder(output).live()
    flag = tmp_path / "paused"
    swap = subprocess.run(  # the build's own swap: it returns while the old build is being removed
        [sys.executable, "-c", SWAP, str(ROOT / "plugins" / "svportal"), str(output), str(new_site)],
        env={**build_env(), "SVPORTAL_TEST_PAUSE": f"removing-old:{flag}"},
        timeout=60,
    )
    assert swap.returncode == 0
    deadline = time.monotonic() + 30
    while not (flag.exists() and flag.read_text()) and time.monotonic() < deadline:
        time.sleep(0.01)
    remover = int(flag.read_text())
    try:
        assert digest(output) == digest(new_site)
        assert old.is_dir() and not removable(old)  # removing, with its lock held
        result = output_folder_tool("check-output", "--output", str(output))  # the next build's first step
        assert result.returncode == 0, result.stderr
        assert old.is_dir() and digest(output) == digest(new_site)  # left to its remover
    finally:
        os.kill(remover, signal.SIGKILL)  # stopped part way: the next build removes the rest
    wait_for_removals(output)
    assert old.is_dir()
    result = output_folder_tool("check-output", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert not old.exists()
    assert_clean(output, others=("new-site", "paused"))


def test_the_remover_removes_only_a_build_of_the_portal(tmp_path):
    folder = tmp_path / "20261123T101500-42-1"
    (folder / "keep").mkdir(parents=True)
    result = output_folder_tool("remove-build", str(folder))
    assert result.returncode == 3
    assert "is not a build of the portal" in result.stderr
    assert (folder / "keep").is_dir()
