from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agreements.api import views

router = DefaultRouter()
router.register("countries", views.CountryViewSet, basename="country")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("places", views.PlaceViewSet, basename="place")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("offices", views.OfficeViewSet, basename="office")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("events", views.EventViewSet, basename="event")
router.register("commissions", views.CommissionViewSet, basename="commission")
router.register("claims", views.CountClaimViewSet, basename="claim")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("sources", views.SourceViewSet, basename="source")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("relations", views.RelationViewSet, basename="relation")


class SwaggerPage(SpectacularSwaggerView):
    # HTML pages: OPTIONS would render its metadata through the page's template, which the
    # Swagger view has only for GET (a 500); 405 for it, as for any write.
    http_method_names = ["get", "head"]


class RedocPage(SpectacularRedocView):
    http_method_names = ["get", "head"]


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerPage.as_view(url_name="schema"), name="docs"),
    path("redoc/", RedocPage.as_view(url_name="schema"), name="redoc"),
    path("", include(router.urls)),
]
