"""Give a new local user a curator account on the embedded SQLite database."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from agreements.services import CURATORS_GROUP, ensure_curators_group


class Command(BaseCommand):
    help = (
        "On the embedded SQLite database, create the staff account 'curator' in the curators "
        "group if no curator exists, and print its random password once. Does nothing on "
        "PostgreSQL, where accounts are made deliberately (createsuperuser)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="curator")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.USES_EMBEDDED_DATABASE:
            self.stdout.write("Not on the embedded SQLite database: no account created.")
            return
        user_model = get_user_model()
        with transaction.atomic():
            group = ensure_curators_group()
            if user_model.objects.filter(groups=group).exists():
                self.stdout.write("A curator account exists already.")
                return
            if user_model.objects.filter(username=username).exists():
                self.stdout.write(
                    f"A user {username!r} exists but is not in {CURATORS_GROUP!r}; not changing it."
                )
                return
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(username=username, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS(
                f"Curator account created. User name: {username}  Password: {password}\n"
                "This password is shown only once; change it at /admin/password_change/."
            )
        )
