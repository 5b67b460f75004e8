"""Anonymous reads (and signed-in users, more generously) are rate-limited: 429 + Retry-After."""

import socket
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from tracker.settings import env_rate

LIST = "/api/v1/countries/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def limited(settings):
    settings.TRACKER_ANON_RATE = "3/minute"
    settings.TRACKER_USER_RATE = "5/minute"


def test_anonymous_reads_within_the_limit_pass(db, api, limited):
    statuses = [api.get(LIST).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


def test_an_anonymous_read_over_the_limit_gets_429_with_retry_after(db, api, limited):
    for _ in range(3):
        api.get(LIST)

    response = api.get(LIST)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_the_anonymous_limit_counts_per_address(db, api, limited):
    for _ in range(3):
        api.get(LIST, REMOTE_ADDR="192.0.2.1")

    response = api.get(LIST, REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 200


def test_signed_in_users_have_their_own_limit(db, curator_api, limited):
    statuses = [curator_api.get(LIST).status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]


def test_limits_can_be_turned_off(db, api, settings):
    settings.TRACKER_ANON_RATE = None

    statuses = {api.get(LIST).status_code for _ in range(20)}

    assert statuses == {200}


@pytest.mark.parametrize("value", ["120/minute", "5/s", "10000/day"])
def test_a_rate_setting_is_read_from_the_environment(monkeypatch, value):
    monkeypatch.setenv("TRACKER_ANON_RATE", value)

    assert env_rate("TRACKER_ANON_RATE", "300/minute") == value


def test_off_turns_a_rate_setting_off(monkeypatch):
    monkeypatch.setenv("TRACKER_ANON_RATE", "off")

    assert env_rate("TRACKER_ANON_RATE", "300/minute") is None


@pytest.mark.parametrize("value", ["fast", "10/fortnight", "-1/minute", "/minute"])
def test_a_malformed_rate_setting_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("TRACKER_ANON_RATE", value)

    with pytest.raises(ImproperlyConfigured, match="TRACKER_ANON_RATE"):
        env_rate("TRACKER_ANON_RATE", "300/minute")


def redis_is_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_is_running(), reason="no Redis server on 127.0.0.1:6379")
def test_limits_hold_in_a_shared_redis_cache(db, api, limited, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"tests-{uuid.uuid4().hex}",
        }
    }
    statuses = [api.get(LIST).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
