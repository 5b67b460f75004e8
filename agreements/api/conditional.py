"""Conditional requests: ETag and Last-Modified on every read, 304 Not Modified when the
reader's copy is current, 412 when a write's If-Match is stale.

An ETag reads ``"<data version>.<request key>.<content digest>"``:

- the data version (``models/versions.py``) moves with every write, so while it has not moved a
  copy cannot be stale and the 304 is decided before any record is read or serialised;
- the request key digests what shapes the answer besides the data: path and query string,
  whether the reader sees drafts, and the response format;
- the content digest is of the representation, so a copy that survives unrelated writes still
  gets its 304 (after the body is rebuilt), and If-Match compares records by content alone.
"""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import router
from django.http import HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from agreements.models import Agreement, current_data_version

SAFE_METHODS = ("GET", "HEAD")
PUBLIC = "published"


def content_digest(data: Any) -> str:
    body = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.sha256(body).hexdigest()[:24]


@dataclass(frozen=True)
class Tag:
    version: str
    key: str
    content: str
    weak: bool

    @classmethod
    def parse_all(cls, header: str | None) -> list["Tag"]:
        tags = []
        for raw in (header or "").split(","):
            raw = raw.strip()
            weak = raw.startswith("W/")
            parts = raw.removeprefix("W/").strip('"').split(".")
            if len(parts) == 3:
                tags.append(cls(*parts, weak=weak))
        return tags

    def __str__(self) -> str:
        return f'"{self.version}.{self.key}.{self.content}"'


def content_matches(header: str | None, data: Any) -> bool:
    """If-Match: some offered strong tag has the content of ``data`` (RFC 9110 compares
    strongly: a weak tag never matches)."""
    digest = content_digest(data)
    return any(tag.content == digest and not tag.weak for tag in Tag.parse_all(header))


def tag_for_write(data: Any, request: Request, audience: str) -> str:
    """The ETag of a record just written, read in the writer's transaction."""
    version, _ = current_data_version(router.db_for_write(Agreement))
    return str(Tag(str(version), request_key(request, audience), content_digest(data), False))


def request_key(request: Request, audience: str) -> str:
    renderer = getattr(request, "accepted_renderer", None)
    shape = "|".join(
        (
            request.path,
            request.META.get("QUERY_STRING", ""),
            audience,
            getattr(renderer, "format", "") or "",
        )
    )
    return hashlib.sha256(shape.encode("utf-8", "surrogateescape")).hexdigest()[:12]


class NotModified(Exception):
    def __init__(self, tag: str | None, last_modified: datetime.datetime | None) -> None:
        self.tag, self.last_modified = tag, last_modified


class ConditionalGetMixin:
    """Reads carry ETag and Last-Modified and answer a current copy with 304."""

    def audience(self) -> str:
        """Who the answer is shaped for: everyone (published records only) or curators."""
        return "drafts" if self.sees_drafts() else PUBLIC

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.conditional = None
        if request.method not in SAFE_METHODS:
            return
        version, changed_at = current_data_version(router.db_for_read(Agreement))
        key = request_key(request, self.audience())
        offered = Tag.parse_all(request.headers.get("If-None-Match"))
        self.conditional = (str(version), key, changed_at, offered)
        for tag in offered:
            if tag.version == str(version) and tag.key == key:
                raise NotModified(str(tag), _last_modified(changed_at))
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        modified = _last_modified(changed_at)
        if not offered and since is not None and modified and modified.timestamp() <= since:
            raise NotModified(None, modified)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, NotModified):
            return _not_modified(exc.tag, exc.last_modified)
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "conditional", None) is None or request.method not in SAFE_METHODS:
            return response
        if response.status_code == status.HTTP_200_OK and isinstance(response, Response):
            response = self._validated(response)
        if response.status_code in (status.HTTP_200_OK, status.HTTP_304_NOT_MODIFIED):
            shared = self.audience() == PUBLIC
            response["Cache-Control"] = "no-cache" if shared else "private, no-cache"
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response

    def _validated(self, response: Response) -> HttpResponseBase:
        version, key, changed_at, offered = self.conditional
        tag = Tag(version, key, content_digest(response.data), False)
        modified = _last_modified(changed_at)
        if any(old.key == key and old.content == tag.content for old in offered):
            # Other data changed, this answer did not: the reader's copy is still good.
            return _not_modified(str(tag), modified)
        response["ETag"] = str(tag)
        if modified:
            response["Last-Modified"] = http_date(modified.timestamp())
        return response


def _not_modified(tag: str | None, modified: datetime.datetime | None) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    if tag:
        response["ETag"] = tag
    if modified:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response


def _last_modified(changed_at: datetime.datetime | None) -> datetime.datetime | None:
    """The second of the last change, once that second is over: HTTP dates have whole seconds,
    and a copy dated to a second that is still running could miss a change later in it."""
    if changed_at is None:
        return None
    second = changed_at.replace(microsecond=0)
    return second if timezone.now() >= second + datetime.timedelta(seconds=1) else None
