"""One compiled release being mapped: what was read from it, what was warned about, what has no home.

The mapping reads the release through :meth:`Record.get`, which notes each JSON path it reads as having a
home in the portal. What it reads and cannot use it reports with :meth:`Record.lose` (a loss-report line,
with the reason) and what it had to correct with :meth:`Record.warn`. Whatever was never read is listed by
:meth:`Record.unread`: the largest parts of the release that nothing read (a whole ``address``, a whole
document), each once, so the loss report says exactly what the site does not show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple  # a JSON path: keys and list positions, ("awards", 0, "value", "amount")
NOT_SHOWN = "the portal has no column for it"


def path_text(path: Path) -> str:
    """``("awards", 0, "value")`` as ``awards[0].value``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


@dataclass
class Record:
    ocid: str
    release: dict
    read: set = field(default_factory=set)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    losses: list[tuple[str, object, str]] = field(default_factory=list)  # (path, value, why)

    def get(self, *path, use: bool = True):
        """The value at ``path`` (None when any step is missing or of the wrong kind); noted as read."""
        value = self.release
        for step in path:  # (JSON gives plain dicts and lists: type() is enough, and quicker than isinstance)
            if type(step) is int:
                if type(value) is not list or not 0 <= step < len(value):
                    return None
                value = value[step]
            else:
                if type(value) is not dict:
                    return None
                value = value.get(step)
            if value is None:
                return None
        if use:
            self.read.add(path)
        return value

    def items(self, *path) -> list[tuple[int, dict]]:
        """The objects of the list at ``path`` with their positions (other items are left out)."""
        found = self.get(*path, use=False)
        if not isinstance(found, list):
            return []
        return [(number, item) for number, item in enumerate(found) if isinstance(item, dict)]

    def use(self, *path) -> None:
        """Note ``path`` (and all under it) as having a home."""
        self.read.add(path)

    def warn(self, path: Path, message: str) -> None:
        self.warnings.append((path_text(path), message))

    def lose(self, path: Path, value, why: str = NOT_SHOWN) -> None:
        """A value the portal does not show, with the reason; it is then not listed again as unread."""
        self.read.add(path)
        self.losses.append((path_text(path), value, why))

    def unread(self) -> list[tuple[str, object]]:
        """The largest parts of the release that nothing read, as (path, value), in the release's order."""
        touched = set()
        for path in self.read:
            for end in range(len(path)):
                touched.add(path[:end])
        found: list[tuple[str, object]] = []
        self._walk(self.release, (), touched, found)
        return found

    def _walk(self, value, path: Path, touched: set, found: list) -> None:
        if path in self.read or value is None or value == [] or value == {}:
            return
        if path not in touched:
            found.append((path_text(path), value))
            return
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            self._walk(child, (*path, key), touched, found)
