from django.urls import path

from interop.views import ActorRead, ActorTypeRead, CountryRead, DeletedRead, EventsRead, RegionRead

app_name = "acled"

urlpatterns = [
    path("acled/read", EventsRead.as_view(), name="acled-read"),
    path("deleted/read", DeletedRead.as_view(), name="deleted-read"),
    path("actor/read", ActorRead.as_view(), name="actor-read"),
    path("actortype/read", ActorTypeRead.as_view(), name="actortype-read"),
    path("country/read", CountryRead.as_view(), name="country-read"),
    path("region/read", RegionRead.as_view(), name="region-read"),
]
