"""Build the site into a new folder, then swap it in: never a half-built site.

    python -m svportal build --settings pelicanconf.py --output output
    python -m svportal publish --settings publishconf.py --output output

The site is built into a sibling folder of ``--output``. Only when the whole
build succeeds does that folder replace the old output (two renames on the
same file system). On any data error the problems are printed, one per line
as ``FILE:LINE: COLUMN: message``, the new folder is removed, the old output is
left exactly as it was, and the exit code is 1. ``publish`` also runs the
quality gates (see publish.py) before the swap; a failed gate exits with 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .problems import DataError
from .publish import GateError, gate_check
from .schema import SchemaError
from .search import index_site
from .settings import SettingsError

logger = logging.getLogger("svportal.build")

EXIT_DATA_ERROR = 1
EXIT_GATE_FAILED = 2
FATAL_WARNING = "Warning or error encountered"  # what pelican.log raises under --fatal warnings


def publish(settings_file: Path, gate_settings_file: Path, output: Path, overrides: dict | None = None) -> int:
    """Build with the publishing settings, run the quality gates, and only then swap it in."""
    siteurl = read_settings(str(settings_file)).get("SITEURL", "")

    def twin(folder: Path) -> None:  # the same site with relative addresses, for the browser gates
        render(gate_settings_file, folder, overrides)
        index_site(folder)

    return build(settings_file, output, overrides, checks=[gate_check(siteurl, twin)])


def render(settings_file: Path, output: Path, overrides: dict | None = None) -> None:
    """Run Pelican once into ``output`` (which it creates)."""
    settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(output), **(overrides or {})})
    Pelican(settings).run()


def swap_in(new: Path, output: Path) -> None:
    """Replace ``output`` by ``new``; the old folder exists until the new one is in place."""
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        output.rename(old)
    new.rename(output)
    if old.exists():
        shutil.rmtree(old)


def build(settings_file: Path, output: Path, overrides: dict | None = None, checks=()) -> int:
    """Build, run each check on the new folder, and swap it in; return the exit code."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    new = output.with_name(f".{output.name}.new-{os.getpid()}")
    if new.exists():
        shutil.rmtree(new)
    started = time.perf_counter()
    try:
        render(settings_file, new, overrides)
        index_site(new)  # the search index, over the new folder only
        for check in checks:
            check(new)
    except DataError as exc:
        shutil.rmtree(new, ignore_errors=True)
        print(exc, file=sys.stderr)
        return EXIT_DATA_ERROR
    except (SchemaError, SettingsError) as exc:
        shutil.rmtree(new, ignore_errors=True)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except RuntimeError as exc:
        shutil.rmtree(new, ignore_errors=True)
        if str(exc) != FATAL_WARNING:
            raise
        print(f"error: the build stopped on the warning above (Pelican runs with --fatal warnings); "
              f"nothing was published: {output} is as it was.", file=sys.stderr)
        return EXIT_DATA_ERROR
    except GateError as exc:
        shutil.rmtree(new, ignore_errors=True)
        print(f"{exc}\nNothing was published: {output} is as it was.", file=sys.stderr)
        return EXIT_GATE_FAILED
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    os.chmod(new, 0o755)  # a temporary folder may be private; the site is public
    swap_in(new, output)
    logger.info("Site built in %s in %.1f s", output, time.perf_counter() - started)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m svportal", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("build", help="build the site into --output, atomically")
    cmd.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    cmd.add_argument("--output", type=Path, default=Path("output"))
    cmd.add_argument("--quiet", action="store_true")
    pub = sub.add_parser("publish", help="build with publishconf.py, run the quality gates, then swap it in")
    pub.add_argument("--settings", type=Path, default=Path("publishconf.py"))
    pub.add_argument("--gate-settings", type=Path, default=Path("pelicanconf.py"),
                     help="settings for the twin build the browser gates check (relative addresses)")
    pub.add_argument("--output", type=Path, default=Path("output"))
    pub.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    init_logging(level=logging.WARNING if args.quiet else logging.INFO, fatal="warnings")
    for chatty in ("pelican.writers", "pelican.utils"):  # one line per file: too much for thousands of pages
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if args.command == "publish":
        return publish(args.settings, args.gate_settings, args.output)
    return build(args.settings, args.output)
