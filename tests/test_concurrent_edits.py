"""Two curators editing the same record: the second save, made from a copy the first one has
since changed, is refused and writes nothing, in the API (If-Match) and in the admin (the
change form's record version)."""

import threading

import pytest
from django.contrib.admin import site
from django.db import connection
from django.test import Client
from django.urls import reverse

from agreements import models
from agreements.admin.base import VERSION_FIELD
from tests.factories import CuratorFactory

pytestmark = pytest.mark.usefixtures("seed")


def _agreement():
    return models.Agreement.objects.get(kind="cooperation_document")


def _api_url(record=None):
    return f"/api/v1/agreements/{(record or _agreement()).pk}/"


def _snapshot(record):
    """The stored record and how many versions its history has."""
    fresh = type(record).objects.get(pk=record.pk)
    return {
        field.attname: field.value_from_object(fresh) for field in fresh._meta.concrete_fields
    }, fresh.history.count()


# The API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "body"),
    [("patch", {"summary": "Blind write."}), ("put", None), ("delete", None)],
)
def test_a_write_without_if_match_is_refused_with_428_and_changes_nothing(
    curator_api, method, body
):
    agreement = _agreement()
    if method == "put":
        body = curator_api.get(_api_url()).json() | {"summary": "Blind write."}
    before = _snapshot(agreement)
    response = getattr(curator_api, method)(_api_url(), body, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert _snapshot(agreement) == before


def test_an_empty_if_match_is_no_condition_either(curator_api):
    before = _snapshot(_agreement())
    response = curator_api.patch(_api_url(), {"summary": "x"}, format="json", HTTP_IF_MATCH=" ")
    assert response.status_code == 428
    assert _snapshot(_agreement()) == before


def test_if_match_star_is_the_explicit_overwrite(curator_api):
    response = curator_api.patch(
        _api_url(), {"summary": "On purpose."}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200
    assert _agreement().summary == "On purpose."


def test_a_stale_put_is_refused_with_412_and_changes_nothing(curator_api):
    read = curator_api.get(_api_url())
    first = curator_api.patch(
        _api_url(), {"summary": "First."}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert first.status_code == 200
    before = _snapshot(_agreement())
    second = curator_api.put(
        _api_url(), read.json() | {"title": "Second."}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert second.status_code == 412
    assert "changed since you read it" in second.json()["detail"]
    assert _snapshot(_agreement()) == before


def test_a_missing_record_is_a_404_before_any_precondition(curator_api):
    response = curator_api.patch("/api/v1/agreements/999999/", {"summary": "x"}, format="json")
    assert response.status_code == 404


def test_the_schema_says_writes_need_if_match_and_may_answer_412_or_428(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/agreements/{id}/"]
    for method in ("put", "patch", "delete"):
        headers = [p for p in operations[method]["parameters"] if p["in"] == "header"]
        assert [(p["name"], p["required"]) for p in headers] == [("If-Match", True)]
        assert {"412", "428"} <= set(operations[method]["responses"])
    read_headers = [p["name"] for p in operations["get"]["parameters"] if p["in"] == "header"]
    assert "If-Match" not in read_headers


def _in_threads(count, work):
    """Run ``work(index)`` in ``count`` threads at once; each thread has its own connection."""
    results = [None] * count

    def run(index):
        try:
            results[index] = work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


requires_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks: it lets one writer at a time into the whole file",
)


@requires_row_locks
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_api_writes_with_the_same_tag_one_wins(monkeypatch):
    from rest_framework.authtoken.models import Token

    from agreements.api.base import ETagMixin

    token = Token.objects.create(user=CuratorFactory()).key
    etag = _client(token).get(_api_url())["ETag"]
    both_read = threading.Barrier(2)
    lock_and_check = ETagMixin.lock_and_check

    def after_both_read(self):
        both_read.wait(timeout=10)
        return lock_and_check(self)

    monkeypatch.setattr(ETagMixin, "lock_and_check", after_both_read)

    def write(index):
        return _client(token).patch(
            _api_url(), {"summary": f"Writer {index}."}, format="json", HTTP_IF_MATCH=etag
        )

    responses = _in_threads(2, write)
    assert sorted(response.status_code for response in responses) == [200, 412]
    winner = next(index for index, response in enumerate(responses) if response.status_code == 200)
    assert _agreement().summary == f"Writer {winner}."


def _client(token):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# The admin --------------------------------------------------------------------------------


def _admin_url(record):
    return reverse(f"admin:agreements_{record._meta.model_name}_change", args=[record.pk])


def _form_data(client, url):
    """What the browser would post back from the change page, unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = "on" if value is True else str(value)
    return data


@pytest.fixture
def second_curator_client(db):
    other = Client()
    other.force_login(CuratorFactory())
    return other


def test_the_second_of_two_admin_saves_from_the_same_page_is_refused(
    curator_client, second_curator_client, curator
):
    agreement = _agreement()
    url = _admin_url(agreement)
    first = _form_data(curator_client, url)
    second = _form_data(second_curator_client, url)
    assert first[VERSION_FIELD] == second[VERSION_FIELD]

    saved = curator_client.post(url, first | {"summary": "First curator."})
    assert saved.status_code == 302
    before = _snapshot(agreement)
    refused = second_curator_client.post(url, second | {"summary": "Second curator."})

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert "Someone else changed this record after you opened this page" in errors[0]
    assert f"by {curator.username}" in errors[0] and "Nothing was saved" in errors[0]
    assert _snapshot(agreement) == before


def test_a_page_opened_after_the_change_saves(curator_client, second_curator_client):
    url = _admin_url(_agreement())
    curator_client.post(url, _form_data(curator_client, url) | {"summary": "First curator."})
    fresh = _form_data(second_curator_client, url)
    assert fresh["summary"] == "First curator."
    response = second_curator_client.post(url, fresh | {"summary": "Second curator."})
    assert response.status_code == 302
    assert _agreement().summary == "Second curator."


def test_a_post_without_the_record_version_is_refused(curator_client):
    agreement = _agreement()
    url = _admin_url(agreement)
    data = _form_data(curator_client, url)
    del data[VERSION_FIELD]
    before = _snapshot(agreement)
    response = curator_client.post(url, data | {"summary": "Forged."})
    assert response.status_code == 200
    assert "Nothing was saved" in response.context["adminform"].form.non_field_errors()[0]
    assert _snapshot(agreement) == before


def test_an_inline_row_changed_elsewhere_makes_the_page_stale(curator_client):
    agreement = _agreement()
    url = _admin_url(agreement)
    data = _form_data(curator_client, url)
    citation = agreement.citations.first()
    citation.translation_en = "Changed on the citation's own page."
    citation.save()
    before = _snapshot(agreement)
    response = curator_client.post(url, data | {"summary": "Would overwrite the citation."})
    assert response.status_code == 200
    assert _snapshot(agreement) == before
    citation.refresh_from_db()
    assert citation.translation_en == "Changed on the citation's own page."


def test_a_change_to_a_derived_column_alone_does_not_make_the_page_stale(curator_client):
    agreement = _agreement()
    url = _admin_url(agreement)
    data = _form_data(curator_client, url)
    models.Agreement.objects.filter(pk=agreement.pk).update(search_text="recomputed")
    response = curator_client.post(url, data | {"summary": "Still mine to save."})
    assert response.status_code == 302
    assert _agreement().summary == "Still mine to save."


def test_a_stale_revert_from_the_history_is_refused(curator_client):
    agreement = _agreement()
    agreement.summary = "Version two."
    agreement.save()
    url = reverse(
        "admin:agreements_agreement_simple_history",
        args=[agreement.pk, agreement.history.earliest().history_id],
    )
    form = curator_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["sectors"] = [str(pk) for pk in data["sectors"]]
    agreement.summary = "Version three, made meanwhile."
    agreement.save()
    before = _snapshot(agreement)
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.context["adminform"].form.non_field_errors()[0]
    assert _snapshot(agreement) == before


def _add_alias(record):
    models.CountryAlias.objects.create(
        country=record, text="Elsewhere", language="en", kind="spelling"
    )


def _changer(field, value):
    def change(record):
        setattr(record, field, value)
        record.save()

    return change


# A change made from anywhere else (another page, the API, a command) to each model.
CHANGES = {
    models.Agreement: _changer("summary", "Changed elsewhere."),
    models.Citation: _changer("translation_en", "Changed elsewhere."),
    models.Commission: _changer("summary", "Changed elsewhere."),
    models.CountClaim: _changer("counted", "instruments"),
    models.Country: _add_alias,
    models.OfficeHeld: _changer("title", "Changed elsewhere"),
    models.Official: _changer("name", "Changed Elsewhere"),
    models.Place: _changer("name", "Elsewhere"),
    models.Sector: _changer("name_ar", "تغيير"),
    models.SigningEvent: _changer("summary", "Changed elsewhere."),
    models.Source: _changer("publisher", "Elsewhere"),
    models.Statement: _changer("translation_en", "Changed elsewhere."),
}


def test_every_admin_change_form_is_covered():
    assert set(CHANGES) == {
        model for model in site._registry if model._meta.app_label == "agreements"
    }


@pytest.mark.parametrize("model", list(CHANGES), ids=lambda model: model._meta.model_name)
def test_every_admin_change_form_refuses_a_stale_save(curator_client, model):
    record = model.objects.order_by("pk").first()
    url = _admin_url(record)
    data = _form_data(curator_client, url)
    assert curator_client.post(url, data).status_code == 302  # the unchanged page saves
    data = _form_data(curator_client, url)
    CHANGES[model](model.objects.get(pk=record.pk))
    before = _snapshot(record)
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.context["adminform"].form.non_field_errors()[0]
    assert _snapshot(record) == before


@requires_row_locks
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_admin_saves_from_the_same_page_one_wins(monkeypatch):
    from agreements.admin.base import VersionedForm

    url = _admin_url(_agreement())
    clients = [Client(), Client()]
    for other in clients:
        other.force_login(CuratorFactory())
    pages = [_form_data(other, url) for other in clients]
    both_validated = threading.Barrier(2)
    clean = VersionedForm.clean

    def after_both_validated(self):
        both_validated.wait(timeout=10)
        return clean(self)

    monkeypatch.setattr(VersionedForm, "clean", after_both_validated)

    def save(index):
        return clients[index].post(url, pages[index] | {"summary": f"Curator {index}."})

    responses = _in_threads(2, save)
    assert sorted(response.status_code for response in responses) == [200, 302]
    winner = next(index for index, response in enumerate(responses) if response.status_code == 302)
    assert _agreement().summary == f"Curator {winner}."
