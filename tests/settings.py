"""The project's settings, with a throwaway secret key and a fast password hasher for tests."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")
# The suite makes many requests from one address; the rate-limit tests set their own limits.
os.environ.setdefault("TRACKER_ANON_RATE", "off")
os.environ.setdefault("TRACKER_USER_RATE", "off")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
