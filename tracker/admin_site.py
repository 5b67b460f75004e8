"""The admin site, with sign-ins protected against password guessing (agreements.lockout)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from agreements import lockout


class LockoutAuthenticationForm(AdminAuthenticationForm):
    seconds_locked = 0

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        self.seconds_locked = lockout.seconds_locked(self.request, username)
        if self.seconds_locked:
            minutes = -(-self.seconds_locked // 60)
            raise ValidationError(
                "Too many failed sign-ins for this account or from this address. "
                f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
                code="locked",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            lockout.record_failure(self.request, username)
            raise
        lockout.record_success(self.request, username)
        return cleaned


class TrackerAdminSite(admin.AdminSite):
    login_form = LockoutAuthenticationForm

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if getattr(form, "seconds_locked", 0):
            response.status_code = 429
            response["Retry-After"] = str(form.seconds_locked)
        return response
