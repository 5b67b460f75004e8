"""The admin's "Ingest article" page: paste or upload, then land on the draft records."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from agreements.extraction.reading import (
    MAX_BYTES,
    UnreadableArticle,
    read_article_bytes,
    read_article_text,
)
from agreements.ingestion import IngestError, ingest_article


class IngestForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14, "cols": 90}), required=False)
    file = forms.FileField(required=False, help_text="Or a file: text, HTML, up to 2 MB.")
    title = forms.CharField(max_length=300, required=False, help_text="Empty: the first line.")
    url = forms.URLField(max_length=500, required=False, assume_scheme="https")
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        required=False, help_text="YYYY-MM-DD; resolves “on Thursday” to a date."
    )

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                if upload.size > MAX_BYTES:  # refused before it is read into memory
                    raise UnreadableArticle(f"larger than 2 MB ({upload.size:,} bytes)")
                read = read_article_bytes(upload.read(MAX_BYTES + 1))
            except UnreadableArticle as error:
                raise forms.ValidationError({"file": f"{upload.name}: {error}"}) from error
            data["text"] = read.text
            data["published_on"] = data.get("published_on") or read.published_on
        elif data.get("text"):
            try:
                read = read_article_text(data["text"])
            except UnreadableArticle as error:
                raise forms.ValidationError({"text": str(error)}) from error
            data["text"] = read.text
        else:
            raise forms.ValidationError("Paste the article's text or choose its file.")
        return data


def ingest_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("agreements.add_source"):
        raise PermissionDenied
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "title": "Ingest article",
    }
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = ingest_article(
                data["text"],
                title=data["title"],
                url=data["url"],
                publisher=data["publisher"],
                published_on=data["published_on"],
                user=request.user,
            )
        except IngestError as error:
            form.add_error(None, str(error))
        else:
            context.update(result=result, created=_created_links(result))
    context["form"] = form
    return TemplateResponse(request, "admin/agreements/source/ingest.html", context)


def _created_links(result: Any) -> list[dict]:
    groups = []
    for kind, records in result.records.items():
        if kind in {"official names", "place names", "sources"}:
            continue
        links = []
        for record in records:
            opts = record._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            links.append({"url": url, "label": str(record)})
        groups.append({"label": kind.capitalize(), "records": links})
    return groups
