"""The snapshot the site published last time (``/data/snapshot.json``), read as text for the comparison.

The ``previous`` setting (``make publish PREVIOUS=…``) names where it is: a built site's folder (its
``data/snapshot.json``), a ``snapshot.json`` file, or an ``http(s)://`` address. Reading it never stops a
build: whatever goes wrong (no such file, no answer, not UTF-8...) becomes the one-line reason that
the page of changes and the build's warning give, and the site is published without a comparison.
What the text says is checked by changes.parse_snapshot.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 30  # seconds to wait for a web server
MAX_BYTES = 256 * 1024 * 1024  # a snapshot larger than this is not one the portal wrote
SNAPSHOT = Path("data") / "snapshot.json"  # where a built site keeps it (changes.PATH)
USER_AGENT = "svportal (social value transparency portal; reads its own previous snapshot)"


@dataclass(frozen=True)
class Previous:
    """Where the previous snapshot was looked for, and its text, or why there is none."""

    source: str
    text: str | None = None
    why: str | None = None


def is_web_address(source: str) -> bool:
    return source.lower().startswith(("https://", "http://"))


def read(source: str | None, timeout: float = TIMEOUT) -> Previous | None:
    """The previous snapshot of ``source`` (None when no source is given: nothing to compare with)."""
    if source is None or not str(source).strip():
        return None
    source = str(source).strip()
    if is_web_address(source):
        return _fetch(source, timeout)
    return _read_file(source)


def _decoded(source: str, content: bytes) -> Previous:
    if len(content) > MAX_BYTES:
        return Previous(source, why=f"it is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return Previous(source, text=content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return Previous(source, why=f"it is not UTF-8 text (byte {exc.start + 1})")


def _read_file(source: str) -> Previous:
    path = Path(source).expanduser()
    try:
        if path.is_dir():
            path = path / SNAPSHOT
            if not path.is_file():
                return Previous(
                    source, why=f"the folder has no {SNAPSHOT.as_posix()} (not a site built by the portal?)"
                )
        elif not path.exists():
            return Previous(source, why="there is no such file or folder")
        with path.open("rb") as file:
            return _decoded(source, file.read(MAX_BYTES + 1))
    except OSError as exc:
        return Previous(source, why=f"it could not be read ({exc.strerror or exc.__class__.__name__})")


def _fetch(source: str, timeout: float) -> Previous:
    request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _decoded(source, response.read(MAX_BYTES + 1))
    except urllib.error.HTTPError as exc:
        return Previous(source, why=f"the server answered {exc.code} {exc.reason}")
    except urllib.error.URLError as exc:
        reason = exc.reason if isinstance(exc.reason, str) else getattr(exc.reason, "strerror", None) or exc.reason
        return Previous(source, why=f"it could not be fetched ({reason})")
    except TimeoutError:
        return Previous(source, why=f"the server did not answer within {timeout:g} seconds")
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return Previous(source, why=f"it could not be fetched ({exc})")
