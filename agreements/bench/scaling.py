"""``bench --baseline URL``: the mix timed on a smaller data set in the same run as the
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
6.8 ms in the worker against 5.7 in-process), which made the ratio look better than it was.
The two workers have rounds of their own, after the API's and the floor's, each request timed
on one side and then the other, in reverse order every other round: within a round the
measured database serves no more requests than the baseline's, so neither is the warmer."""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

SQLITE_PREFIX = "sqlite:///"


class WorkerError(Exception):
    pass


def database_identity(settings_dict: dict[str, Any]) -> list[str]:
    """What tells two configured databases apart: engine, host, port and name."""
    return [str(settings_dict.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME")]


def _readable_url(database_url: str) -> str:
    """``database_url``, a relative SQLite path made absolute from the caller's folder (the
    worker runs in the project's); a SQLite file that is not there is refused rather than
    created empty by opening it."""
    if not database_url.startswith(SQLITE_PREFIX):
        return database_url
    path = Path(database_url.removeprefix(SQLITE_PREFIX)).absolute()
    if not path.is_file():
        raise WorkerError(f"no SQLite database at {path}")
    return f"{SQLITE_PREFIX}{path}"


class MixWorker:
    """A worker, from the runner's side: ``with MixWorker("baseline", url) as worker:
    worker.time(i)``. Without a URL it reads the environment's DATABASE_URL, as this process
    did when it started. Neither reads replicas: the two sides read their primaries alike."""

    def __init__(self, label: str, database_url: str | None = None) -> None:
        self.label = label
        environment = dict(os.environ)
        environment.pop("DATABASE_REPLICA_URLS", None)
        if database_url is not None:
            try:
                environment["DATABASE_URL"] = _readable_url(database_url)
            except WorkerError as error:
                raise WorkerError(f"{label}: {error}") from None
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
        try:
            hello = self._reply()
        except BaseException:
            self.close()
            raise
        self.agreements: int = hello["agreements"]
        self.database: list[str] = hello["database"]

    def time(self, index: int) -> float:
        """Milliseconds for one call of the ``index``-th request of this worker's mix."""
        try:
            self._process.stdin.write(f"{index}\n")
            self._process.stdin.flush()
        except OSError:  # it died since its last answer; its reason is in what it printed
            self._fail(self._death())
        return self._reply()["ms"]

    def _reply(self) -> dict[str, Any]:
        line = self._process.stdout.readline()
        reply = json.loads(line) if line.strip() else {"error": self._death()}
        if "error" in reply:
            self._fail(reply["error"])
        return reply

    def _fail(self, reason: str) -> None:
        self.close()
        raise WorkerError(f"{self.label}: {reason}")

    def _death(self) -> str:
        """Why the worker exited without answering: the last lines it printed."""
        self._process.wait(timeout=30)
        self._errors.seek(0)
        printed = self._errors.read().strip().splitlines()[-3:]
        return f"the worker exited with {self._process.returncode}: {' '.join(printed)}"

    def close(self) -> None:
        for pipe in (self._process.stdin, self._process.stdout):
            # A write still buffered for a worker that is gone cannot be flushed.
            with contextlib.suppress(OSError):
                pipe.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._errors.close()

    def __enter__(self) -> "MixWorker":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _serve(reply: Any) -> None:
    from django.db import DatabaseError
    from django.test import Client

    from agreements.bench import dataset, mix, runner

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
        reply(agreements=size, database=database_identity(connection.settings_dict))
        for line in sys.stdin:
            reply(ms=runner.milliseconds(calls[int(line)]))


def _main() -> None:
    import django

    # Only replies go to the runner's pipe; anything else the project prints goes to stderr.
    replies, sys.stdout = sys.stdout, sys.stderr

    def reply(**fields: Any) -> None:
        replies.write(json.dumps(fields) + "\n")
        replies.flush()

    try:
        django.setup()
        _serve(reply)
    except Exception as error:  # the runner shows it as the reason this worker stopped
        traceback.print_exc()
        reply(error="".join(traceback.format_exception_only(error)).strip())


if __name__ == "__main__":
    _main()
