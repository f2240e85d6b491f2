from conflictapi.api.routers import FormatRouter
from sources.api.views import DocumentViewSet, OutletViewSet

app_name = "sources-api"

router = FormatRouter()
router.register("outlets", OutletViewSet)
router.register("documents", DocumentViewSet)
urlpatterns = router.urls
