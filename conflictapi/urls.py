from django.contrib import admin
from django.urls import path

admin.site.site_header = "Conflict data curation"
admin.site.site_title = "Conflict data"

urlpatterns = [
    path("admin/", admin.site.urls),
]
