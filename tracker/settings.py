"""Settings for the Agreement Tracker, read from environment variables.

Without any variables set, the project runs on an embedded SQLite file and refuses to start
unless DJANGO_DEBUG=1 (local development) or DJANGO_SECRET_KEY is given.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=1 for local development only."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    # The admin, with sign-in lockout (tracker/admin_site.py).
    "tracker.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous reads go to read replicas when DATABASE_REPLICA_URLS is set.
    "tracker.replicas.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

# DATABASE_URL selects PostgreSQL; without it the tracker keeps its data in an embedded SQLite file.
SQLITE_PATH = BASE_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{SQLITE_PATH}",
        conn_health_checks=True,
    )
}
USES_EMBEDDED_DATABASE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if USES_EMBEDDED_DATABASE:
    # Writers from several processes queue for SQLite's lock (up to 20 s) instead of failing
    # with "database is locked", and readers do not wait for writers (write-ahead log).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL;"
    )


def pooled(database: dict) -> dict:
    """psycopg's connection pool: a request borrows a connection instead of opening one.

    The read paths' fixed queries (agreements/api/prepared.py) bind on the server, and psycopg
    prepares each once it has run five times on a connection (its count of recent queries is
    bounded, and a rollback forgets them), so the server stops planning them each time.
    Django's own queries bind on the client and are never prepared. Behind a pooler that
    cannot keep prepared statements (PgBouncer before 1.21, or without
    max_prepared_statements), DATABASE_PREPARED=off."""
    database["CONN_MAX_AGE"] = 0
    options = database.setdefault("OPTIONS", {})
    options["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
    }
    options["prepare_threshold"] = 5 if env_bool("DATABASE_PREPARED", True) else None
    return database


if not USES_EMBEDDED_DATABASE:
    pooled(DATABASES["default"])

# Streaming replicas for anonymous reads (tracker/replicas.py), comma-separated URLs.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", "")
if DATABASE_REPLICA_URLS and USES_EMBEDDED_DATABASE:
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URLS needs DATABASE_URL to name the PostgreSQL primary."
    )
for number, url in enumerate(DATABASE_REPLICA_URLS, start=1):
    replica = pooled(dj_database_url.parse(url, conn_health_checks=True))
    # Under test, a replica reads the primary's test database (replicated like any other).
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{number}"] = replica
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["tracker.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# dumpdata/loaddata keep timestamps to the microsecond (agreements/fixture_formats).
SERIALIZATION_MODULES = {
    "json": "agreements.fixture_formats.json",
    "jsonl": "agreements.fixture_formats.jsonl",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Production (DEBUG off) is served over HTTPS only: `manage.py check --deploy` reports nothing.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy, e.g. DJANGO_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto.
if proxy_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
X_FRAME_OPTIONS = "DENY"

# A shared cache (Redis) makes rate limits and sign-in lockouts hold across workers and hosts;
# without one, each process counts on its own.
if cache_url := os.environ.get("TRACKER_CACHE_URL", "").strip():
    if not cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"TRACKER_CACHE_URL must be a redis:// URL, not {cache_url!r}")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}
    }


def env_rate(name: str, default: str) -> str | None:
    """A rate limit such as 300/minute (second, minute, hour or day), or off."""
    value = os.environ.get(name, default).strip().lower()
    if value in {"off", "none", "0"}:
        return None
    count, _, period = value.partition("/")
    if not count.isdigit() or period not in {
        "s",
        "sec",
        "second",
        "m",
        "min",
        "minute",
        "h",
        "hour",
        "d",
        "day",
    }:
        raise ImproperlyConfigured(f"{name} must look like 300/minute or be off, not {value!r}")
    return value


# API rate limits: anonymous clients per address, signed-in users per account (429 + Retry-After).
TRACKER_ANON_RATE = env_rate("TRACKER_ANON_RATE", "300/minute")
TRACKER_USER_RATE = env_rate("TRACKER_USER_RATE", "3000/minute")
# Admin sign-in lockout (agreements/lockout.py).
LOGIN_FAILURE_LIMIT = int(os.environ.get("TRACKER_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("TRACKER_LOGIN_LOCKOUT_SECONDS", "900"))

# Server errors go to stderr (the process manager's log) in production too; Django's default
# prints them only in debug mode.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}

# The largest request body (agreements/api/parsers.py answers 413 above it): an ingested article
# may be 2 Mi characters, up to 4 bytes each in UTF-8.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous write is answered 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["agreements.api.permissions.CuratorsWriteOthersRead"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "agreements.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "agreements.api.throttling.AnonymousThrottle",
        "agreements.api.throttling.SignedInThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "agreements.api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "agreements.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "agreements.api.csv.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "agreements.api.parsers.BoundedJSONParser",
        "agreements.api.parsers.BoundedFormParser",
        "agreements.api.parsers.BoundedMultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "agreements.api.errors.exception_handler",
    "URL_FIELD_NAME": "href",
    "UNICODE_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Agreement Tracker API",
    "DESCRIPTION": (
        "Bilateral agreements, signing events, officials and the sources behind every fact. "
        "Anonymous clients read published records; curators (token or session) also read "
        "drafts and write."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation pages load their assets from this server, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "agreements.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AgreementKindEnum": "agreements.models.agreements.AgreementKind",
        "StatementKindEnum": "agreements.models.agreements.StatementKind",
        "OfficialNameKindEnum": "agreements.models.people.OfficialNameKind",
        "PlaceKindEnum": "agreements.models.geography.PlaceKind",
        "LanguageEnum": "agreements.models.base.Language",
        "ReviewStateEnum": "agreements.models.base.ReviewState",
    },
}
