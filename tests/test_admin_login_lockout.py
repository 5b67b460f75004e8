"""Admin sign-in is protected against password guessing (agreements.lockout)."""

import time

import pytest
from django.core.cache import cache

from tests.factories import CuratorFactory

LOGIN = "/admin/login/"
RIGHT = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def curator(db):
    return CuratorFactory(username="maria")


def sign_in(client, username, password, address="192.0.2.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_under_the_limit_signs_in(client, curator):
    sign_in(client, "maria", "wrong")
    sign_in(client, "maria", "wrong")

    response = sign_in(client, "maria", RIGHT)

    assert response.status_code == 302
    assert signed_in(client)


def test_after_the_limit_even_the_right_password_is_refused(client, curator):
    for _ in range(3):
        sign_in(client, "maria", "wrong")

    response = sign_in(client, "maria", RIGHT)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)


def test_the_lock_holds_for_the_account_from_another_address(client, curator):
    for number in range(3):
        sign_in(client, "maria", "wrong", address=f"198.51.100.{number}")

    response = sign_in(client, "Maria ", RIGHT, address="203.0.113.9")

    assert response.status_code == 429
    assert not signed_in(client)


def test_one_address_trying_many_accounts_is_locked_out(client, curator):
    for name in ("ahmed", "li", "olga"):
        sign_in(client, name, "wrong", address="192.0.2.7")

    response = sign_in(client, "maria", RIGHT, address="192.0.2.7")

    assert response.status_code == 429


def test_others_still_sign_in_while_one_account_is_locked(client, curator):
    CuratorFactory(username="ahmed")
    for _ in range(3):
        sign_in(client, "maria", "wrong", address="192.0.2.1")

    response = sign_in(client, "ahmed", RIGHT, address="192.0.2.2")

    assert response.status_code == 302


def test_the_lock_ends_when_the_window_has_passed(client, curator, monkeypatch):
    for _ in range(3):
        sign_in(client, "maria", "wrong")
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)

    response = sign_in(client, "maria", RIGHT)

    assert response.status_code == 302


def test_a_success_forgets_the_accounts_earlier_failures(client, curator):
    sign_in(client, "maria", "wrong", address="192.0.2.1")
    sign_in(client, "maria", "wrong", address="192.0.2.2")
    sign_in(client, "maria", RIGHT, address="192.0.2.3")
    client.logout()

    sign_in(client, "maria", "wrong", address="192.0.2.4")
    response = sign_in(client, "maria", RIGHT, address="192.0.2.5")

    assert response.status_code == 302
