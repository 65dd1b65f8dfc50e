"""The output folder: which folders a build may write into, and how a new build replaces the old one.

A build never deletes or writes into a folder it does not own. ``OUTPUTDIR`` (say ``output``) is a
symbolic link to one build in a hidden sibling folder, and every new build goes into a new folder
beside it::

    output -> .output.builds/20261123T101500-4242     the live site
    .output.builds/svportal-builds                    the marker: this folder belongs to the portal
    .output.builds/20261123T101500-4242/              one complete build
    .output.lock                                      while a build runs: its pid, start time, command

The new build is swapped in by moving a new link over ``output`` with one rename, which is atomic:
at every instant ``output`` is exactly the old site or exactly the new one. The old build is removed
after, off the build's critical path: by a detached process (``remove-build``) that holds a lock on
the old build's folder (``flock``) while it removes it, so that the command that built the site
returns as soon as the new site is live. The next build leaves a folder being removed alone, and
``clean`` waits for it. A build may write to ``OUTPUTDIR`` only when it is

- absent;
- a link made by the portal (it points into ``.<name>.builds/``, which holds the marker);
- an empty folder; or
- a real folder holding a site built by the portal before builds were links (see
  :func:`is_portal_build`); it is turned into a link with an atomic exchange (``renameat2``).

Anything else is refused, before any work, with one line and exit code 3: a folder holding other
files, a link the portal did not make, a mount point, and the project itself, its data, content,
theme, plugins and ``.git`` folders (or any folder inside or above them), the home folder and ``/``.

A second build of the same ``OUTPUTDIR`` refuses at once while the first holds the lock. What a
killed build leaves (build folders the link does not point to, temporary links) is removed by the
next build, under the lock, and by ``clean``.

This module uses only the standard library, so that the Makefile can run it before ``.venv`` exists::

    python plugins/svportal/output_folder.py clean --output output
    python plugins/svportal/output_folder.py check-output --output output
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    from .lifetime import checkpoint
except ImportError:  # run as a script (python plugins/svportal/output_folder.py): lifetime.py is beside it
    from lifetime import checkpoint

EXIT_REFUSED = 3
MARKER = "svportal-builds"  # in .<name>.builds/: the folder, and the link into it, belong to the portal
MARKER_TEXT = (
    "Builds of the social value transparency portal: the output folder {name!r} beside this\n"
    "folder links to one of them. Made by `python -m svportal build`; `make clean` removes it.\n"
)
BUILD_NAME = re.compile(r"^\d{8}T\d{6}-\d+-\d+$")  # one build folder: when, the building pid, a number
OLD_LEFTOVER = r"^\.{name}\.(?:new|old)-\d+(?:-gates)?$"  # what builds made before links left when killed
RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class OutputRefused(Exception):
    """The output folder is not one a build may write into; the message says why, in one line."""


# Which folders are off limits


def protected_places(project: Path | None = None, extra: list[tuple[str, Path]] = ()) -> list[tuple[Path, str, bool]]:
    """``(folder, what it is, whether folders inside it are refused too)`` for every place a build must not touch.

    ``project`` is the project folder (default: the working directory, where make runs).

    The project is refused with every folder above it; its data, content, theme, plugins, ``.git`` and
    cache folders (and ``extra``: the settings' data, content, theme and plugin folders) with every
    folder inside or above them; the home folder and ``/`` with every folder above them.
    """
    root = Path(project) if project else Path.cwd()
    places = [(Path("/"), "/", False), (Path.home(), "the home folder", False), (root, "the project folder", False)]
    named = [
        ("the project's .git folder", root / ".git"),
        ("the project's data folder", root / "data"),
        ("the project's content folder", root / "content"),
        ("the project's theme folder", root / "theme"),
        ("the project's plugins folder", root / "plugins"),
        ("the project's cache", root / ".cache"),
    ]
    if os.environ.get("DATADIR"):
        named.append(("the data folder (DATADIR)", Path(os.environ["DATADIR"])))
    places += [(Path(path), what, True) for what, path in [*named, *extra]]
    return [(_real(path), what, inside) for path, what, inside in places]


def _real(path: Path) -> Path:
    """``path`` made absolute with every link resolved, except a link in its last part."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name if path.name else path


def refusal(output: Path, protected: list[tuple[Path, str, bool]]) -> str | None:
    """Why ``output`` is one of the protected places (or inside or above one), or None."""
    if (output / MARKER).is_file():
        return "it is where the portal keeps its builds"
    for place, what, inside in protected:
        if output == place:
            return f"it is {what}"
        if output in place.parents:
            return f"it holds {what} ({place})"
        if inside and place in output.parents:
            return f"it is inside {what} ({place})"
    for folder in output.parents:
        if (folder / MARKER).is_file():
            return f"it is inside {folder}, where the portal keeps its builds"
    return None


def is_portal_build(folder: Path) -> bool:
    """Whether ``folder`` holds a site built by the portal before builds were links.

    It must have the files every build writes: the home page (with the portal's stylesheet and
    the GOV.UK page template), the published data package, the search index and the data-quality
    and search pages.
    """
    needed = [
        "index.html",
        "data/datapackage.json",
        "pagefind/pagefind-entry.json",
        "theme/css/portal.css",
        "search/index.html",
        "data-quality/index.html",
    ]
    if not all((folder / name).is_file() for name in needed):
        return False
    home = (folder / "index.html").read_text(encoding="utf-8", errors="replace")
    return 'class="govuk-template"' in home and "theme/css/portal.css" in home


# One OUTPUTDIR and the files beside it


class OutputFolder:
    """``OUTPUTDIR`` and its siblings: the builds folder, the lock and the temporary links."""

    def __init__(self, output: Path):
        self.path = _real(output)
        self.parent, self.name = self.path.parent, self.path.name
        self.builds = self.parent / f".{self.name}.builds"
        self.lock_path = self.parent / f".{self.name}.lock"
        self.swapped = False  # whether swap_in has put a new build in place

    def temporary(self, purpose: str) -> Path:
        """A temporary name beside OUTPUTDIR, which the next build removes if this one is killed."""
        return self.parent / f".{self.name}.swap-{purpose}-{os.getpid()}"

    def live(self) -> Path | None:
        """The build folder OUTPUTDIR links to, if it is a link the portal made."""
        if not self.path.is_symlink() or not (self.builds / MARKER).is_file():
            return None
        target = os.readlink(self.path)
        folder, _, build = target.partition("/")
        if folder != self.builds.name or not BUILD_NAME.match(build):
            return None
        return self.builds / build

    def kind(self, protected: list[tuple[Path, str, bool]]) -> str:
        """``absent``, ``link``, ``empty`` or ``legacy``; raise :class:`OutputRefused` for anything else."""
        reason = refusal(self.path, protected)
        if reason:
            raise OutputRefused(f"refusing to build into {self.path}: {reason}. Choose another OUTPUTDIR.")
        if self.live():
            return "link"
        if self.path.is_symlink():
            raise OutputRefused(
                f"refusing to build into {self.path}: it is a symbolic link the portal did not "
                f"make (to {os.readlink(self.path)}). Give the folder it points to, or another path."
            )
        if not self.path.exists():
            return "absent"
        if not self.path.is_dir():
            raise OutputRefused(f"refusing to build into {self.path}: it is a file, not a folder.")
        if os.path.ismount(self.path):
            raise OutputRefused(
                f"refusing to build into {self.path}: it is a mount point, which cannot be "
                f"replaced atomically. Give a folder inside it, e.g. {self.path / 'site'}."
            )
        if not any(self.path.iterdir()):
            return "empty"
        if is_portal_build(self.path):
            return "legacy"
        raise OutputRefused(
            f"refusing to build into {self.path}: it holds files that are not a site built by "
            f"the portal. Empty it, or choose another OUTPUTDIR."
        )

    # Taking the folder

    @contextmanager
    def claimed(self, protected: list[tuple[Path, str, bool]], command: str = ""):
        """Check that the folder may be written, lock it, remove leftovers; yield its kind.

        Raises :class:`OutputRefused` before touching anything when it may not be.
        """
        self.kind(protected)  # refuse before creating anything beside it
        self.parent.mkdir(parents=True, exist_ok=True)
        with self._locked(command):
            kind = self.kind(protected)  # again: another build may have changed it meanwhile
            if kind in ("empty", "legacy"):
                self._check_exchange()
            self.remove_leftovers()
            checkpoint("claimed")  # tests only
            try:
                yield kind
            finally:
                self._drop_empty_builds()

    @contextmanager
    def _locked(self, command: str):
        """Hold ``.<name>.lock`` (flock) for the block; refuse at once, naming the holder, if another has it."""
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another build"
                os.close(fd)
                raise OutputRefused(
                    f"{self.path} is being built by {holder}; wait for it to finish, or stop it."
                ) from None
            try:
                if os.stat(self.lock_path).st_ino == os.fstat(fd).st_ino:
                    break  # still the lock file: the last holder did not remove it after we opened it
            except FileNotFoundError:
                pass
            os.close(fd)
        try:
            started = time.strftime("%Y-%m-%d %H:%M:%S")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()} (started {started}: {command or running_command()})\n".encode(), 0)
            yield
        finally:
            with suppress(FileNotFoundError):
                os.unlink(self.lock_path)  # while still holding it: see the inode check above
            os.close(fd)

    def remove_leftovers(self) -> list[Path]:
        """Remove what killed builds left: builds the link does not point to, temporary links. Returns them."""
        live = self.live()
        leftovers = []
        if (self.builds / MARKER).is_file():
            leftovers += [p for p in self.builds.iterdir() if p.name != MARKER and p != live]
        old = re.compile(OLD_LEFTOVER.format(name=re.escape(self.name)))
        leftovers += [
            p
            for p in self.parent.iterdir()
            if p.name.startswith(f".{self.name}.swap-") or (old.match(p.name) and p.is_dir())
        ]
        removed = []
        for path in leftovers:
            with being_removed_by_us(path) as ours:
                if ours:  # not a folder another process is removing (remove_in_background)
                    remove(path)
                    removed.append(path)
        return removed

    def wait_for_removals(self) -> None:
        """Wait until no process is removing an old build of this folder (remove_in_background)."""
        if (self.builds / MARKER).is_file():
            for path in self.builds.iterdir():
                with being_removed_by_us(path, wait=True):
                    pass

    def _drop_empty_builds(self) -> None:
        """Remove the builds folder when no link points into it (a first build that failed)."""
        if self.live() is None and self.builds.is_dir() and [p.name for p in self.builds.iterdir()] == [MARKER]:
            shutil.rmtree(self.builds)

    def _check_exchange(self) -> None:
        """Refuse now, before building, when this file system cannot exchange a folder with a link."""
        first, second = self.temporary("probe-a"), self.temporary("probe-b")
        os.symlink("a", first)
        os.symlink("b", second)
        try:
            exchange(first, second)
        except OSError as exc:
            raise OutputRefused(
                f"cannot turn the folder {self.path} into a link atomically here ({exc.strerror}: the kernel or file "
                f"system has no renameat2 RENAME_EXCHANGE). Remove it yourself, or choose another OUTPUTDIR."
            ) from None
        finally:
            remove(first)
            remove(second)

    # Building and swapping

    def new_build(self) -> Path:
        """A new, empty build folder (inside the builds folder, which is made and marked if need be)."""
        self.builds.mkdir(exist_ok=True)
        marker = self.builds / MARKER
        if not marker.is_file():
            marker.write_text(MARKER_TEXT.format(name=self.name), encoding="utf-8")
        stamp, number = time.strftime("%Y%m%dT%H%M%S"), 1
        while True:  # one process may make several in a second
            folder = self.builds / f"{stamp}-{os.getpid()}-{number}"
            try:
                folder.mkdir()
                break
            except FileExistsError:
                number += 1
        os.chmod(folder, 0o755)  # whatever the umask: the site is public
        return folder

    def adopt(self) -> Path:
        """A new build folder holding what OUTPUTDIR holds now (hard links: no copying), for the dev server."""
        folder = self.new_build()
        if self.path.is_dir():
            shutil.copytree(self.path, folder, symlinks=True, dirs_exist_ok=True, copy_function=os.link)
        return folder

    def swap_in(self, new: Path) -> None:
        """Make OUTPUTDIR show ``new`` in one atomic step, then remove what it showed before.

        SIGTERM, SIGINT and SIGHUP wait until it is done: a swap, once begun, is finished.
        """
        with signals_held():
            link = self.temporary("link")
            remove(link)
            os.symlink(f"{self.builds.name}/{new.name}", link)
            checkpoint("link-made")
            if self.path.is_dir() and not self.path.is_symlink():
                exchange(link, self.path)  # a real folder (legacy or empty) becomes the link
                old = link  # ... and the folder is now where the temporary link was
            else:
                old = self.live()
                os.replace(link, self.path)
            self.swapped = True
            checkpoint("swapped")
            if old is not None and old.parent == self.builds:
                remove_in_background(old)
            elif old is not None:  # a site built before links, once: removed here
                remove(old, pause_at="removing-old")

    def discard(self, new: Path) -> None:
        """Remove a build folder that was not swapped in (never the live one)."""
        if new != self.live():
            remove(new)

    def clean(self) -> None:
        """Remove OUTPUTDIR (the link and every build, or a site built before links) and all leftovers."""
        remove(self.path)  # the link, an empty folder or a site built before links: kind() has checked which
        self.wait_for_removals()
        if (self.builds / MARKER).is_file():
            remove(self.builds)


def running_command() -> str:
    """This process's command line as it was typed: ``python -m svportal build ...``."""
    argv = list(sys.argv)
    if argv and argv[0].endswith("__main__.py"):
        argv[0] = f"python -m {Path(argv[0]).parent.name}"
    return " ".join(argv)


def remove(path: Path, pause_at: str = "") -> None:
    """Remove a file, link or folder tree if it is there (never following a link).

    ``pause_at`` names the :func:`checkpoint` reached when the first entry of a folder is gone.
    """
    if path.is_symlink() or (os.path.lexists(path) and not path.is_dir()):
        path.unlink()
    elif path.is_dir():
        for done, entry in enumerate(sorted(path.iterdir())):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            if done == 0 and pause_at:
                checkpoint(pause_at)
        path.rmdir()


# Removing an old build off the critical path


def remove_in_background(folder: Path) -> None:
    """Remove a build folder in a detached process, which holds ``flock`` on the folder until it is gone.

    The lock is taken here, before the process starts, and passed to it: there is no instant at which
    another build could take the folder for a leftover and remove it at the same time. The process is
    in a session of its own (Ctrl-C in the terminal does not stop it) and outlives this one; killed part
    way, it leaves the rest of the folder to the next build. When it cannot start, the folder is removed
    here.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return remove(folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # no other process has it: this build holds the output's lock
        command = [sys.executable, str(Path(__file__).resolve()), "remove-build", str(folder)]
        try:
            started = subprocess.run(
                command, pass_fds=(fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=60
            )
            detached = started.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            detached = False
        if not detached:
            remove(folder, pause_at="removing-old")
    finally:
        os.close(fd)


def remove_build(folder: Path) -> int:
    """``remove-build``: fork a process of a new session that removes ``folder`` (an old build) and return.

    Refuses anything but a build folder of a portal builds folder. The lock on it comes with the command
    (remove_in_background) and is let go when the process ends.
    """
    folder = _real(folder)
    if not (BUILD_NAME.match(folder.name) and (folder.parent / MARKER).is_file()):
        print(f"error: {folder} is not a build of the portal", file=sys.stderr)
        return EXIT_REFUSED
    if os.fork():
        return 0  # the build goes on at once
    os.setsid()
    quiet = os.open(os.devnull, os.O_RDWR)  # let go of the build's output: whoever reads it need not wait for us
    for number in (0, 1, 2):
        os.dup2(quiet, number)
    try:
        remove(folder, pause_at="removing-old")
    finally:
        os._exit(0)


@contextmanager
def being_removed_by_us(path: Path, wait: bool = False):
    """Yield whether ``path`` is ours to remove: False while another process removes it (remove_in_background),
    or when it is gone meanwhile. With ``wait``, wait for that process to finish first. Not a folder: True."""
    if path.is_symlink() or not path.is_dir():
        yield True
        return
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield os.path.isdir(path)  # the remover may have finished just before
    finally:
        os.close(fd)


# Linux primitives


def exchange(first: Path, second: Path) -> None:
    """Swap two names atomically: ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+, glibc 2.28+)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "this C library has no renameat2", str(first))
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first), None, str(second))


@contextmanager
def signals_held():
    """Hold SIGTERM, SIGINT and SIGHUP for the block: a swap is never interrupted half way."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


# The command line (make clean, make devserver, make regenerate)


def check_output(output: Path, protected=None) -> Path:
    """Refuse an unsafe OUTPUTDIR; otherwise make it a link the portal owns (for pelican -r and -l).

    Absent, it becomes a link to an empty build; an empty folder or an old build is turned into a
    link to a build with the same files. Pelican then writes through the link.
    """
    folder = OutputFolder(output)
    with folder.claimed(protected or protected_places(), "check-output") as kind:
        if kind != "link":
            folder.swap_in(folder.adopt())
    return folder.path


def clean(output: Path, protected=None) -> None:
    """Remove OUTPUTDIR and everything builds of it left, if it is the portal's to remove."""
    folder = OutputFolder(output)
    with folder.claimed(protected or protected_places(), "clean"):
        folder.clean()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="output_folder.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["clean", "check-output", "remove-build"])
    parser.add_argument("folder", type=Path, nargs="?", help="remove-build: the old build to remove")
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        help="the project folder, which a build may not write into (default: the working directory)",
    )
    args = parser.parse_args(argv)
    if args.command == "remove-build":
        if args.folder is None:
            parser.error("remove-build needs the folder of an old build")
        return remove_build(args.folder)
    protected = protected_places(args.project)
    try:
        if args.command == "clean":
            clean(args.output, protected)
        else:
            check_output(args.output, protected)
    except OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
