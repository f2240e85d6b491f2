from conflictapi.api.routers import FormatRouter, paths_with_formats
from events.api.views import EventTypeViewSet, EventViewSet, PlaceViewSet

app_name = "events-api"

router = FormatRouter()
router.register("events", EventViewSet)
router.register("event-types", EventTypeViewSet)
router.register("places", PlaceViewSet)
urlpatterns = [
    *paths_with_formats(
        "actors/<str:actor_ref>/events/", EventViewSet, "for_actor", "actor-events"
    ),
    *router.urls,
]
