"""The project (or another WSGI app) under gunicorn on the loopback, for the benchmark and
the load run: production settings, plain HTTP, no rate limits (every client is one address)."""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings

PROJECT = "tracker.wsgi:application"


class GunicornServer:
    def __init__(self, app: str = PROJECT, workers: int | None = None, **environment: str) -> None:
        self.app = app
        self.workers = workers or os.cpu_count() or 2
        self.environment = environment
        self.port = free_port()

    def __enter__(self) -> "GunicornServer":
        env = (
            os.environ
            | {
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY")
                or secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "TRACKER_ANON_RATE": "off",
                "TRACKER_USER_RATE": "off",
            }
            | self.environment
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=gthread",
            "--threads=4",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start within 60 s")

    def __exit__(self, *exc: Any) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def worker_pids(self) -> list[int]:
        deadline = time.monotonic() + 10
        pids: list[int] = []
        while time.monotonic() < deadline:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
            if len(pids) >= self.workers:
                return pids
            time.sleep(0.2)
        return pids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
