from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Agreement Tracker"
admin.site.site_title = "Agreement Tracker"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("agreements.api.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

handler400 = "agreements.api.errors.bad_request"
handler403 = "agreements.api.errors.permission_denied"
handler404 = "agreements.api.errors.page_not_found"
handler500 = "agreements.api.errors.server_error"
