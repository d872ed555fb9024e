"""A load generator for the benchmarks: Debian's `wrk` when it is installed, else a threaded Python client.

`hammer(base, load, seconds)` keeps `connections` keep-alive connections busy for `seconds` and
returns a Round: requests, wall time, answers of another status than the expected one, failed
requests and the latency percentiles. wrk runs with one thread (-t1): on two cores the load
generator competes with the server for the CPU, and one wrk thread is far lighter than any
Python client.
"""

import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# The request is built once per wrk thread from the script's arguments; response() counts
# answers of another status than the expected one; done() prints one JSON line for us.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  wrk.method = args[1]
  expected = tonumber(args[2])
  for i = 3, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    wrk.headers[name] = value
  end
  if wrk.method == "POST" then wrk.body = "" end
  unexpected = 0
end
function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "micros": %d, "unexpected": %d, "failed": %d, "p50_us": %d, "p95_us": %d}\\n',
    summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


@dataclass(frozen=True)
class Load:
    """One kind of request and the status every answer to it must have."""

    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    expected: int = 200


@dataclass(frozen=True)
class Round:
    requests: int
    seconds: float
    unexpected: int  # answered, with another status than expected
    failed: int  # no answer: refused, reset, timed out
    p50_ms: float
    p95_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def generator() -> str:
    """Which load generator `hammer` uses here, in words."""
    return "wrk (-t1)" if shutil.which("wrk") else "a threaded Python client (wrk is not installed)"


def hammer(base: str, load: Load, seconds: float, connections: int = 8) -> Round:
    if shutil.which("wrk"):
        return _wrk(base, load, seconds, connections)
    return _python(base, load, seconds, connections)


def _wrk(base: str, load: Load, seconds: float, connections: int) -> Round:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        headers = [f"{name}: {value}" for name, value in load.headers.items()]
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
        command += ["-s", script.name, base + load.path, "--", load.method, str(load.expected), *headers]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    finally:
        Path(script.name).unlink()
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    found = json.loads(lines[-1].removeprefix("RESULT "))
    return Round(
        requests=found["requests"],
        seconds=found["micros"] / 1e6,
        unexpected=found["unexpected"],
        failed=found["failed"],
        p50_ms=found["p50_us"] / 1000,
        p95_ms=found["p95_us"] / 1000,
    )


def _python(base: str, load: Load, seconds: float, connections: int) -> Round:
    host, port = base.removeprefix("http://").split(":")
    headers = {**load.headers, **({"Content-Length": "0"} if load.method == "POST" else {})}
    latencies: list[list[float]] = [[] for _ in range(connections)]
    statuses: list[list[int]] = [[] for _ in range(connections)]
    deadline = time.perf_counter() + seconds

    def work(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request(load.method, load.path, headers=headers)
                response = conn.getresponse()
                response.read()
                statuses[i].append(response.status)
            except (OSError, http.client.HTTPException):  # counted as failed; a new connection next
                conn.close()
                statuses[i].append(0)
            latencies[i].append(time.perf_counter() - started)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    every = [s for worker in statuses for s in worker]
    times = sorted(t * 1000 for worker in latencies for t in worker) or [0.0]
    return Round(
        requests=len(every),
        seconds=wall,
        unexpected=sum(1 for s in every if s not in (0, load.expected)),
        failed=every.count(0),
        p50_ms=statistics.median(times),
        p95_ms=times[min(len(times) - 1, int(len(times) * 0.95))],
    )
