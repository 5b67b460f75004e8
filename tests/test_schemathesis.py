"""Property-based tests of the whole API against its own OpenAPI schema (Schemathesis).

Every operation in /api/v1/schema/ gets generated requests, valid and invalid, sent in-process
to the WSGI application: once as generated (anonymous, or with whatever credentials the
generator made up) and once with a curator's token, so that writes get past the permission
check and really validate, write and delete. The database holds the seed fixture's published
records and a few drafts, and the generator mixes their real keys into path parameters, so
detail pages are exercised on records that exist, not only on 404s.

Checks: no server error, the status code is documented, the content type is documented, and
the body conforms to the documented schema. The run is reproducible (fixed seed, derandomized)
and bounded (``MAX_EXAMPLES`` per operation and phase).
"""

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from agreements import models
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
)

MAX_EXAMPLES = 20
SEED = 20241107
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
KEY_NAMES = ("id", "code", "slug", "pair")
CURATED = (
    models.Agreement,
    models.Citation,
    models.CountClaim,
    models.Commission,
    models.SigningEvent,
    models.OfficeHeld,
    models.Official,
    models.Place,
    models.Source,
    models.Statement,
)


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            # The coverage phase's boundary values would be some 250 requests for a list
            # alone, past this test's budget; fuzzing sends valid and invalid values alike.
            "phases": {"coverage": {"enabled": False}},
            "checks": {
                "enabled": False,
                **{name: {"enabled": True} for name in CHECKS},
            },
        }
    )


# Examples run per operation, for the figures printed at the end of the module.
EXAMPLES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def figures(request: pytest.FixtureRequest) -> Iterator[None]:
    started = time.monotonic()
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not EXAMPLES:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nSchemathesis: {len(EXAMPLES)} operations, {sum(EXAMPLES.values())} examples "
            f"(each sent anonymously and as a curator) in {time.monotonic() - started:.0f} s"
        )
        if request.config.getoption("verbose") > 0:
            for label, count in sorted(EXAMPLES.items()):
                reporter.write_line(f"  {count:4} {label}")


# Keys of records that exist, filled in by ``records`` and drawn from while examples run.
REAL_KEYS: dict[str, list] = {}


def _real_key(name: str) -> st.SearchStrategy:
    return st.integers(min_value=0, max_value=1000).map(
        lambda index: REAL_KEYS[name][index % len(REAL_KEYS[name])]
    )


@pytest.fixture(scope="module")
def records(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Published records from the seed fixture and a draft of every curated kind, made once
    for the module in a transaction rolled back at its end; each operation's test runs in a
    savepoint inside it, so its writes and deletions do not reach the next operation."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed_fixtures", verbosity=0)
        source = SourceFactory()
        agreement = AgreementFactory()
        for factory in (
            PlaceFactory,
            OfficialFactory,
            OfficeHeldFactory,
            SigningEventFactory,
            CommissionFactory,
            CountClaimFactory,
            StatementFactory,
        ):
            factory()
        CitationFactory(source=source, agreement=agreement)
        curator = CuratorFactory()
        REAL_KEYS.update(
            id=sorted(
                {pk for model in CURATED for pk in model.objects.values_list("pk", flat=True)}
            ),
            code=["VE", "ru", "CU"],
            slug=list(models.Sector.objects.order_by("slug").values_list("slug", flat=True)),
            pair=["RU-VE", "ve-ru", "CN-VE"],
            token=[Token.objects.create(user=curator).key],
        )
        yield
        transaction.set_rollback(True)
    REAL_KEYS.clear()


@pytest.fixture
def in_process(records: None, db: None, settings: Any) -> Iterator[None]:
    """Requests run in the test's transaction, and an exception in a view fails the example
    with its traceback rather than as a bare 500.

    Django closes the connection around every request (``close_old_connections``), which
    would end the test's transaction: its own test client disconnects that handler the same
    way."""
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True
    # Error pages as in production (DEBUG shows HTML debugging pages instead).
    settings.DEBUG = False
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json", get_wsgi_application(), config=_config()
)


@schema.hook
def before_generate_path_parameters(context: Any, strategy: st.SearchStrategy) -> Any:
    # Keys of real records mixed in with what the generator makes, never instead of it.
    names = [
        parameter.name
        for parameter in context.operation.path_parameters
        if parameter.name in KEY_NAMES
    ]
    if not names:
        return strategy
    return st.one_of(strategy, st.fixed_dictionaries({name: _real_key(name) for name in names}))


@schema.parametrize()
@pytest.mark.usefixtures("in_process")
def test_the_api_keeps_its_schema(case: schemathesis.Case) -> None:
    EXAMPLES[f"{case.operation.method.upper()} {case.operation.path}"] += 1
    case.call_and_validate()
    case.call_and_validate(headers={"Authorization": f"Token {REAL_KEYS['token'][0]}"})
