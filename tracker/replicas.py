"""Read scaling: anonymous reads go to PostgreSQL streaming replicas.

With ``DATABASE_REPLICA_URLS`` set, a safe request without credentials (no Authorization header,
no signed-in session) reads from one replica, chosen per request so that one answer never mixes
two replicas' states. Writes, everything curators read (they must see their own writes at
once), management commands and anything inside a transaction stay on the primary.
"""

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PRIMARY = "default"
_reads_from: ContextVar[str | None] = ContextVar("reads_from", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        alias = _reads_from.get()
        if alias is None or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return alias

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.replicas = replica_aliases()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        alias = None
        if self.replicas and request.method in SAFE_METHODS and _anonymous(request):
            alias = random.choice(self.replicas)
        token = _reads_from.set(alias)
        try:
            return self.get_response(request)
        finally:
            _reads_from.reset(token)


def _anonymous(request: HttpRequest) -> bool:
    if "Authorization" in request.headers:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated
