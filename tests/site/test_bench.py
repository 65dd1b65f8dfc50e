"""The benchmark (bench/run.py, `make bench`) runs end to end on a small generated dataset.

A smoke run: it checks that every figure the closing notes report is measured and adds up, never
how long anything took (its arithmetic is tested in tests/unit/test_bench.py).
"""

from __future__ import annotations

import json

from support.bench import load_bench


def test_a_small_benchmark_reports_every_figure(tmp_path, capsys):
    bench = load_bench()
    report = tmp_path / "figures.json"
    assert bench.main(["--contracts", "8", "--keep", str(tmp_path / "work"), "--json", str(report)]) == 0
    results = json.loads(report.read_text(encoding="utf-8"))
    assert [r["contracts"] for r in results] == [8]
    for result in results:
        cold, warm, changed = result["cold"], result["warm"], result["one_changed"]
        assert cold["charts_rendered"] > 0 and cold["charts_cached"] == 0
        assert warm["charts_rendered"] == 0 and warm["charts_cached"] == cold["charts_rendered"]
        assert 1 <= changed["charts_rendered"] < cold["charts_rendered"]  # only the changed contract's charts
        for build in (cold, warm, changed):
            assert set(build["phases"]) == {"load", "model", "charts", "pages", "downloads", "search", "other"}
            assert build["peak_memory_mb"] > 0
        assert result["floor"]["files"] > 0 and result["floor"]["contract_files"] > 0
        assert result["output"]["contract_page_kb_median"] > 0
    table = capsys.readouterr().out
    assert table.startswith("| | N = 8 |")
    assert "| one contract changed |" in table
