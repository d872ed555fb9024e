"""Every row of dropin's performance table in one run: the goal, the figure measured, OK or MISSED.

    .venv/bin/python benchmarks/table.py [--quick] [--pg URL | --no-pg]

Runs each benchmark script below as a subprocess, one after the other, showing its output, and
reads the figures from the last `FIGURES {json}` line it prints. A script that is missing, fails,
runs out of time or prints no such line leaves its rows "not measured", with the reason. PostgreSQL
rows run on a throwaway cluster started here (fsync on), or on --pg. Ends with a markdown table
for the README. The whole run takes about ten minutes; --quick makes each script as short as it
allows (figures then check that everything runs, nothing more).

The FIGURES keys read, per script (milliseconds and megabytes as plain numbers):
  throughput.py   rows.{board, board_enrolled, tasks_api, board_304, claim_sqlite, claim_postgresql}
                  each {reference_rps, subject_rps, ratio, p95_ms, unexpected, failed}
  stats.py        stats_last_year_ms {sqlite, postgresql}: /stats for last year, median
                  all_years_ms {"/stats", "/stats/report", "/stats/export.xlsx"}: all years, median,
                  the slower database's
  memory.py       rss_after_requests_mb: one server's RSS after 10,000 mixed requests
  page_weight.py  board_kb, external_requests: a first visit with every asset;
                  repeat_visit_requests: requests of a repeat visit
  processes.py    factor: req/s of two processes behind nginx over one's
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.goals import NOT_MEASURED, ROWS, Row, Unmeasured

NOISE = ("INFO  [alembic",)  # every migration's log lines, not worth showing


@dataclass(frozen=True)
class Script:
    name: str
    timeout: int  # seconds for the full run; --quick gives each a third
    full: tuple[str, ...] = ()  # options for the full run, each passed only if the script's --help lists it
    quick: tuple[str, ...] = ("--quick",)  # the same for --quick
    takes_pg: bool = False


SCRIPTS = (
    Script("throughput.py", 420, takes_pg=True),
    Script("stats.py", 300, ("--sites=20", "--years=5", "--runs=3"), ("--sites=2", "--years=1", "--runs=3"), True),
    Script("memory.py", 180),
    Script("page_weight.py", 120),
    Script("processes.py", 240),
)


@dataclass(frozen=True)
class Outcome:
    figures: dict | None
    reason: str | None = None  # why there are no figures


def options(script: Script, quick: bool, pg: str | None, listed: set[str]) -> list[str]:
    """The script's arguments: the wanted options its --help lists (`listed`), and --pg."""
    wanted = script.quick if quick else script.full
    chosen = [option for option in wanted if option.split("=")[0] in listed]
    if script.takes_pg and "--pg" in listed:
        chosen += [f"--pg={pg}"] if pg else (["--no-pg"] if "--no-pg" in listed else [])
    return chosen


def listed_options(path: Path) -> set[str]:
    try:
        done = subprocess.run([sys.executable, str(path), "--help"], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return set()
    return set(re.findall(r"--[a-z][a-z-]*", done.stdout)) if done.returncode == 0 else set()


def figures_in(lines: list[str]) -> dict | None:
    """The figures of the last `FIGURES {json}` line, None when there is none (or it is not a JSON object)."""
    for line in reversed(lines):
        if line.startswith("FIGURES "):
            try:
                found = json.loads(line.removeprefix("FIGURES "))
            except ValueError:
                return None
            return found if isinstance(found, dict) else None
    return None


def run_script(script: Script, quick: bool, pg: str | None) -> Outcome:
    path = HERE / script.name
    if not path.exists():
        return Outcome(None, f"benchmarks/{script.name} does not exist")
    command = [sys.executable, str(path), *options(script, quick, pg, listed_options(path))]
    timeout = script.timeout // 3 if quick else script.timeout
    print(f"\n== {' '.join(command[1:])}", flush=True)
    lines: list[str] = []
    # A session of its own: on a timeout the whole group (its servers too) gets Ctrl-C and cleans up.
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    reader = threading.Thread(target=_echo, args=(process.stdout, lines), daemon=True)
    reader.start()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _interrupt(process)
        reader.join(timeout=5)
        return Outcome(None, f"{script.name} took over {timeout} s and was stopped")
    reader.join()
    figures = figures_in(lines)
    if process.returncode:
        last = next((line for line in reversed(lines) if line.strip()), "")
        return Outcome(figures, f"{script.name} failed (exit {process.returncode}): {last[:200]}")
    if figures is None:
        return Outcome(None, f"{script.name} printed no FIGURES line")
    return Outcome(figures)


def _echo(stream, lines: list[str]) -> None:
    for line in stream:
        line = line.rstrip("\n")
        lines.append(line)
        if not line.startswith(NOISE) and not line.startswith("FIGURES "):
            print(f"   {line}", flush=True)


def _interrupt(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def judged(outcomes: dict[str, Outcome]) -> Iterator[tuple[Row, str, str]]:
    for row in ROWS:
        outcome = outcomes.get(row.script, Outcome(None, f"{row.script} was not run"))
        if outcome.figures is None:
            yield row, f"{NOT_MEASURED}: {outcome.reason}", "—"
            continue
        try:
            yield row, *row.judge(outcome.figures)
        except Unmeasured as missing:
            yield row, f"{NOT_MEASURED}: {row.script}: {missing}", "—"
        except (KeyError, TypeError, ValueError) as wrong:  # figures of another shape than documented above
            yield row, f"{NOT_MEASURED}: {row.script}'s figures are not as expected ({wrong!r})", "—"


def markdown(rows: list[tuple[Row, str, str]], note: str) -> str:
    lines = ["| What | Goal | Measured | Result |", "|---|---|---|---|"]
    lines += [f"| {row.what} | {row.goal} | {measured} | {result} |" for row, measured, result in rows]
    return "\n".join(lines) + f"\n\n{note}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each script as short as it allows: does it all run?")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--pg", metavar="URL", help="a PostgreSQL database the scripts may fill, instead of a cluster")
    group.add_argument("--no-pg", action="store_true", help="leave out the PostgreSQL rows")
    args = parser.parse_args(argv)
    started, load_before = datetime.now(UTC), os.getloadavg()[0]
    print(f"dropin performance table, {started:%Y-%m-%d %H:%M} UTC, load average {load_before:.2f}", flush=True)
    outcomes: dict[str, Outcome] = {}
    with ExitStack() as stack:
        urls = {}
        if not args.pg and not args.no_pg:
            from benchmarks.postgres import throwaway_postgres

            names = [script.name.removesuffix(".py") for script in SCRIPTS if script.takes_pg]
            found = stack.enter_context(throwaway_postgres(*names))
            urls = dict(zip(names, found or [], strict=False))
        for script in SCRIPTS:
            pg = args.pg or urls.get(script.name.removesuffix(".py"))
            outcomes[script.name] = run_script(script, args.quick, None if args.no_pg else pg)
    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    generator = (outcomes["throughput.py"].figures or {}).get("load_generator", "?")
    note = (
        f"Measured on {started:%Y-%m-%d} with `benchmarks/table.py{' --quick' if args.quick else ''}` in "
        f"{minutes:.1f} min; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; "
        f"{os.cpu_count()} cores; load generator {generator}."
    )
    print("\n" + markdown(list(judged(outcomes)), note))


if __name__ == "__main__":
    main()
