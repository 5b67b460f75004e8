"""Who may open and post every admin page: the site's own pages, every model admin's pages
(changelist, add, change, delete, history, a version in the history, the id redirect) and the
custom views (the article ingest page), for six kinds of visitor:

- anonymous, and a signed-in user who is not staff: sent to the login page (302), always;
- staff outside the curators group: the index, nothing else (403; an app's index is a 404);
- a viewer (staff with only the view permissions of the tracker): lists, pages and history,
  read-only: adding, changing, deleting, reverting and ingesting are 403;
- a curator: every page of the tracker (countries cannot be added or deleted by anyone), none
  of the accounts (users, groups, tokens: 403);
- a superuser: everything.

The pages come from the admin site's URL patterns: a page without a rule here fails
``test_every_admin_page_is_in_the_matrix``. Refused posts change nothing in the database.
"""

import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, reverse
from rest_framework.authtoken.models import Token, TokenProxy

from agreements import models
from agreements.services import CURATORS_GROUP
from tests.factories import (
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
    sector,
)
from tests.test_permissions_matrix import snapshot

KINDS = ("anonymous", "user", "staff", "viewer", "curator", "superuser")
STANDARD_VIEWS = ("changelist", "add", "change", "delete", "history", "simple_history", "redirect")
# Who may do what on a model's pages: "tracker" models are the curators' (and viewers' to
# read), "accounts" the superuser's alone.
MODEL_ACCESS = {
    "agreements.agreement": "tracker",
    "agreements.signingevent": "tracker",
    "agreements.commission": "tracker",
    "agreements.countclaim": "tracker",
    "agreements.statement": "tracker",
    "agreements.country": "tracker",
    "agreements.place": "tracker",
    "agreements.official": "tracker",
    "agreements.officeheld": "tracker",
    "agreements.source": "tracker",
    "agreements.citation": "tracker",
    "agreements.sector": "tracker",
    "auth.group": "accounts",
    "auth.user": "accounts",
    "authtoken.tokenproxy": "accounts",
}
SITE_VIEWS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
    "catch_all",
}
CUSTOM_VIEWS = {"agreements_source_ingest", "auth_user_password_change"}
LOGIN = "login"  # a redirect to the login page


def _pages() -> set[str]:
    """Every page of the admin site: its URL name, or what an unnamed pattern does."""
    found = set()

    def walk(patterns: list, model: str | None) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):  # a model admin's pages, under app/model/
                walk(pattern.url_patterns, route.strip("/").replace("/", "_"))
                continue
            assert isinstance(pattern, URLPattern)
            if pattern.name:
                found.add(pattern.name)
            elif route == "<path:object_id>/":
                found.add(f"{model}_redirect")
            elif route.endswith("(?P<url>.*)$"):
                found.add("catch_all")
            else:
                found.add(f"unnamed: {route}")

    walk(admin.site.get_urls(), None)
    return found


def _in_matrix() -> set[str]:
    pages = set(SITE_VIEWS) | CUSTOM_VIEWS
    for label, access in MODEL_ACCESS.items():
        views = set(STANDARD_VIEWS)
        if access == "accounts":  # Django's own admins: no simple-history version pages
            views.discard("simple_history")
        pages |= {f"{label.replace('.', '_')}_{view}" for view in views}
    return pages


def test_every_admin_page_is_in_the_matrix():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(MODEL_ACCESS)
    assert _pages() == _in_matrix()


@pytest.fixture
def visitors(db) -> dict[str, Any]:
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="agreements", codename__startswith="view_"
        )
    )
    return {
        "anonymous": None,
        "user": UserFactory(),
        "staff": UserFactory(is_staff=True),
        "viewer": viewer,
        "curator": CuratorFactory(),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }


@pytest.fixture
def records(visitors) -> dict[str, Any]:
    """One record per admin model, each with a version in its history."""
    found = {
        "agreements.agreement": AgreementFactory(sectors=[sector("oil")]),
        "agreements.signingevent": SigningEventFactory(),
        "agreements.commission": CommissionFactory(),
        "agreements.countclaim": CountClaimFactory(),
        "agreements.statement": StatementFactory(),
        "agreements.country": models.Country.objects.get(code="VE"),
        "agreements.place": PlaceFactory(),
        "agreements.official": OfficialFactory(),
        "agreements.officeheld": OfficeHeldFactory(),
        "agreements.source": SourceFactory(),
        "agreements.citation": CitationFactory(),
        "agreements.sector": sector("oil"),
        "auth.group": Group.objects.get(name=CURATORS_GROUP),
        "auth.user": visitors["user"],
        "authtoken.tokenproxy": TokenProxy.objects.get(
            pk=Token.objects.create(user=visitors["user"]).pk
        ),
    }
    for label, record in found.items():
        if label.startswith("agreements.") and not record.history.exists():
            record.save()  # reference data comes from migrations, without history
    return found


def _url(page: str, records: dict) -> str:
    if page in SITE_VIEWS:
        return {
            "index": "/admin/",
            "login": "/admin/login/",
            "logout": "/admin/logout/",
            "password_change": "/admin/password_change/",
            "password_change_done": "/admin/password_change/done/",
            "autocomplete": "/admin/autocomplete/?app_label=agreements&model_name=agreement"
            "&field_name=event&term=",
            "jsi18n": "/admin/jsi18n/",
            "view_on_site": f"/admin/r/1/{records['auth.user'].pk}/",
            "app_list": "/admin/agreements/",
            "catch_all": "/admin/no-such-page/",
        }[page]
    if page in CUSTOM_VIEWS:
        return reverse(f"admin:{page}", args=[records["auth.user"].pk] if "user" in page else [])
    label, view = _split(page)
    record = records[label]
    if view in ("changelist", "add"):
        return reverse(f"admin:{page}")
    if view == "simple_history":
        version = record.history.order_by("history_id").first().history_id
        return reverse(f"admin:{page}", args=[record.pk, version])
    if view == "redirect":
        changelist = reverse(f"admin:{page.removesuffix('_redirect')}_changelist")
        return f"{changelist}{record.pk}/"
    return reverse(f"admin:{page}", args=[record.pk])


def _split(page: str) -> tuple[str, str]:
    for label in MODEL_ACCESS:
        prefix = label.replace(".", "_") + "_"
        if page.startswith(prefix) and page[len(prefix) :] in STANDARD_VIEWS:
            return label, page[len(prefix) :]
    raise LookupError(page)


def expected(page: str, kind: str, method: str) -> int | str:
    """The status (or LOGIN, a redirect to the login page) of ``method`` on ``page``."""
    if page == "login":
        return 200 if kind in ("anonymous", "user") else 302
    if page == "logout":  # a GET logs no one out; the signed-out are sent to the index
        if method == "GET":
            return 302 if kind in ("anonymous", "user") else 405
        return LOGIN if kind in ("anonymous", "user") else 200
    if kind in ("anonymous", "user"):
        return LOGIN
    if page in ("autocomplete", "jsi18n", "password_change_done") and method == "POST":
        return 405
    if page in ("index", "password_change", "password_change_done", "jsi18n"):
        return 200
    if page == "view_on_site":  # users have no page of their own on the site
        return 404
    if page == "catch_all":
        return 404
    if page == "app_list":
        return 404 if kind == "staff" else 200
    if page == "autocomplete":
        return 403 if kind == "staff" else 200
    if page == "agreements_source_ingest":
        return 200 if kind in ("curator", "superuser") else 403
    if page == "auth_user_password_change":
        return 200 if kind == "superuser" else 403
    label, view = _split(page)
    if view == "redirect":  # to the change page, which decides
        return 302
    if kind == "superuser" or (kind == "curator" and MODEL_ACCESS[label] == "tracker"):
        if label == "agreements.country" and view in ("add", "delete"):
            return 403  # the 249 countries come from migrations
        return 200
    if kind == "viewer" and MODEL_ACCESS[label] == "tracker":
        if view in ("changelist", "history"):
            return 200  # a post is read like a get: there is nothing to submit
        if view in ("change", "simple_history"):
            return 200 if method == "GET" else 403
    return 403


def _client(client: Any, user: Any) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("page", sorted(_in_matrix()))
def test_the_admin_permissions_matrix_for_reading(page, client, visitors, records):
    url = _url(page, records)
    wrong = []
    for kind in KINDS:
        response = _client(client, visitors[kind]).get(url)
        want = expected(page, kind, "GET")
        if want == LOGIN:
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith(reverse("admin:login")):
                wrong.append(f"{kind}: {response.status_code} {location}, expected login")
        elif response.status_code != want:
            wrong.append(f"{kind}: {response.status_code}, expected {want}")
    assert not wrong, f"GET {url}: " + "; ".join(wrong)


POSTED = sorted(page for page in _in_matrix() if page not in ("login", "logout"))
# Curators and superusers post real forms below; an empty post would only re-render them.
REFUSED_KINDS = ("anonymous", "user", "staff", "viewer")


@pytest.mark.parametrize("page", POSTED)
def test_the_admin_permissions_matrix_for_posting(page, client, visitors, records):
    """An empty post by those who may not write: refused, or (a viewer on a list or history)
    read like a get; the database is unchanged."""
    url = _url(page, records)
    before = snapshot()
    wrong = []
    for kind in REFUSED_KINDS:
        response = _client(client, visitors[kind]).post(url, {})
        want = expected(page, kind, "POST")
        status = "login" if want == LOGIN else want
        got = response.status_code
        if want == LOGIN and got == 302 and response["Location"].startswith("/admin/login/"):
            got = "login"
        if got != status:
            wrong.append(f"{kind}: {got}, expected {status}")
    assert not wrong, f"POST {url}: " + "; ".join(wrong)
    assert snapshot() == before


def _place_form(place: models.Place, **changes: str) -> dict:
    return {
        "name": place.name,
        "country": place.country_id,
        "kind": place.kind,
        "review_state": place.review_state,
        "names-TOTAL_FORMS": "0",
        "names-INITIAL_FORMS": "0",
        **changes,
    }


# What a full, valid post to each writing page does; (page, data, check of the outcome).
def _writes(place: models.Place) -> dict[str, tuple[str, dict]]:
    return {
        "add": (reverse("admin:agreements_place_add"), _place_form(place, name="Added")),
        "change": (
            reverse("admin:agreements_place_change", args=[place.pk]),
            _place_form(place, name="Changed"),
        ),
        "delete": (reverse("admin:agreements_place_delete", args=[place.pk]), {"post": "yes"}),
        "revert": (
            reverse(
                "admin:agreements_place_simple_history",
                args=[place.pk, place.history.order_by("history_id").first().history_id],
            ),
            _place_form(place, name="Reverted"),
        ),
        "publish": (
            reverse("admin:agreements_place_changelist"),
            {"action": "mark_published", "_selected_action": [place.pk], "index": "0"},
        ),
        "ingest": (
            reverse("admin:agreements_source_ingest"),
            {"text": "Venezuela and Cuba signed 3 agreements in Havana on Monday."},
        ),
    }


WRITES = ("add", "change", "delete", "revert", "publish", "ingest")


def _record_version(client: Any, url: str) -> dict[str, str]:
    """The version a change page was opened on, as the browser would send it back (pages a
    visitor may not change carry none)."""
    found = re.search(rb'name="record_version" value="([^"]*)"', client.get(url).content)
    return {"record_version": found[1].decode()} if found else {}


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("kind", KINDS)
def test_only_curators_and_superusers_write_through_the_admin(write, kind, client, visitors):
    place = PlaceFactory(name="Original")
    url, data = _writes(place)[write]
    visitor = _client(client, visitors[kind])
    data |= _record_version(visitor, url) if write in ("change", "revert") else {}
    before = snapshot()
    response = visitor.post(url, data)
    if kind in ("curator", "superuser"):
        assert response.status_code in (200, 302)
        assert snapshot() != before, response.content[:500]
        return
    refused = {"anonymous": 302, "user": 302, "staff": 403, "viewer": 403}[kind]
    if kind == "viewer" and write == "publish":
        refused = 200  # the list, without the actions a viewer may not run
    assert response.status_code == refused
    assert snapshot() == before
