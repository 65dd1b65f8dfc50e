"""``python -m svportal.importers ocds|360giving|spend …``: the command line behind ``make import-ocds``,
``make import-360giving`` and ``make import-spend``. Each importer's own ``main(argv)`` parses its options and
returns the exit code."""

from __future__ import annotations

import importlib
import sys

IMPORTERS = {"ocds": "ocds", "360giving": "giving360", "spend": "spend"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in IMPORTERS:
        print(f"usage: python -m svportal.importers {{{','.join(IMPORTERS)}}} --help", file=sys.stderr)
        return 2
    module = importlib.import_module(f"{__package__}.{IMPORTERS[argv[0]]}")
    return module.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
