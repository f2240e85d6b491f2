from django.urls import path

from interop.ucdp_views import GedEventsView

app_name = "ucdp-api"

urlpatterns = [
    path("gedevents/<str:version>", GedEventsView.as_view(), name="gedevents"),
]
