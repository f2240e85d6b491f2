from rest_framework.routers import SimpleRouter

from sources.api.views import DocumentViewSet, OutletViewSet

app_name = "sources-api"

router = SimpleRouter()
router.register("outlets", OutletViewSet)
router.register("documents", DocumentViewSet)
urlpatterns = router.urls
