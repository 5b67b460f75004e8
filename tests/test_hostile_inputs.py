"""Hostile query strings and bodies: each is a clear 4xx naming what is wrong (or, where the
value is merely odd, an ordinary answer), never a 500, and a refused write writes nothing.

Query strings: every parameter of every list endpoint gets NUL bytes, 10,000 characters, huge
and negative numbers, malformed and partial dates, odd Unicode and repeats. Bodies: every write
endpoint gets invalid JSON, JSON that is not an object, deep nesting, lone surrogates, NUL
bytes, wrong content types and a body over the size limit.
"""

import json
from urllib.parse import quote

import pytest
from django.apps import apps
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agreements import models
from agreements.api.urls import router
from tests.factories import FACTORY_OF_RESOURCE


def _list_parameters() -> list[tuple[str, str]]:
    """(resource, parameter) for every parameter every list endpoint accepts."""
    cases = []
    for prefix, viewset, _ in router.registry:
        view = viewset()
        view.action = "list"
        cases += [(prefix, name) for name in sorted(view.accepted_query_params())]
    return cases


LIST_PARAMETERS = _list_parameters()
MUST_REFUSE = {
    "a NUL byte": "VE\x00",
    "10,000 characters": "7" * 10_000,
}
MAY_ACCEPT = {
    "a huge number": "9" * 40,
    "a huge negative number": "-" + "9" * 40,
    "a negative number": "-1",
    "zero": "0",
    "a float": "1.5",
    "an overflowing float": "1e400",
    "a malformed date": "2024-13-45",
    "a day that does not exist": "2023-02-29",
    "year zero": "0000",
    "a negative year": "-2024",
    "a five-digit year": "20240",
    "a date with a time": "2024-01-01T00:00:00",
    "right-to-left marks": "\u200f\u202eVE\u202c",
    "combining marks": "e\u0301\u0301\u0301",
    "an emoji": "\U0001f600",
    "an empty value": "",
}


def _assert_clear_refusal(response, parameter: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert parameter in response.json(), response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "parameter"), LIST_PARAMETERS)
def test_hostile_values_are_refused_naming_the_parameter(api, resource, parameter):
    for label, value in MUST_REFUSE.items():
        response = api.get(f"/api/v1/{resource}/", {parameter: value})
        assert response.status_code == 400, (label, response.status_code)
        assert parameter in response.json(), (label, response.json())


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "parameter"), LIST_PARAMETERS)
def test_odd_values_are_answered_or_refused_naming_the_parameter(api, resource, parameter):
    for label, value in MAY_ACCEPT.items():
        response = api.get(f"/api/v1/{resource}/", {parameter: value})
        if parameter == "page" and response.status_code == 404:
            assert response.json()["detail"].startswith("No page"), label
            continue
        assert response.status_code in (200, 400), (label, response.status_code)
        if response.status_code == 400:
            assert parameter in response.json(), (label, response.json())


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "parameter"), LIST_PARAMETERS)
def test_invalid_utf8_in_a_value_is_answered_or_refused(api, resource, parameter):
    # %ED%A0%80 is a lone surrogate in UTF-8 form; %FF is no UTF-8 at all.
    for raw in ("%ED%A0%80", "%FF%FE", "VE%C0%80"):
        response = api.get(f"/api/v1/{resource}/?{parameter}={raw}")
        assert response.status_code in (200, 400), (raw, response.status_code)
        if response.status_code == 400:
            assert parameter in response.json(), (raw, response.json())


def _single_valued() -> list[tuple[str, str]]:
    repeatable = {}
    for prefix, viewset, _ in router.registry:
        view = viewset()
        view.action = "list"
        repeatable[prefix] = view.repeatable_query_params()
    return [(r, p) for r, p in LIST_PARAMETERS if p not in repeatable[r]]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "parameter"), _single_valued())
def test_a_single_valued_parameter_given_twice_is_a_400(api, resource, parameter):
    value = "json" if parameter == "format" else "1"
    response = api.get(f"/api/v1/{resource}/?{parameter}={value}&{parameter}={value}")
    _assert_clear_refusal(response, parameter)
    assert "once" in response.json()[parameter][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("resource", "parameter"),
    [
        ("agreements", "country"),
        ("agreements", "sector"),
        ("events", "country"),
        ("relations", "country"),
    ],
)
def test_a_multi_valued_parameter_may_repeat(api, resource, parameter):
    value, other = ("VE", "RU")
    if parameter == "sector":
        value, other = models.Sector.objects.order_by("slug").values_list("slug", flat=True)[:2]
    response = api.get(f"/api/v1/{resource}/?{parameter}={value}&{parameter}={other}")
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("resource", sorted({resource for resource, _ in LIST_PARAMETERS}))
def test_an_unknown_parameter_is_a_400_naming_it(api, resource):
    _assert_clear_refusal(api.get(f"/api/v1/{resource}/", {"bogus": "1"}), "bogus")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["9" * 5_000, "-" + "9" * 5_000, "1" + "0" * 4_400])
def test_a_page_number_too_long_to_be_a_number_is_refused(api, page):
    response = api.get("/api/v1/agreements/", {"page": page})
    assert response.status_code in (400, 404)


# Bodies.

WRITE_URLS = [f"/api/v1/{resource}/" for resource in FACTORY_OF_RESOURCE] + [
    "/api/v1/sources/ingest/"
]
NESTED = 10_000
HOSTILE_JSON = {
    "invalid JSON": b'{"title": ',
    "a trailing comma": b'{"title": "x",}',
    "a list": b"[]",
    "a string": b'"title"',
    "a number": b"17",
    "null": b"null",
    "true": b"true",
    "NaN": b'{"value": NaN}',
    "10,000 nested lists": b"[" * NESTED + b"]" * NESTED,
    "10,000 nested objects": b'{"a":' * NESTED + b"1" + b"}" * NESTED,
    "a lone surrogate": b'{"title": "\\ud800", "name": "\\ud800", "text": "\\udfff"}',
    "a lone surrogate as a key": b'{"\\ud800": 1}',
    "a NUL byte": b'{"title": "a\\u0000b", "name": "a\\u0000b", "text": "a\\u0000b"}',
    "invalid UTF-8": b'{"title": "\xff\xfe"}',
    "a huge number": b'{"value": 1' + b"0" * 400 + b', "start": -1' + b"0" * 40 + b"}",
    "10,000-character keys": b'{"' + b"k" * 10_000 + b'": 1}',
    "10,000 keys": json.dumps({f"k{n}": n for n in range(10_000)}).encode(),
    "duplicate keys": b'{"title": "a", "title": "\\u0000"}',
}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("agreements").get_models()
    }


@pytest.fixture
def curator_client(curator) -> APIClient:
    client = APIClient()
    # Hostile bodies, not concurrency: every write says it means to overwrite the record.
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}", HTTP_IF_MATCH="*"
    )
    return client


@pytest.fixture
def records(db) -> dict[str, int]:
    """One record of every writable kind, by resource."""
    return {resource: factory().pk for resource, factory in FACTORY_OF_RESOURCE.items()}


def _targets(records: dict[str, int]) -> list[tuple[str, str]]:
    posts = [("post", url) for url in WRITE_URLS]
    updates = [
        (method, f"/api/v1/{resource}/{pk}/")
        for resource, pk in records.items()
        for method in ("put", "patch")
    ]
    return posts + updates


@pytest.mark.parametrize("label", HOSTILE_JSON)
def test_hostile_json_is_a_400_and_writes_nothing(curator_client, records, label):
    before = _row_counts()
    for method, url in _targets(records):
        response = curator_client.generic(
            method.upper(), url, HOSTILE_JSON[label], content_type="application/json"
        )
        assert response.status_code == 400, (method, url, response.status_code)
        assert response.json(), (method, url)
    assert _row_counts() == before


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/json-patch+json", "image/png", ""],
)
def test_an_unsupported_content_type_is_a_415_and_writes_nothing(
    curator_client, records, content_type
):
    before = _row_counts()
    for method, url in _targets(records):
        response = curator_client.generic(
            method.upper(), url, b'{"title": "x"}', content_type=content_type
        )
        assert response.status_code == 415, (method, url, response.status_code)
        assert "Unsupported media type" in response.json()["detail"]
    assert _row_counts() == before


@pytest.mark.parametrize(
    ("charset", "status"), [("bogus", 415), ("bz2_codec", 400), ("utf-32", 400)]
)
def test_an_unusable_charset_is_refused_and_writes_nothing(
    curator_client, records, charset, status
):
    before = _row_counts()
    response = curator_client.generic(
        "POST",
        "/api/v1/places/",
        b'{"name": "X", "country": "VE"}',
        content_type=f"application/json; charset={charset}",
    )
    assert response.status_code == status
    assert "detail" in response.json()
    assert _row_counts() == before


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b"],
)
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_limit_is_a_413_and_writes_nothing(curator_client, records, content_type):
    before = _row_counts()
    body = b'{"name": "' + b"x" * 20_000 + b'", "country": "VE"}'
    for method, url in _targets(records):
        response = curator_client.generic(method.upper(), url, body, content_type=content_type)
        assert response.status_code == 413, (method, url, response.status_code)
        assert "larger than 10000 bytes" in response.json()["detail"]
    assert _row_counts() == before


def test_a_form_with_too_many_fields_is_a_400_and_writes_nothing(curator_client, records):
    before = _row_counts()
    body = "&".join(f"f{n}=1" for n in range(2_000))
    response = curator_client.generic(
        "POST", "/api/v1/places/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    assert _row_counts() == before


@pytest.mark.parametrize(
    ("resource", "field"),
    [("places", "name"), ("agreements", "title"), ("sources", "title"), ("officials", "name")],
)
def test_10000_characters_in_a_field_is_a_400_naming_it(curator_client, records, resource, field):
    before = _row_counts()
    url = f"/api/v1/{resource}/{records[resource]}/"
    response = curator_client.patch(url, {field: "x" * 10_000}, format="json")
    _assert_clear_refusal(response, field)
    assert _row_counts() == before


@pytest.mark.parametrize(
    ("resource", "field", "value"),
    [
        ("claims", "value", 10**30),
        ("claims", "value", -(10**30)),
        ("claims", "value", -1),
        ("citations", "start", -1),
        ("citations", "start", 2**63),
        ("agreements", "signed_on", "2024-13"),
        ("agreements", "signed_on", "2024-02-30"),
        ("agreements", "signed_on", "0000"),
        ("agreements", "signed_on", "-2024"),
        ("agreements", "signed_on", 20240),
        ("agreements", "place", 2**70),
        ("agreements", "place", -1),
        ("events", "held_on", "2024-1-5"),
        ("sources", "published_on", "2024"),
    ],
)
def test_out_of_range_and_malformed_values_are_400s_naming_the_field(
    curator_client, records, resource, field, value
):
    before = _row_counts()
    url = f"/api/v1/{resource}/{records[resource]}/"
    response = curator_client.patch(url, {field: value}, format="json")
    _assert_clear_refusal(response, field)
    assert _row_counts() == before


@pytest.mark.parametrize("text", ["\u200f\u202eفنزويلا\u202c", "Cafe\u0301\u0301", "\U0001f600"])
def test_odd_unicode_in_a_field_is_kept_as_sent(curator_client, text):
    response = curator_client.post(
        "/api/v1/places/", {"name": text, "country": "VE"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert curator_client.get(response.json()["href"]).json()["name"] == text


@pytest.mark.parametrize("pk", [2**70, -1, 0, "1.5", "null,null", quote("١٢"), "%00"])
def test_odd_ids_in_a_path_are_json_404s(curator_client, records, settings, pk):
    settings.DEBUG = False  # with DEBUG, Django answers a path it cannot route with HTML
    before = _row_counts()
    for resource in FACTORY_OF_RESOURCE:
        for method in ("get", "patch", "delete"):
            response = getattr(curator_client, method)(f"/api/v1/{resource}/{pk}/")
            assert response.status_code == 404, (method, resource, response.status_code)
            assert "detail" in response.json()
    assert _row_counts() == before
