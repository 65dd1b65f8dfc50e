"""The benchmark's own arithmetic (bench/run.py): phases from the build's log lines, the marginal cost.

The benchmark itself runs in tests/site/test_bench.py.
"""

from __future__ import annotations

import pytest

from support.bench import load_bench


def test_the_log_lines_give_each_phase():
    bench = load_bench()
    lines = [
        "Read 8 contracts, 3 measures from data in 0.50 s",
        "Computed delivery against 20 commitments in 0.25 s",
        "Charts: 12 rendered in 2 processes, 3 from the cache, in 1.80 s, 150.0 ms per chart rendered; "
        "the pages waited 1.20 s for them",
        "Wrote 40 pages in 2.00 s and 90 downloads (CSV, JSON, feeds, calendars) in 0.75 s",
        "Search index: 40 pages indexed by Pagefind in 1.00 s",
        "Site built in output in 6.00 s",
    ]
    found = bench.read_log(lines)
    assert found["phases"] == {
        "load": 0.5,
        "model": 0.25,
        "charts": 1.2,
        "pages": 2.0,
        "downloads": 0.75,
        "search": 1.0,
        "other": 0.3,
    }
    assert (found["charts_rendered"], found["charts_cached"], found["ms_per_chart"]) == (12, 3, 150.0)


def test_the_marginal_cost_is_between_consecutive_sizes():
    bench = load_bench()
    results = [
        {"contracts": 100, "warm": {"seconds": 10.0}, "floor_ms_per_contract": 1.0},
        {"contracts": 300, "warm": {"seconds": 14.0}, "floor_ms_per_contract": 2.0},
    ]
    bench.marginal(results)
    assert "warm_marginal_ms_per_contract" not in results[0]
    assert (results[1]["warm_marginal_ms_per_contract"], results[1]["warm_marginal_x_floor"]) == (20.0, 10.0)


def test_a_stopped_benchmark_leaves_no_data_behind(tmp_path, monkeypatch):
    bench = load_bench()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(bench.tempfile, "mkdtemp", lambda prefix: str(work))

    def stopped_part_way(contracts, folder, save, changed):
        (folder / "data").mkdir()
        (folder / "data" / "contracts.csv").write_text("contract_id\n", encoding="utf-8")
        raise KeyboardInterrupt  # Ctrl-C, or SIGTERM (bench.stopped turns it into SystemExit)

    monkeypatch.setattr(bench, "run", stopped_part_way)
    with pytest.raises(KeyboardInterrupt):
        bench.main(["--contracts", "20000", "--json", str(tmp_path / "figures.json")])
    assert not work.exists()  # its generated data and sites (GBs at 20,000 contracts) are gone too
    with pytest.raises(SystemExit) as stopped:
        bench.stopped(15, None)
    assert stopped.value.code == 143
