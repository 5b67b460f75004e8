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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include(router.urls)),
]
