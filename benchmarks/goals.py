"""The performance table's rows: each goal, and how a benchmark script's figures are judged against it.

The figures are what a script printed as `FIGURES {json}`; benchmarks/table.py's docstring lists
the keys each row reads. A judge returns the figure as shown and its result (OK, MISSED, INVALID
when wrong answers were counted, "—" where there is no goal to miss), and raises Unmeasured when
its figures are not there.
"""

from collections.abc import Callable
from dataclasses import dataclass

NOT_MEASURED = "not measured"


class Unmeasured(Exception):
    """A row's figure is not among the script's figures."""


def get(figures: dict, *keys: str):
    found = figures
    for key in keys:
        if not isinstance(found, dict) or key not in found:
            have = ", ".join(sorted(found)) if isinstance(found, dict) else "none"
            reason = (figures.get("not_measured") or {}).get(keys[-1])
            raise Unmeasured(reason or f"no {'.'.join(keys)} among the figures (there: {have})")
        found = found[key]
    return found


def verdict(passed: bool) -> str:
    return "OK" if passed else "MISSED"


def ratio_row(key: str, goal: float) -> Callable[[dict], tuple[str, str]]:
    def judge(figures: dict) -> tuple[str, str]:
        row = get(figures, "rows", key)
        measured = f"{row['ratio']:.0%} ({row['subject_rps']:.0f} of {row['reference_rps']:.0f} req/s)"
        if key == "board" and "board_enrolled" in figures["rows"]:
            measured += f"; enrolled kiosk {figures['rows']['board_enrolled']['ratio']:.0%}"
        return measured, valid(figures, key, verdict(row["ratio"] >= goal))

    return judge


def valid(figures: dict, key: str, result: str) -> str:
    """A figure counted over wrong answers is no figure."""
    row = figures["rows"][key]
    wrong = row["unexpected"] + row["failed"]
    return f"INVALID ({wrong} wrong answers)" if wrong else result


def claim_row(figures: dict) -> tuple[str, str]:
    parts, results = [], []
    for database, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        try:
            row = get(figures, "rows", f"claim_{database}")
        except Unmeasured as missing:
            parts.append(f"{label} {NOT_MEASURED} ({missing})")
            continue
        parts.append(f"{label} {row['ratio']:.0%} / p95 {row['p95_ms']:.0f} ms")
        results.append(valid(figures, f"claim_{database}", verdict(row["ratio"] >= 0.15 and row["p95_ms"] < 100)))
    if not results:
        raise Unmeasured("; ".join(parts))
    worst = next((r for r in results if r != "OK"), "OK")
    return "; ".join(parts), worst if len(results) == 2 or worst != "OK" else "OK on SQLite only"


def limit_row(
    keys: tuple[str, ...], limit: float, unit: str, names: dict[str, str]
) -> Callable[[dict], tuple[str, str]]:
    """Every figure of the dict at `keys` under `limit`; `names` says which must be there and how to show them."""

    def judge(figures: dict) -> tuple[str, str]:
        found = get(figures, *keys)
        missing = [name for name in names if name not in found]
        shown = [f"{label} {found[name]:.0f} {unit}" for name, label in names.items() if name in found]
        shown += [f"{names[name]} {NOT_MEASURED}" for name in missing]
        passed = all(found[name] < limit for name in names if name in found)
        return "; ".join(shown), verdict(passed) if not missing or not passed else "OK where measured"

    return judge


def rss_row(figures: dict) -> tuple[str, str]:
    mb = get(figures, "rss_after_requests_mb")
    return f"{mb:.0f} MB", verdict(mb <= 100)


def repeat_row(figures: dict) -> tuple[str, str]:
    requests = get(figures, "repeat_visit_requests")
    return f"{requests} request(s)", verdict(requests == 1)


def weight_row(figures: dict) -> tuple[str, str]:
    kb, outside = get(figures, "board_kb"), get(figures, "external_requests")
    return f"{kb:.1f} KB, {outside} external", verdict(kb <= 60 and outside == 0)


def factor_row(figures: dict) -> tuple[str, str]:
    return f"{get(figures, 'factor'):.2f}×", "—"


@dataclass(frozen=True)
class Row:
    what: str
    goal: str
    script: str
    judge: Callable[[dict], tuple[str, str]]


ROWS = (
    Row("kiosk board req/s as a share of a bare Flask hello-world on the same waitress", "≥ 50 %", "throughput.py",
        ratio_row("board", 0.5)),
    Row("tasks API (`/api/v1/sites/<slug>/tasks`), same ratio", "≥ 50 %", "throughput.py", ratio_row("tasks_api", 0.5)),
    Row("an unchanged board polled with If-None-Match (`GET /kiosk/<site>/board/tasks` → 304), same ratio",
        "≥ 80 %", "throughput.py", ratio_row("board_304", 0.8)),
    Row("claim POST, same ratio / p95 at 8 concurrent clients", "≥ 15 % / < 100 ms", "throughput.py", claim_row),
    Row("`/stats` for last year, 5 years × 20 sites, SQLite / PostgreSQL", "< 100 ms on both", "stats.py",
        limit_row(("stats_last_year_ms",), 100, "ms", {"sqlite": "SQLite", "postgresql": "PostgreSQL"})),
    Row("`/stats`, the report and the XLSX export for all 5 years, 20 sites", "< 250 ms", "stats.py",
        limit_row(("all_years_ms",), 250, "ms", {"/stats": "stats", "/stats/report": "report",
                                                 "/stats/export.xlsx": "XLSX"})),
    Row("RSS of one server process after 10,000 mixed requests", "≤ 100 MB", "memory.py", rss_row),
    Row("repeat visit of the kiosk board", "1 request", "page_weight.py", repeat_row),
    Row("board with every asset", "≤ 60 KB, 0 external", "page_weight.py", weight_row),
    Row("two processes behind nginx vs one", "factor (issue saw 1.7×)", "processes.py", factor_row),
)  # fmt: skip
