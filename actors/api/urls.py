from django.urls import path
from rest_framework.routers import SimpleRouter

from actors.api.views import ActorViewSet, AffiliationViewSet

app_name = "actors-api"

router = SimpleRouter()
router.register("actors", ActorViewSet)
router.register("affiliations", AffiliationViewSet)
urlpatterns = [
    path(
        "actors/<str:actor_ref>/affiliations/",
        AffiliationViewSet.as_view({"get": "for_actor"}),
        name="actor-affiliations",
    ),
    *router.urls,
]
