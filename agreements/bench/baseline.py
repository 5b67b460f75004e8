"""``bench --baseline URL``: the mix timed on a smaller data set in the same rounds as on the
measured one, so that the scaling ratio (p50 here ÷ p50 there) compares times taken seconds
apart. Two runs minutes apart compare the machine as much as the data: this one has slow spells
of minutes and slow days (everything 2.4 times as slow as the day before), and official search's
ratio across two such runs was 1.56 where requests in alternating batches gave 1.41.

A worker process serves the baseline, since Django's connection is the process's: it sets up
the project on the baseline's database, warms the mix there, and then times one request's API
call whenever the runner asks, over a pipe (the pipe's round trip is not in the time)."""

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


class BaselineError(Exception):
    pass


class Baseline:
    """The worker, from the runner's side: ``with Baseline(url) as baseline: baseline.time(i)``."""

    def __init__(self, database_url: str) -> None:
        environment = {**os.environ, "DATABASE_URL": database_url}
        environment.pop("DATABASE_REPLICA_URLS", None)  # the baseline's own primary only
        # Closed with the worker, in close().
        self._errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "agreements.bench.baseline"],
            cwd=Path(settings.BASE_DIR),
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
            encoding="utf-8",
        )
        hello = self._reply()
        self.agreements: int = hello["agreements"]
        self.names: list[str] = hello["names"]

    def time(self, index: int) -> float:
        """Milliseconds for one call of the ``index``-th request of the baseline's mix."""
        self._process.stdin.write(f"{index}\n")
        self._process.stdin.flush()
        return self._reply()["ms"]

    def _reply(self) -> dict[str, Any]:
        line = self._process.stdout.readline()
        reply = json.loads(line) if line.strip() else {"error": self._stderr_tail()}
        if "error" in reply:
            self.close()
            raise BaselineError(f"--baseline: {reply['error']}")
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

    def __enter__(self) -> "Baseline":
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
        reply(agreements=size, names=[request.name for request in requests])
        for line in sys.stdin:
            reply(ms=runner.milliseconds(calls[int(line)]))


if __name__ == "__main__":
    import django

    # Only replies go to the runner's pipe; anything else the project prints goes to stderr.
    replies, sys.stdout = sys.stdout, sys.stderr
    django.setup()
    _serve(replies)
