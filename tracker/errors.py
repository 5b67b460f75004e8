"""Error pages without internals: the API answers in JSON, the admin with Django's plain page."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

SERVER_ERROR = "Server error. It has been logged; please try again."


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": SERVER_ERROR}, status=500)
    return defaults.server_error(request)
