"""Child processes that die with the build (chart workers, Pagefind, the quality gates), and pause points for tests.

A build killed with ``kill -9`` (or by a CI runner that gives up) cannot stop its children, so on
Linux each child asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``).
Elsewhere these functions do nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PAUSE_ENV = "SVPORTAL_TEST_PAUSE"  # tests only: "<point>:<file>" makes a build wait at <point>


def _prctl():
    """libc's ``prctl``, looked up in the parent (a child between fork and exec should not load libraries)."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(None, use_errno=True).prctl


def die_with_parent(parent_pid: int, prctl=None) -> None:
    """Make this process get SIGKILL when ``parent_pid`` (its parent) exits; exit now if it already has."""
    prctl = prctl or _prctl()
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl: nobody would kill us
        os._exit(1)


def preexec_die_with_parent():
    """A ``preexec_fn`` for :mod:`subprocess`: the child is killed when this process dies."""
    prctl, parent = _prctl(), os.getpid()
    if prctl is None:
        return None
    return lambda: die_with_parent(parent, prctl)


def checkpoint(point: str) -> None:
    """Tests only: when ``SVPORTAL_TEST_PAUSE`` is ``<point>:<file>``, write the pid to <file> and wait.

    The tests kill the build while it waits, to check what is on disk at that instant.
    """
    name, _, flag = os.environ.get(PAUSE_ENV, "").partition(":")
    if name == point and flag:
        Path(flag).write_text(str(os.getpid()), encoding="utf-8")
        while True:
            time.sleep(0.1)
