"""The benchmark scripts' own machinery: the load generator counts what it must, the table reads
scripts' figures and judges them against the goals. (The figures themselves are measured by
running benchmarks/table.py, never in the test suite: a full throughput run takes minutes.)"""

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import Flask
from waitress.server import create_server

from benchmarks import load, table
from tests.helpers import ROOT


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True, text=True, cwd=ROOT
    )


@pytest.mark.parametrize("script", ["table.py", "throughput.py"])
def test_the_scripts_explain_themselves(script):
    done = run(script, "--help")
    assert done.returncode == 0, done.stderr
    assert "--quick" in done.stdout
    assert "--pg" in done.stdout


@pytest.fixture(scope="module")
def server():
    app = Flask(__name__)
    app.add_url_rule("/", "hello", lambda: "Hello")
    app.add_url_rule("/made", "made", lambda: ("", 201), methods=["POST"])
    served = create_server(app, host="127.0.0.1", port=0, threads=4, ident="")
    threading.Thread(target=served.run, daemon=True).start()
    yield f"http://127.0.0.1:{served.effective_port}"
    served.close()


@pytest.fixture(params=["wrk", "python"])
def hammer(request, monkeypatch):
    """Each load generator: wrk where Debian's is installed, and the Python client that stands in for it."""
    if request.param == "wrk":
        if load.generator().startswith("a threaded"):
            pytest.skip("wrk is not installed")
        return load.hammer
    monkeypatch.setattr(load.shutil, "which", lambda _name: None)
    return load.hammer


def test_the_load_generator_counts_answers_of_the_expected_status(server, hammer):
    found = hammer(server, load.Load("/made", method="POST", expected=201), seconds=1, connections=2)
    assert found.requests > 10
    assert found.unexpected == 0
    assert found.failed == 0
    assert 0 < found.p50_ms <= found.p95_ms


def test_the_load_generator_counts_every_other_status(server, hammer):
    found = hammer(server, load.Load("/", expected=304), seconds=1, connections=2)
    assert found.requests > 10
    assert found.unexpected == found.requests


def test_the_figures_are_the_last_figures_line():
    lines = ['FIGURES {"factor": 1.1}', "noise", 'FIGURES {"factor": 1.7}', "done"]
    assert table.figures_in(lines) == {"factor": 1.7}
    assert table.figures_in(["FIGURES not json"]) is None
    assert table.figures_in(["FIGURES [1, 2]"]) is None
    assert table.figures_in(["nothing here"]) is None


def test_a_script_gets_only_the_options_its_help_lists():
    stats = table.Script("stats.py", 10, ("--sites=20", "--years=5"), ("--quick",), takes_pg=True)
    assert table.options(stats, False, "postgresql://x", {"--sites", "--pg"}) == ["--sites=20", "--pg=postgresql://x"]
    assert table.options(stats, True, None, {"--sites"}) == []
    throughput = table.Script("throughput.py", 10, takes_pg=True)
    assert table.options(throughput, True, None, {"--quick", "--pg", "--no-pg"}) == ["--quick", "--no-pg"]


def row(ratio: float, unexpected: int = 0, p95_ms: float = 10.0) -> dict:
    return dict(
        reference_rps=1000.0, subject_rps=1000 * ratio, ratio=ratio, p95_ms=p95_ms, unexpected=unexpected, failed=0
    )


FIGURES = {
    "throughput.py": {
        "rows": {
            "board": row(0.6),
            "board_enrolled": row(0.55),
            "tasks_api": row(0.3),
            "board_304": row(0.9, unexpected=4),
            "claim_sqlite": row(0.2, p95_ms=50),
            "claim_postgresql": row(0.2, p95_ms=150),
        }
    },
    "stats.py": {
        "stats_last_year_ms": {"sqlite": 40.0, "postgresql": 60.0},
        "all_years_ms": {"/stats": 100.0, "/stats/report": 300.0, "/stats/export.xlsx": 200.0},
    },
    "memory.py": {"rss_after_requests_mb": 90.0},
    "page_weight.py": {"board_kb": 58.0, "external_requests": 0, "repeat_visit_requests": 2},
}


def results(outcomes: dict[str, table.Outcome]) -> list[tuple[str, str]]:
    return [(measured, result) for _row, measured, result in table.judged(outcomes)]


def test_each_row_is_judged_against_its_goal():
    outcomes = {name: table.Outcome(figures) for name, figures in FIGURES.items()}
    outcomes["processes.py"] = table.Outcome(None, "benchmarks/processes.py does not exist")
    found = results(outcomes)
    assert [result for _measured, result in found] == [
        "OK",
        "MISSED",
        "INVALID (4 wrong answers)",  # a 304 benchmark that got other answers measured something else
        "MISSED",  # PostgreSQL's p95
        "OK",
        "MISSED",  # the report
        "OK",
        "MISSED",  # two requests on a repeat visit
        "OK",
        "—",
    ]
    assert found[0][0] == "60% (600 of 1000 req/s); enrolled kiosk 55%"
    assert found[3][0] == "SQLite 20% / p95 50 ms; PostgreSQL 20% / p95 150 ms"
    assert found[-1][0] == "not measured: benchmarks/processes.py does not exist"


def test_a_missing_figure_is_named_not_guessed():
    outcomes = {"stats.py": table.Outcome({"pages": {}}), "throughput.py": table.Outcome({"rows": {}})}
    stats_row = results(outcomes)[4]
    assert stats_row == ("not measured: stats.py: no stats_last_year_ms among the figures (there: pages)", "—")
    claim = results(outcomes)[3][0]
    assert claim.startswith("not measured: throughput.py: SQLite not measured")


def write(directory: Path, name: str, source: str) -> None:
    (directory / name).write_text("import argparse, sys, time\nargparse.ArgumentParser().parse_known_args()\n" + source)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ('print("FIGURES {\\"factor\\": 1.5}")', None),
        ('print("hello")', "a.py printed no FIGURES line"),
        ('print("broken"); sys.exit(3)', "a.py failed (exit 3): broken"),
        ("time.sleep(60)", "a.py took over 3 s and was stopped"),
    ],
)
def test_a_script_run_gives_its_figures_or_says_why_not(tmp_path, monkeypatch, source, reason):
    write(tmp_path, "a.py", source)
    monkeypatch.setattr(table, "HERE", tmp_path)
    outcome = table.run_script(table.Script("a.py", timeout=3), quick=False, pg=None)
    assert outcome.reason == reason
    assert outcome.figures == (None if reason else {"factor": 1.5})


def test_a_missing_script_is_not_measured(tmp_path, monkeypatch):
    monkeypatch.setattr(table, "HERE", tmp_path)
    outcome = table.run_script(table.Script("gone.py", timeout=3), quick=False, pg=None)
    assert outcome == table.Outcome(None, "benchmarks/gone.py does not exist")


def test_the_stats_figures_are_the_ones_the_table_reads():
    from benchmarks import stats

    def pages(last_year: float, every: float) -> dict:
        found = {("/stats", "last year"): {"median_ms": last_year}}
        found |= {(page, "all 5 years"): {"median_ms": every} for page in stats.PAGES}
        return {"pages": found}

    both = stats.table_figures({"sqlite": pages(40.0, 90.0), "postgresql": pages(60.0, 300.0)}, 20, 5, 3)
    assert both["stats_last_year_ms"] == {"sqlite": 40.0, "postgresql": 60.0}
    assert both["all_years_ms"] == dict.fromkeys(stats.PAGES, 300.0)  # the slower database's
    assert "not_measured" not in both
    found = results({"stats.py": table.Outcome(both)})
    assert found[4] == ("SQLite 40 ms; PostgreSQL 60 ms", "OK")
    assert found[5] == ("stats 300 ms; report 300 ms; XLSX 300 ms", "MISSED")

    alone = stats.table_figures({"sqlite": pages(40.0, 90.0)}, 20, 5, 3)
    assert alone["not_measured"] == {"postgresql": "no PostgreSQL (no --pg given)"}
    assert results({"stats.py": table.Outcome(alone)})[4] == (
        "SQLite 40 ms; PostgreSQL not measured",
        "OK where measured",
    )
