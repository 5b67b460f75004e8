"""Production settings: `check --deploy` is clean, HTTPS is enforced, no debug pages."""

import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from agreements.api.errors import SERVER_ERROR
from agreements.api.views import CountryViewSet

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "tracker.settings",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org,api.tracker.example.org",
    "PATH": "/usr/bin:/bin",
}


def manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=PRODUCTION | environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, **environment: str) -> str:
    shown = manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        **environment,
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


def test_check_deploy_reports_nothing_with_production_variables():
    checked = manage("check", "--deploy", "--fail-level", "WARNING")

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_check_deploy_catches_debug_left_on():
    checked = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="1")

    assert checked.returncode != 0
    assert "security.W018" in checked.stdout + checked.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
    started = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert started.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in started.stderr


def test_allowed_hosts_come_from_the_environment():
    assert setting("ALLOWED_HOSTS") == "['tracker.example.org', 'api.tracker.example.org']"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SECURE_SSL_REDIRECT", "True"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_HSTS_SECONDS", "31536000"),
        ("DEBUG", "False"),
    ],
)
def test_production_defaults_are_secure(name, expected):
    assert setting(name) == expected


def test_a_proxy_header_marks_requests_as_https():
    shown = setting("SECURE_PROXY_SSL_HEADER", DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")

    assert shown == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.ALLOWED_HOSTS = ["tracker.example.org"]


def test_plain_http_is_redirected_to_https(db, production, client):
    response = client.get("/api/v1/countries/", HTTP_HOST="tracker.example.org")

    assert response.status_code == 301
    assert response["Location"] == "https://tracker.example.org/api/v1/countries/"


def test_https_responses_carry_hsts(db, production, client):
    response = client.get("/api/v1/countries/", HTTP_HOST="tracker.example.org", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_unknown_host_is_refused(db, production, client):
    response = client.get("/api/v1/countries/", HTTP_HOST="evil.example.com", secure=True)

    assert response.status_code == 400


def test_a_missing_page_shows_no_debug_page(db, production, client):
    response = client.get("/nowhere/", HTTP_HOST="tracker.example.org", secure=True)

    assert response.status_code == 404
    assert b"URLconf" not in response.content


def test_a_server_error_shows_no_traceback(db, production, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(CountryViewSet, "list", broken)
    client = APIClient(raise_request_exception=False)

    response = client.get("/api/v1/countries/", HTTP_HOST="tracker.example.org", secure=True)

    assert response.status_code == 500
    assert response.json() == {"detail": SERVER_ERROR}
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_a_cache_url_shares_counters_through_redis():
    shown = setting("CACHES", TRACKER_CACHE_URL="redis://127.0.0.1:6379/0")

    assert "django.core.cache.backends.redis.RedisCache" in shown
    assert "redis://127.0.0.1:6379/0" in shown


def test_a_cache_url_that_is_not_redis_stops_the_start():
    checked = manage("check", TRACKER_CACHE_URL="memcached://127.0.0.1:11211")

    assert checked.returncode != 0
    assert "TRACKER_CACHE_URL must be a redis:// URL" in checked.stderr


PRIMARY = "postgres://tracker@db.example.org/tracker"
PREPARED = 'DATABASES["default"]["OPTIONS"]["prepare_threshold"]'


def test_postgresql_prepares_the_queries_that_bind_on_the_server():
    assert setting(PREPARED, DATABASE_URL=PRIMARY) == "5"


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_drops_them():
    assert setting(PREPARED, DATABASE_URL=PRIMARY, DATABASE_PREPARED="off") == "None"


def test_a_bad_prepared_setting_names_the_variable():
    shown = manage("check", DATABASE_URL=PRIMARY, DATABASE_PREPARED="sometimes")
    assert shown.returncode != 0 and "DATABASE_PREPARED" in shown.stderr
