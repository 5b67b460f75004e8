"""The load run: gunicorn serving the project on the loopback, readers cycling through the
API's lists, filters and records while curators create agreements and edit them with If-Match;
then every acknowledged write is looked up in the database. Any error or lost write fails it."""

import http.client
import json
import secrets
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from agreements.models import Agreement, Country, ReviewState
from agreements.services import ensure_curators_group
from agreements.serving import GunicornServer

CURATOR = "load-run-curator"


@dataclass
class Tally:
    """What the clients saw; each client fills its own and they are merged at the end."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Acknowledged writes: agreement id -> the title and summary the server said it stored.
    written: dict[int, tuple[str, str]] = field(default_factory=dict)

    def merge(self, other: "Tally") -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.written |= other.written


def read_paths() -> list[str]:
    """Lists, filters, search, pages, records and a relation, from what the database holds."""
    published = Agreement.objects.filter(review_state=ReviewState.PUBLISHED)
    paths = [
        "/api/v1/agreements/",
        "/api/v1/agreements/?ordering=-signed_on",
        "/api/v1/agreements/?q=energy",
        "/api/v1/agreements/?format=csv",
        "/api/v1/countries/?has_agreements=true",
        "/api/v1/officials/",
        "/api/v1/events/",
        "/api/v1/claims/",
        "/api/v1/sources/",
        "/api/v1/sectors/",
    ]
    if published.count() > 1:
        paths.append("/api/v1/agreements/?page=2&page_size=1")
    for agreement in published.select_related("party_a", "party_b").order_by("pk")[:10]:
        a, b = agreement.party_a.code, agreement.party_b.code
        paths += [
            f"/api/v1/agreements/{agreement.pk}/",
            f"/api/v1/agreements/?country={a}&country={b}",
            f"/api/v1/relations/{a}-{b}/",
        ]
    return paths


def curator_token() -> str:
    user, _ = get_user_model().objects.get_or_create(username=CURATOR, defaults={"is_staff": True})
    user.groups.add(ensure_curators_group())
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def run(seconds: float, readers: int, writers: int, max_requests: int) -> dict[str, Any]:
    paths = read_paths()
    token = curator_token()
    parties = list(Country.objects.order_by("code").values_list("code", flat=True)[:2])
    run_id = secrets.token_hex(4)
    tally = Tally()
    with GunicornServer() as server:
        deadline = time.monotonic() + seconds
        budget = _Budget(max_requests)
        clients = [
            _Reader(server.port, deadline, budget, paths[i::readers] or paths)
            for i in range(readers)
        ] + [
            _Writer(server.port, deadline, budget, token, parties, f"{run_id}-{i}")
            for i in range(writers)
        ]
        started = time.monotonic()
        threads = [threading.Thread(target=client.run) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    for client in clients:
        tally.merge(client.tally)
    lost = lost_writes(tally.written)
    ordered = sorted(tally.latencies) or [0.0]
    return {
        "seconds": round(elapsed, 1),
        "readers": readers,
        "writers": writers,
        "requests": len(tally.latencies),
        "rps": round(len(tally.latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:10],
        "writes_acknowledged": len(tally.written),
        "writes_lost": len(lost),
        "lost_samples": lost[:10],
        "written_ids": sorted(tally.written),
    }


def lost_writes(written: dict[int, tuple[str, str]]) -> list[str]:
    """Every acknowledged write, compared with what the database holds now."""
    stored = {
        pk: (title, summary)
        for pk, title, summary in Agreement.objects.filter(pk__in=written).values_list(
            "pk", "title", "summary"
        )
    }
    return [
        f"agreement {pk}: acknowledged {expected!r}, stored {stored.get(pk)!r}"
        for pk, expected in sorted(written.items())
        if stored.get(pk) != expected
    ]


def remove_written(ids: list[int]) -> None:
    for agreement in Agreement.objects.filter(pk__in=ids):
        agreement.delete()


class _Budget:
    """A cap on the run's requests, shared by the clients."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            self.left -= 1
            return self.left >= 0


class _Client:
    def __init__(self, port: int, deadline: float, budget: _Budget) -> None:
        self.port, self.deadline, self.budget = port, deadline, budget
        self.tally = Tally()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def going(self) -> bool:
        return time.monotonic() < self.deadline and self.budget.take()

    def request(
        self, method: str, path: str, expected: int, body: dict | None = None, **headers: str
    ) -> tuple[int, dict[str, str], bytes]:
        encoded = json.dumps(body).encode() if body is not None else None
        if encoded is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=encoded, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
            status, response_headers = response.status, dict(response.getheaders())
            if response.will_close:
                self.connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            status, response_headers, content = 0, {}, str(error).encode()
        self.tally.latencies.append((time.perf_counter() - started) * 1000)
        if status != expected:
            self.tally.errors.append(f"{method} {path}: {status} {content[:200]!r}")
        return status, response_headers, content


class _Reader(_Client):
    def __init__(self, port: int, deadline: float, budget: _Budget, paths: list[str]) -> None:
        super().__init__(port, deadline, budget)
        self.paths = paths

    def run(self) -> None:
        index = 0
        while self.going():
            self.request("GET", self.paths[index % len(self.paths)], 200)
            index += 1


class _Writer(_Client):
    """Creates agreements and edits each one once with If-Match, as a curator would."""

    def __init__(
        self, port: int, deadline: float, budget: _Budget, token: str, parties: list[str], name: str
    ) -> None:
        super().__init__(port, deadline, budget)
        self.auth = {"Authorization": f"Token {token}"}
        self.parties, self.name = parties, name

    def run(self) -> None:
        number = 0
        while self.going():
            number += 1
            title = f"Load run {self.name} agreement {number}"
            body = {"kind": "agreement", "title": title, "parties": self.parties}
            status, headers, content = self.request(
                "POST", "/api/v1/agreements/", 201, body, **self.auth
            )
            if status != 201:
                continue
            created = json.loads(content)
            self.tally.written[created["id"]] = (title, created["summary"])
            if not self.going():
                return
            summary = f"Edited by {self.name} in the load run."
            status, _, content = self.request(
                "PATCH",
                f"/api/v1/agreements/{created['id']}/",
                200,
                {"summary": summary},
                **self.auth,
                **{"If-Match": headers.get("ETag", "")},
            )
            if status == 200:
                self.tally.written[created["id"]] = (title, json.loads(content)["summary"])
