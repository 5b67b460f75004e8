"""Rate limits on the API, read from settings at each request (so that they can be changed
without a restart of the test process): anonymous clients by address, signed-in users by
account. ``None`` turns a limit off."""

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # importing views here would be circular: they read the throttle setting
    from rest_framework.views import APIView


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return settings.TRACKER_ANON_RATE


class SignedInThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return settings.TRACKER_USER_RATE

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        # Anonymous clients are AnonymousThrottle's; counting them twice would cost a cache trip.
        if not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
