"""The project's settings, with a throwaway secret key and a fast password hasher for tests."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")

from tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
