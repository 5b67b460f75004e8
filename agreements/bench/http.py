"""``bench --http``: the project and the floor app served by gunicorn, the same way, side by
side, each driven by a load generator over the mix's paths for a bounded time and number of
requests, in turns. Reports requests per second, p50 and p99 latency, errors, and the workers'
memory through the run."""

import http.client
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from agreements.bench.dataset import DataSet
from agreements.bench.mix import requests
from agreements.serving import GunicornServer

CONCURRENCY = 8
MAX_REQUESTS = 200_000
WARM_UP_SECONDS = 2.0
# Each app's time is given in this many turns, the two apps alternating: run one after the
# other, a slow spell of this machine fell on one app's 10 s alone, and the ratio of their
# throughputs came out at 0.51 in one run where the others gave 0.62 to 0.87.
TURNS = 5
PER_TURN = MAX_REQUESTS // TURNS
APPS = {"api": "tracker.wsgi:application", "floor": "agreements.bench.floor_wsgi:application"}


@dataclass
class Load:
    """What the clients saw in some time of load: each request's latency, the failures."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def add(self, other: "Load") -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.seconds += other.seconds

    def summary(self) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "requests": len(self.latencies),
            "errors": self.errors,
            "rps": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
        }


def run(data: DataSet, seconds: float, stdout: TextIO) -> dict:
    paths = [request.path for request in requests(data)]
    workers = os.cpu_count() or 2
    stdout.write(
        f"Serving the api and the floor with gunicorn ({workers} workers each), "
        f"{seconds:.0f} s each in {TURNS} turns…"
    )
    environment = {"BENCH_AGREEMENTS": str(data.agreements)}
    with (
        GunicornServer(APPS["api"], workers, **environment) as api,
        GunicornServer(APPS["floor"], workers, **environment) as floor,
    ):
        servers = {"api": api, "floor": floor}
        for server in servers.values():
            _load(server.port, paths, WARM_UP_SECONDS)
        loads = {name: Load() for name in servers}
        memory = {name: _MemorySampler(server.worker_pids()) for name, server in servers.items()}
        with memory["api"], memory["floor"]:
            for _ in range(TURNS):
                for name, server in servers.items():
                    loads[name].add(_load(server.port, paths, seconds / TURNS))
                    memory[name].end_turn()
    results: dict[str, Any] = {
        name: load.summary() | {"worker_rss_mb": memory[name].summary()}
        for name, load in loads.items()
    }
    results["workers"] = workers
    results["concurrency"] = CONCURRENCY
    results["seconds"] = seconds
    results["throughput_ratio"] = round(results["api"]["rps"] / results["floor"]["rps"], 2)
    return results


def _load(port: int, paths: list[str], seconds: float) -> Load:
    """CONCURRENCY clients with keep-alive connections, each cycling through the paths."""
    load = Load()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        done: list[float] = []
        failed = 0
        index = offset
        while time.monotonic() < deadline and len(load.latencies) + len(done) < PER_TURN:
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
            load.latencies.extend(done)
            load.errors += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.monotonic() - started
    return load


class _MemorySampler:
    """Resident memory of the workers, sampled twice a second through the run and at the end
    of each turn: whether it is flat shows in the turns, since the first requests of a worker
    (its threads, its pool's connections, its caches) raise it once, during the warm-up or
    after it."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.samples: list[list[float]] = []
        self.turn_ends: list[float] = []
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

    def end_turn(self) -> None:
        sample = self._sample()
        self.samples.append(sample)
        self.turn_ends.append(round(max(sample, default=0.0), 1))

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
            "after_each_turn": self.turn_ends,
        }
