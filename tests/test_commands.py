import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agreements.services import CURATORS_GROUP


def _call(command, **options):
    from io import StringIO

    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def test_a_local_curator_account_is_made_once_with_a_random_password(db, settings):
    settings.USES_EMBEDDED_DATABASE = True
    first = _call("ensure_local_curator")
    password = re.search(r"Password: (\S+)", first).group(1)
    user = get_user_model().objects.get(username="curator")
    assert user.check_password(password)
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=CURATORS_GROUP).exists()
    second = _call("ensure_local_curator")
    assert "exists already" in second and "Password" not in second
    assert get_user_model().objects.count() == 1


def test_no_account_is_made_on_postgresql(db, settings):
    settings.USES_EMBEDDED_DATABASE = False
    assert "no account created" in _call("ensure_local_curator")
    assert not get_user_model().objects.exists()


def test_a_user_named_curator_outside_the_group_is_left_alone(db, settings):
    settings.USES_EMBEDDED_DATABASE = True
    get_user_model().objects.create_user("curator", password="own password")
    assert "not changing it" in _call("ensure_local_curator")
    assert get_user_model().objects.get().check_password("own password")


def test_loading_the_seed_fixtures_twice_reports_what_it_did(db):
    assert "68 records created, 0 already present" in _call("load_seed_fixtures")
    assert "already loaded (its source is in the database)" in _call("load_seed_fixtures")


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_debug_and_secret_key_the_project_refuses_to_start_with_a_clear_message():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("env", [{"DJANGO_DEBUG": "1"}, {"DJANGO_SECRET_KEY": "x" * 50}])
def test_debug_or_a_secret_key_lets_the_project_start(env):
    assert _manage("check", **env).returncode == 0


def test_a_nonsense_debug_value_is_refused_by_name():
    result = _manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be" in result.stderr
