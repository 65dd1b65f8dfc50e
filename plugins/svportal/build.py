"""Build the site into a new folder, then swap it in: never a half-built site.

    python -m svportal build --settings pelicanconf.py --output output
    python -m svportal publish --settings publishconf.py --output output

The site is built into a new folder beside ``--output``, which is a link to the
live build; only when the whole build succeeds is the link moved to the new
folder, in one atomic rename (see output_folder.py: which folders a build may
write into, the lock, the leftovers of killed builds). On any data error the
problems are printed, one per line as ``FILE:LINE: COLUMN: message``, the new
folder is removed, the old output is left exactly as it was, and the exit code
is 1. ``publish`` also runs the quality gates (see gates.py) before the swap;
a failed gate exits with 2. An output folder the build may not write into
(the project, its data, another program's files; see output_folder.py), or one
another build is writing, is refused before any work with exit code 3.
SIGTERM, SIGINT and SIGHUP stop a build like an error (exit code 128 + the
signal's number): the new folder is removed and the old site stays. A warning logged while
building (Pelican's or the portal's) stops the build like an error (:class:`StopOnWarnings`). The one
exception is a previous snapshot that cannot be compared with (the ``previous`` setting, PREVIOUS):
the build goes on and prints one ``warning:`` line to stderr, and /changes/ says "no comparison".

``--project`` names the project folder, which no build may write into (default: the folder of
the settings file); ``--gates`` the quality gates ``publish`` runs (default: its tests/gates).

    python -m svportal clean --output output          # what make clean runs
    python -m svportal check-output --output output   # before pelican -l / -r write into it
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import logging
import signal
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from . import changes, output_folder
from .gates import GateError, GateSuite, gate_check
from .generators import PathWrittenTwice
from .lifetime import checkpoint
from .output_folder import OutputFolder, OutputRefused
from .problems import DataError
from .schema import SchemaError
from .search import index_site
from .settings import SettingsError
from .settings import read_settings as read_portal_settings

logger = logging.getLogger("svportal.build")

EXIT_DATA_ERROR = 1
EXIT_GATE_FAILED = 2
EXIT_REFUSED = output_folder.EXIT_REFUSED


class FatalWarning(Exception):
    """A warning was logged while building: the build stops as on an error."""


class StopOnWarnings(logging.Handler):
    """A logging handler that turns every warning or error, once shown, into :class:`FatalWarning`."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        raise FatalWarning(record.getMessage())


def publish(
    settings_file: Path,
    gate_settings_file: Path,
    output: Path,
    overrides: dict | None = None,
    project: Path | None = None,
    gates: Path | None = None,
) -> int:
    """Build with the publishing settings, run the quality gates, and only then swap it in."""
    project = project or default_project(settings_file)
    try:
        siteurl = portal_settings(settings_file, overrides).siteurl
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR

    def twin(folder: Path) -> None:  # the same site with relative addresses, for the browser gates
        render(gate_settings_file, folder, overrides)
        index_site(folder)

    check = gate_check(siteurl, twin, GateSuite.of(project, gates))
    return build(settings_file, output, overrides, checks=[check], project=project)


def default_project(settings_file: Path) -> Path:
    """The project folder when none is given: the folder of the settings file (as for Pelican's own paths)."""
    return Path(settings_file).resolve().parent


def portal_settings(settings_file: Path, overrides: dict | None = None):
    """The portal's settings (settings.PortalSettings) of a Pelican settings file."""
    return read_portal_settings(read_settings(str(settings_file), override=overrides or {}))


def render(settings_file: Path, output: Path, overrides: dict | None = None) -> None:
    """Run Pelican once into ``output`` (which it creates), then give back the memory it held."""
    settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(output), **(overrides or {})})
    Pelican(settings).run()
    release_memory()


def release_memory() -> None:
    """Free what the finished Pelican run held and hand it back to the system, before Pagefind starts.

    Pagefind is a process of its own and needs as much memory as the site's text: without this, the
    build's peak is Pagefind's on top of everything the run still had (freed by Python, kept by the C
    library's allocator). ``malloc_trim`` exists in glibc only; elsewhere the memory stays with the process.
    """
    gc.collect()
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)


def protected_places(settings_file: Path, overrides: dict | None, project: Path) -> list:
    """The folders no build may write into: the project's own (output_folder.py) and the settings' ones."""
    settings = read_settings(str(settings_file), override=overrides or {})
    portal = read_portal_settings(settings)
    extra = [
        ("the data folder (DATADIR)", portal.data_dir),
        ("the chart cache", portal.chart_cache),
        ("the content folder", Path(settings["PATH"])),
    ]
    if Path(settings["THEME"]).is_dir():
        extra.append(("the theme folder", Path(settings["THEME"])))
    extra += [("a plugins folder", Path(plugins)) for plugins in settings.get("PLUGIN_PATHS") or []]
    return output_folder.protected_places(project, extra)


def build(
    settings_file: Path, output: Path, overrides: dict | None = None, checks=(), project: Path | None = None
) -> int:
    """Check and lock the output folder, build, run each check on the new folder, swap it in; the exit code."""
    started = time.perf_counter()
    folder = OutputFolder(output)
    try:
        protected = protected_places(settings_file, overrides, project or default_project(settings_file))
        with folder.claimed(protected) as kind:
            if kind == "legacy":
                logger.info("%s holds a site built before output folders were links: it becomes one", folder.path)
            code = build_into(folder, settings_file, overrides, checks)
    except OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Stopped as exc:
        done = (
            f"the new site was in place already in {folder.path}"
            if folder.swapped
            else f"nothing was published: {folder.path} is as it was"
        )
        print(f"error: stopped by {exc.name}; {done}.", file=sys.stderr)
        return 128 + exc.signum
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    if code == 0:
        logger.info("Site built in %s in %.1f s", folder.path, time.perf_counter() - started)
    return code


def build_into(folder: OutputFolder, settings_file: Path, overrides: dict | None, checks) -> int:
    """Build into a new folder beside the output, check it and swap it in; on any failure remove it."""
    output = folder.path
    new = folder.new_build()
    try:
        render(settings_file, new, overrides)
        warn_without_comparison(new, settings_file, overrides)
        index_site(new)  # the search index, over the new folder only
        for check in checks:
            check(new)
        checkpoint("built")  # tests only
        folder.swap_in(new)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_DATA_ERROR
    except (SchemaError, SettingsError, PathWrittenTwice) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except FatalWarning:
        print(
            f"error: the build stopped on the warning above (Pelican runs with --fatal warnings); "
            f"nothing was published: {output} is as it was.",
            file=sys.stderr,
        )
        return EXIT_DATA_ERROR
    except GateError as exc:
        print(f"{exc}\nNothing was published: {output} is as it was.", file=sys.stderr)
        return EXIT_GATE_FAILED
    finally:
        folder.discard(new)  # unless it is the live site now
    return 0


def warn_without_comparison(site: Path, settings_file: Path, overrides: dict | None) -> None:
    """One warning line when the previous snapshot could not be compared with (the build goes on; /changes/ says why).

    Read from the snapshot the new site publishes, so that the twin build of the gates does not say it again.
    """
    published = site / changes.PATH
    if published.is_file():
        line = changes.comparison_warning(published.read_bytes(), portal_settings(settings_file, overrides).previous)
        if line:
            print(line, file=sys.stderr)


class Stopped(BaseException):
    """SIGTERM, SIGINT or SIGHUP arrived: the build stops as on an error."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


def stop_on_signals() -> None:
    """Turn SIGTERM, SIGINT and SIGHUP into :class:`Stopped`; further ones are ignored while it cleans up."""

    def stop(signum, frame):
        for number in output_folder.STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise Stopped(signum)

    for number in output_folder.STOP_SIGNALS:
        signal.signal(number, stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m svportal", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("build", help="build the site into --output, atomically")
    cmd.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    cmd.add_argument("--output", type=Path, default=Path("output"))
    cmd.add_argument("--quiet", action="store_true")
    cmd.add_argument("--project", type=Path, default=None, help="the project folder (default: the settings' folder)")
    pub = sub.add_parser("publish", help="build with publishconf.py, run the quality gates, then swap it in")
    pub.add_argument("--settings", type=Path, default=Path("publishconf.py"))
    pub.add_argument(
        "--gate-settings",
        type=Path,
        default=Path("pelicanconf.py"),
        help="settings for the twin build the browser gates check (relative addresses)",
    )
    pub.add_argument("--output", type=Path, default=Path("output"))
    pub.add_argument("--quiet", action="store_true")
    pub.add_argument("--project", type=Path, default=None, help="the project folder (default: the settings' folder)")
    pub.add_argument("--gates", type=Path, default=None, help="the quality gates to run (default: tests/gates)")
    for name, text in (
        ("clean", "remove --output and what builds of it left, if it is the portal's"),
        ("check-output", "refuse an unsafe --output, or make it a link the portal owns"),
    ):
        tool = sub.add_parser(name, help=text)
        tool.add_argument("--output", type=Path, default=Path("output"))
        tool.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    args = parser.parse_args(argv)
    if args.command in ("clean", "check-output"):
        return output_folder.main([args.command, "--output", str(args.output), "--project", str(args.project)])
    init_logging(level=logging.WARNING if args.quiet else logging.INFO)
    logging.getLogger().addHandler(StopOnWarnings())  # after Pelican's handler, which shows the warning first
    for chatty in ("pelican.writers", "pelican.utils"):  # one line per file: too much for thousands of pages
        logging.getLogger(chatty).setLevel(logging.WARNING)
    stop_on_signals()
    try:
        if args.command == "publish":
            return publish(args.settings, args.gate_settings, args.output, project=args.project, gates=args.gates)
        return build(args.settings, args.output, project=args.project)
    except Stopped as exc:  # before the build began
        print(f"error: stopped by {exc.name}; nothing was published: {args.output} is as it was.", file=sys.stderr)
        return 128 + exc.signum
