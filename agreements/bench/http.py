"""``bench --http``: the project and the floor app served by gunicorn, the same way, one after
the other, each driven by a load generator over the mix's paths for a bounded time and number
of requests. Reports requests per second, p50 and p99 latency, errors, and the workers' memory
through the run."""

import http.client
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from agreements.bench.dataset import DataSet
from agreements.bench.mix import requests
from agreements.serving import GunicornServer

CONCURRENCY = 8
MAX_REQUESTS = 200_000
WARM_UP_SECONDS = 2.0


def run(data: DataSet, seconds: float, stdout: TextIO) -> dict:
    paths = [request.path for request in requests(data)]
    workers = os.cpu_count() or 2
    results = {}
    for name, app in (
        ("api", "tracker.wsgi:application"),
        ("floor", "agreements.bench.floor_wsgi:application"),
    ):
        stdout.write(f"Serving the {name} with gunicorn ({workers} workers) for {seconds:.0f} s…")
        with GunicornServer(app, workers, BENCH_AGREEMENTS=str(data.agreements)) as server:
            _load(server.port, paths, WARM_UP_SECONDS)
            memory = _MemorySampler(server.worker_pids())
            with memory:
                results[name] = _load(server.port, paths, seconds)
            results[name]["worker_rss_mb"] = memory.summary()
    results["workers"] = workers
    results["concurrency"] = CONCURRENCY
    results["seconds"] = seconds
    results["throughput_ratio"] = round(results["api"]["rps"] / results["floor"]["rps"], 2)
    return results


def _load(port: int, paths: list[str], seconds: float) -> dict:
    """CONCURRENCY clients with keep-alive connections, each cycling through the paths."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        done: list[float] = []
        failed = 0
        index = offset
        while time.monotonic() < deadline and len(latencies) + len(done) < MAX_REQUESTS:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            done.append((time.perf_counter() - started) * 1000)
            failed += not ok
        with lock:
            latencies.extend(done)
            errors += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
    }


class _MemorySampler:
    """Resident memory of the workers, sampled twice a second through the run."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.samples: list[list[float]] = []
        self._stop = threading.Event()

    def __enter__(self) -> "_MemorySampler":
        self.samples.append(self._sample())
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(self._sample())

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.samples.append(self._sample())

    def _sample(self) -> list[float]:
        sizes = []
        for pid in self.pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kilobytes = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
            sizes.append(kilobytes / 1024)
        return sizes

    def summary(self) -> dict:
        start, end = self.samples[0], self.samples[-1]
        peak = max((max(sample) for sample in self.samples if sample), default=0.0)
        return {
            "start": round(max(start, default=0.0), 1),
            "end": round(max(end, default=0.0), 1),
            "peak": round(peak, 1),
        }
