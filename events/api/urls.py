from django.urls import path
from rest_framework.routers import SimpleRouter

from events.api.views import EventTypeViewSet, EventViewSet, PlaceViewSet

app_name = "events-api"

router = SimpleRouter()
router.register("events", EventViewSet)
router.register("event-types", EventTypeViewSet)
router.register("places", PlaceViewSet)
urlpatterns = [
    path(
        "actors/<str:actor_ref>/events/",
        EventViewSet.as_view({"get": "for_actor"}),
        name="actor-events",
    ),
    *router.urls,
]
