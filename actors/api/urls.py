from actors.api.views import ActorViewSet, AffiliationViewSet
from conflictapi.api.routers import FormatRouter, paths_with_formats

app_name = "actors-api"

router = FormatRouter()
router.register("actors", ActorViewSet)
router.register("affiliations", AffiliationViewSet)
urlpatterns = [
    *paths_with_formats(
        "actors/<str:actor_ref>/affiliations/",
        AffiliationViewSet,
        "for_actor",
        "actor-affiliations",
    ),
    *router.urls,
]
