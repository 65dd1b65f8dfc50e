"""Writes the charts' measuring font, plugins/svportal/fonts/PortalChartSans-*.ttf, from Arimo.

    pip install fonttools && apt-get install fonts-croscore    # once, to run this
    python scripts/subset_chart_font.py [--source /usr/share/fonts/truetype/croscore]

The chart renderer (vl-convert) measures every label's text, and it reads the font file again
for each measurement: most of a chart's cost. A small font makes that cheap. This takes Arimo
(Google's Arial-compatible font, SIL Open Font License 1.1, Debian's fonts-croscore), keeps the
characters of Latin text (Basic Latin, Latin-1, Latin Extended-A, general punctuation, currency
signs), drops hinting and layout tables, and renames it "Portal Chart Sans" (the licence asks that
a modified font not be named as the original). Its widths are Arial's, so labels are measured as
browsers draw them in Arial. The output is committed: the build needs neither fonttools nor Arimo.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "plugins" / "svportal" / "fonts"
FAMILY = "Portal Chart Sans"
UNICODES = "U+0020-007E,U+00A0-00FF,U+2013,U+2014,U+2018,U+2019,U+201C,U+201D,U+2022,U+2026,U+20AC,U+2212"


def make(source: Path, weight: str) -> Path:
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["FFTM", "DSIG"]
    font = TTFont(source / f"Arimo-{weight}.ttf")
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    names = {1: FAMILY, 3: f"{FAMILY} {weight} (subset of Arimo)", 4: f"{FAMILY} {weight}", 16: FAMILY}
    names[6] = f"{FAMILY.replace(' ', '')}-{weight}"
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    target = OUT / f"{FAMILY.replace(' ', '')}-{weight}.ttf"
    font.save(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path("/usr/share/fonts/truetype/croscore"))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for weight in ("Regular", "Bold"):
        target = make(args.source, weight)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
