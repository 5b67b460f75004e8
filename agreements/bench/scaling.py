"""``bench --baseline URL``: the mix timed on a smaller data set in the same rounds as on the
measured one, so that the scaling ratio (p50 here ÷ p50 there) compares times taken seconds
apart. Two runs minutes apart compare the machine as much as the data: this one has slow spells
of minutes and slow days (everything 2.4 times as slow as the day before), and official search's
ratio across two such runs was 1.56 where requests in alternating batches gave 1.41.

Two worker processes time it, one on each database, since Django's connection is the process's:
each sets up the project, warms the mix, and then times one request's API call whenever the
runner asks, over a pipe (the pipe's round trip is not in the time). The measured data set gets
a worker of its own, rather than the runner's in-process times, so that both sides pay alike for
being switched to: a worker's caches are cold after another process ran, and with the runner
timing one side in-process that cost fell on the baseline alone (official search at 10,000:
6.8 ms in the worker against 5.7 in-process), which made the ratio look better than it was."""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

EXCEPTION_LINE = re.compile(r"[A-Za-z_][\w.]*: ")


class WorkerError(Exception):
    pass


class MixWorker:
    """A worker, from the runner's side: ``with MixWorker(url) as worker: worker.time(i)``.
    Without a URL it uses the database this process was configured with."""

    def __init__(self, database_url: str | None = None) -> None:
        environment = dict(os.environ)
        if database_url is not None:
            environment["DATABASE_URL"] = database_url
            environment.pop("DATABASE_REPLICA_URLS", None)  # that database's primary only
        # Closed with the worker, in close().
        self._errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "agreements.bench.scaling"],
            cwd=Path(settings.BASE_DIR),
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
            encoding="utf-8",
        )
        self.agreements: int = self._reply()["agreements"]

    def time(self, index: int) -> float:
        """Milliseconds for one call of the ``index``-th request of this worker's mix."""
        self._process.stdin.write(f"{index}\n")
        self._process.stdin.flush()
        return self._reply()["ms"]

    def _reply(self) -> dict[str, Any]:
        line = self._process.stdout.readline()
        reply = json.loads(line) if line.strip() else {"error": self._stderr_tail()}
        if "error" in reply:
            self.close()
            raise WorkerError(reply["error"])
        return reply

    def _stderr_tail(self) -> str:
        """The exception the worker died of, from its traceback's last lines."""
        self._process.wait(timeout=30)
        self._errors.seek(0)
        lines = self._errors.read().strip().splitlines()
        for start in range(len(lines) - 1, -1, -1):
            if EXCEPTION_LINE.match(lines[start]):
                return " ".join(lines[start:])
        return lines[-1] if lines else f"the worker exited with {self._process.returncode}"

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait(timeout=30)
        self._errors.close()

    def __enter__(self) -> "MixWorker":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _serve(replies: Any) -> None:
    from django.db import DatabaseError
    from django.test import Client

    from agreements.bench import dataset, mix, runner

    def reply(**fields: Any) -> None:
        replies.write(json.dumps(fields) + "\n")
        replies.flush()

    try:
        size = dataset.existing_size()
    except DatabaseError as error:
        reply(error=f"no benchmark data set can be read there ({str(error).strip()})")
        return
    if size is None:
        reply(error="that database holds no benchmark data set; build one there with bench")
        return
    requests = mix.requests(dataset.describe(size))
    with runner.benchmark_settings():
        client = Client()
        calls = [runner.api_call(client, request.path) for request in requests]
        for call in calls:
            call(), call()
        reply(agreements=size)
        for line in sys.stdin:
            reply(ms=runner.milliseconds(calls[int(line)]))


if __name__ == "__main__":
    import django

    # Only replies go to the runner's pipe; anything else the project prints goes to stderr.
    replies, sys.stdout = sys.stdout, sys.stderr
    django.setup()
    _serve(replies)
