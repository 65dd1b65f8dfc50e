"""Benchmark: milliseconds to render a delivery chart, as the portal renders them.

    .venv/bin/python bench/charts.py [--charts 200] [--workers 2]

Makes ``--charts`` different delivery charts (charts.commitment_chart, with random quarters and
amounts, as many quarters as a real contract has) and renders them to SVG with vl-convert: first one
after another in this process, then in ``--workers`` processes as the build does
(charts.render_charts with an empty cache). Prints milliseconds per chart for each, amortised.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from svportal import charts  # noqa: E402


def sample_charts(count: int, seed: int = 1) -> list[charts.Chart]:
    """``count`` delivery charts, each of different data."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        quarters = list(pd.date_range("2023-06-30", periods=rng.randint(3, 14), freq="QE-MAR"))
        target = rng.choice([10, 25, 120, 5000, 250000])
        delivered = [round(rng.uniform(0, target / 6), 2) for _ in quarters]
        to_date = [sum(delivered[: i + 1]) for i in range(len(delivered))]
        expected = [target * (i + 1) / (len(quarters) + 4) for i in range(len(quarters))]
        commitment = {
            "unit": rng.choice(["people", "£", "tonnes CO2e", "hours"]),
            "aggregation": "sum",
            "direction": "increase",
            "measure_slug": f"m{n}",
            "measure_title": f"Measure {n}",
        }
        series = {"quarter_end": quarters, "delivered": delivered, "delivered_to_date": to_date}
        made.append(charts.commitment_chart(commitment, {**series, "expected_to_date": expected}))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--charts", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    made = sample_charts(args.charts)
    charts._render(made[0].spec)  # the renderer's own start-up is not a chart's cost
    started = time.perf_counter()
    for chart in made:
        charts._render(chart.spec)
    one = (time.perf_counter() - started) * 1000 / len(made)
    with tempfile.TemporaryDirectory() as cache:
        stats = charts.render_charts(made, Path(cache), workers=args.workers)
    parallel = stats.seconds * 1000 / len(made)
    size = sum(len(chart.svg) for chart in made) / len(made)
    print(f"{len(made)} delivery charts: {one:.1f} ms each in one process; ", end="")
    print(f"{parallel:.1f} ms each amortised in {args.workers} processes; {size / 1000:.1f} KB of SVG each")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
