from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from conflictapi.api.root import ApiRoot
from conflictapi.api.views import healthz, readyz

admin.site.site_header = "Conflict data curation"
admin.site.site_title = "Conflict data"
# "View site": the API's root (there is no site at /).
admin.site.site_url = "/api/v1/"
# No models' sidebar beside every page (the index lists them): a changelist's columns
# and a record's rows then have the width of a 1,280 px window.
admin.site.enable_nav_sidebar = False

api_v1 = [
    path("", ApiRoot.as_view(), name="api-root"),
    path("", include("sources.api.urls")),
    path("", include("actors.api.urls")),
    path("", include("events.api.urls")),
    path("auth/", include("conflictapi.api.auth_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from its own URL, not inline
    # (the Content-Security-Policy allows no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="conflictapi/redoc.html"),
        name="redoc",
    ),
]

# A newcomer at / or /api/ is sent to the API's root, which links everything else.
to_api_root = RedirectView.as_view(pattern_name="api-root", permanent=False)


class Favicon(RedirectView):
    # Resolved per request: the manifest of hashed names is read once collected.
    def get_redirect_url(self, *args, **kwargs):
        return static("conflictapi/favicon.svg")


urlpatterns = [
    path("", to_api_root),
    path("api/", to_api_root),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/acled/", include("interop.urls")),
    path("api/ucdp/", include("interop.ucdp_urls")),
    # Browsers ask every site for one, whatever its pages link.
    path("favicon.ico", Favicon.as_view()),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

handler404 = "conflictapi.api.views.not_found"
