"""Who may do what through the API: every endpoint the URL router and the OpenAPI schema know,
every HTTP method, for six kinds of client.

- anonymous: reads published records; a write is a 401 with ``WWW-Authenticate: Token``;
- a signed-in user outside the curators group (by token, and by session): reads like the
  public; a write is a 403;
- a curator (by token, and by session with its CSRF token) and a superuser: read drafts and
  write (201, 200, 204);
- and for everyone alike, a method the endpoint does not have is a 405.

A refused write changes nothing in the database; an accepted one changes it. ``API_MATRIX``
must name every routed endpoint and every routed method: an endpoint added to the router or
the schema without a line here fails ``test_every_routed_endpoint_and_method_is_in_the_matrix``.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.crypto import get_random_string
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agreements import models
from tests.factories import (
    FACTORY_OF_RESOURCE,
    AgreementFactory,
    CitationFactory,
    CommissionFactory,
    CountClaimFactory,
    CuratorFactory,
    OfficeHeldFactory,
    OfficialFactory,
    PlaceFactory,
    SigningEventFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

PUBLISHED = models.ReviewState.PUBLISHED
METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
SAFE = ("GET", "HEAD", "OPTIONS")
KINDS = (
    "anonymous",
    "user_token",
    "user_session",
    "curator_token",
    "curator_session",
    "superuser",
)
WRITERS = {"curator_token", "curator_session", "superuser"}
ARTICLE = (Path(__file__).parent / "articles" / "en05_cuba_venezuela.txt").read_text("utf-8")


@dataclass(frozen=True)
class Endpoint:
    """``url(world)`` is the URL; everyone may use ``reads``; only curators ``writes`` (method
    to the status of success). Any other method is a 405 for everyone."""

    url: Callable[[dict], str]
    reads: tuple[str, ...] = SAFE
    writes: dict[str, int] = field(default_factory=dict)


def _list(resource: str, writable: bool = True) -> Endpoint:
    return Endpoint(lambda w: f"/api/v1/{resource}/", writes={"POST": 201} if writable else {})


def _detail(resource: str, key: str) -> Endpoint:
    return Endpoint(
        lambda w: f"/api/v1/{resource}/{w[key].pk}/",
        writes={"PUT": 200, "PATCH": 200, "DELETE": 204},
    )


# Curated resources: (router basename, URL segment, the world's record for the detail).
CURATED = [
    ("place", "places", "place"),
    ("official", "officials", "official"),
    ("office", "offices", "office"),
    ("agreement", "agreements", "agreement"),
    ("event", "events", "event"),
    ("commission", "commissions", "commission"),
    ("claim", "claims", "claim"),
    ("statement", "statements", "statement"),
    ("source", "sources", "source"),
    ("citation", "citations", "citation"),
]

API_MATRIX: dict[str, Endpoint] = {
    "api-root": Endpoint(lambda w: "/api/v1/"),
    "schema": Endpoint(lambda w: "/api/v1/schema/"),
    "docs": Endpoint(lambda w: "/api/v1/docs/", reads=("GET", "HEAD")),
    "redoc": Endpoint(lambda w: "/api/v1/redoc/", reads=("GET", "HEAD")),
    "country-list": _list("countries", writable=False),
    "country-detail": Endpoint(lambda w: "/api/v1/countries/ve/"),
    "sector-list": _list("sectors", writable=False),
    "sector-detail": Endpoint(lambda w: "/api/v1/sectors/oil/"),
    "relation-list": _list("relations", writable=False),
    "relation-detail": Endpoint(lambda w: "/api/v1/relations/VE-RU/"),
    "source-ingest": Endpoint(
        lambda w: "/api/v1/sources/ingest/", reads=("OPTIONS",), writes={"POST": 201}
    ),
    **{f"{name}-list": _list(segment) for name, segment, _ in CURATED},
    **{f"{name}-detail": _detail(segment, key) for name, segment, key in CURATED},
}

# What a curator's PATCH (and PUT, on top of the record as read) changes, per resource.
CHANGES = {
    "places": {"name": "Renamed place"},
    "officials": {"name": "Renamed official"},
    "offices": {"title": "Renamed office"},
    "agreements": {"summary": "Changed summary."},
    "events": {"summary": "Changed summary."},
    "commissions": {"summary": "Changed summary."},
    "claims": {"value": 18},
    "statements": {"translation_en": "Changed translation."},
    "sources": {"title": "Renamed source"},
    "citations": {"translation_en": "Changed translation."},
}


def _new_records(world: dict) -> dict[str, dict]:
    """A valid new record per resource (POST bodies)."""
    return {
        "places": {"name": "Havana", "country": "CU"},
        "officials": {"name": "Miguel Díaz-Canel", "country": "CU"},
        "offices": {
            "official": world["speaker"].pk,
            "country": "VE",
            "role": "minister",
            "title": "Minister of Trade",
        },
        "agreements": {"kind": "treaty", "title": "Fisheries treaty", "parties": ["CU", "VE"]},
        "events": {"name": "Havana signing", "parties": ["CU", "VE"]},
        "commissions": {"name": "Joint commission", "parties": ["CU", "VE"]},
        "claims": {"value": 3, "parties": ["CU", "VE"], "since": "2000"},
        "statements": {"official": world["speaker"].pk, "text": "We agree.", "language": "en"},
        "sources": {"title": "T", "language": "en", "text": "A new article's text."},
        "citations": {
            "source": world["cited_source"].pk,
            "passage": "Venezuela",
            "agreement": world["agreement"].pk,
        },
        "sources/ingest": {"text": ARTICLE},
    }


@pytest.fixture
def world(db) -> dict:
    """One published record per curated resource, none of them referred to by another (so
    that each may be deleted), and what the new records refer to."""
    return {
        "place": PlaceFactory(review_state=PUBLISHED),
        "official": OfficialFactory(review_state=PUBLISHED),
        "office": OfficeHeldFactory(review_state=PUBLISHED),
        "agreement": AgreementFactory(review_state=PUBLISHED),
        "event": SigningEventFactory(review_state=PUBLISHED),
        "commission": CommissionFactory(review_state=PUBLISHED),
        "claim": CountClaimFactory(review_state=PUBLISHED),
        "statement": StatementFactory(review_state=PUBLISHED),
        "source": SourceFactory(review_state=PUBLISHED),
        "citation": CitationFactory(
            source__review_state=PUBLISHED, agreement__review_state=PUBLISHED
        ),
        "speaker": OfficialFactory(review_state=PUBLISHED),
        "cited_source": SourceFactory(review_state=PUBLISHED),
    }


def _token_client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _session_client(user: Any, csrf: bool = True) -> APIClient:
    """Signed in like the admin's session, with CSRF checks on as in production; ``csrf``
    sends the token as a browser page would."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    if csrf:
        secret = get_random_string(32)
        client.cookies[settings.CSRF_COOKIE_NAME] = secret
        client.credentials(HTTP_X_CSRFTOKEN=secret)
    return client


@pytest.fixture
def clients(db) -> dict[str, APIClient]:
    user, curator = UserFactory(), CuratorFactory()
    return {
        "anonymous": APIClient(),
        "user_token": _token_client(user),
        "user_session": _session_client(user),
        "curator_token": _token_client(curator),
        "curator_session": _session_client(curator),
        "superuser": _session_client(UserFactory(is_staff=True, is_superuser=True)),
    }


def snapshot() -> dict[str, list]:
    """Every row of every table of the tracker (history and users' tokens included)."""
    tables = [*apps.get_app_config("agreements").get_models(include_auto_created=True), Token]
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in tables
        if model not in (models.Country, models.CountryAlias)  # reference data, large
    }


def expected_status(endpoint: Endpoint, method: str, kind: str) -> int:
    if method in endpoint.reads:
        return 200
    if method not in endpoint.writes:
        return 405
    if kind in WRITERS:
        return endpoint.writes[method]
    return 401 if kind == "anonymous" else 403


def _body(name: str, method: str, url: str, world: dict, reader: APIClient) -> dict | None:
    if method not in ("POST", "PUT", "PATCH"):
        return None
    segment = url.removeprefix("/api/v1/").split("/")[0]
    if name == "source-ingest":
        return _new_records(world)["sources/ingest"]
    if method == "POST":
        return _new_records(world).get(segment, {})
    if method == "PATCH" or segment not in CHANGES:
        return CHANGES.get(segment, {})
    return reader.get(url).json() | CHANGES[segment]


def _request(client: APIClient, method: str, url: str, body: dict | None) -> Any:
    data = "" if body is None else json.dumps(body)
    # Permissions, not concurrency: writes to a record say they mean to overwrite it.
    headers = {"HTTP_IF_MATCH": "*"} if method in {"PUT", "PATCH", "DELETE"} else {}
    return client.generic(method, url, data, content_type="application/json", **headers)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_the_api_permissions_matrix(name, method, world, clients):
    endpoint = API_MATRIX[name]
    url = endpoint.url(world)
    wrong = []
    for kind in KINDS:
        expected = expected_status(endpoint, method, kind)
        body = _body(name, method, url, world, clients["superuser"])
        with transaction.atomic():
            before = snapshot() if method not in SAFE else None
            response = _request(clients[kind], method, url, body)
            changed = before is not None and snapshot() != before
            transaction.set_rollback(True)  # every client meets the same records
        if response.status_code != expected:
            wrong.append(f"{kind}: {response.status_code}, expected {expected}")
        elif expected in (201, 200, 204) and method not in SAFE and not changed:
            wrong.append(f"{kind}: {expected} but nothing was written")
        elif expected >= 400 and changed:
            wrong.append(f"{kind}: refused with {expected} but the database changed")
        elif expected == 401 and not response.get("WWW-Authenticate", "").startswith("Token"):
            wrong.append(f"{kind}: 401 without WWW-Authenticate: Token")
        elif expected == 405 and method in response.get("Allow", ""):
            wrong.append(f"{kind}: 405 but Allow lists {method}")
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)


def _routed() -> set[tuple[str, str]]:
    """(URL name, method) for every route under /api/v1/, from the resolver itself."""
    found = set()

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                found.update((pattern.name, method) for method in _methods(pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def _methods(callback: Any) -> set[str]:
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a viewset route: the methods it maps, and OPTIONS
        methods = {method.upper() for method in actions} | {"OPTIONS"}
    else:
        view = getattr(callback, "cls", None) or callback.view_class
        methods = {name.upper() for name in view.http_method_names if hasattr(view, name)}
    if "GET" in methods:  # Django answers HEAD with the GET handler
        methods.add("HEAD")
    return methods - {"TRACE"}


def _in_matrix() -> set[tuple[str, str]]:
    return {
        (name, method)
        for name, endpoint in API_MATRIX.items()
        for method in (*endpoint.reads, *endpoint.writes)
    }


def test_every_routed_endpoint_and_method_is_in_the_matrix():
    assert _routed() == _in_matrix()


SAMPLE_KEYS = {"id": "1", "code": "VE", "slug": "oil", "pair": "RU-VE"}


def test_every_operation_of_the_schema_is_in_the_matrix(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = set()
    for path, item in schema["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda match: SAMPLE_KEYS[match[1]], path)
        name = resolve(concrete).url_name
        operations.update((name, method.upper()) for method in item)
    assert operations, "the schema lists no operation"
    assert operations <= _in_matrix()


def test_the_schema_names_every_writable_operation(db):
    """The other way round: nothing curators may do is missing from the documentation."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = {
        (resolve(re.sub(r"\{(\w+)\}", lambda m: SAMPLE_KEYS[m[1]], path)).url_name, method.upper())
        for path, item in schema["paths"].items()
        for method in item
    }
    writable = {(name, method) for name, method in _in_matrix() if method not in SAFE}
    assert writable <= documented


def test_a_session_write_without_its_csrf_token_is_refused(world, db):
    client = _session_client(CuratorFactory(), csrf=False)
    before = snapshot()
    response = client.patch(
        f"/api/v1/places/{world['place'].pk}/", {"name": "Forged"}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_non_curators_write_to_a_draft_is_refused_like_one_to_a_missing_record(
    method, clients, db
):
    draft = AgreementFactory()
    for kind in ("anonymous", "user_token", "user_session"):
        client = clients[kind]
        to_draft = _request(client, method, f"/api/v1/agreements/{draft.pk}/", {})
        to_nothing = _request(client, method, f"/api/v1/agreements/{draft.pk + 1000}/", {})
        assert (to_draft.status_code, to_draft.json()) == (
            to_nothing.status_code,
            to_nothing.json(),
        ), kind
        assert to_draft.status_code in (401, 403)


@pytest.mark.parametrize(("name", "segment", "_key"), CURATED, ids=[c[0] for c in CURATED])
def test_a_draft_detail_is_a_404_to_non_curators_and_read_by_curators(
    name, segment, _key, clients, db
):
    draft = _draft_of(segment)
    url = f"/api/v1/{segment}/{draft.pk}/"
    statuses = {kind: clients[kind].get(url).status_code for kind in KINDS}
    assert statuses == {kind: 200 if kind in WRITERS else 404 for kind in KINDS}


def _draft_of(segment: str) -> Any:
    """A record of the resource that the public may not see."""
    if segment == "citations":  # visible when its source and its fact are published
        return CitationFactory(source__review_state=PUBLISHED)
    return FACTORY_OF_RESOURCE[segment]()


@pytest.mark.parametrize("suffix", [".json", ".csv", ".api"])
def test_a_draft_detail_is_a_404_in_every_format(suffix, api, db):
    draft = AgreementFactory()
    assert api.get(f"/api/v1/agreements/{draft.pk}{suffix}").status_code == 404
    assert api.get(f"/api/v1/agreements/{draft.pk}/", {"format": suffix[1:]}).status_code == 404
