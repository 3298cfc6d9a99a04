from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("soeg/", include("dagsorden.search.urls")),
    path("", include("dagsorden.publishing.urls")),
    path("", include("dagsorden.calendars.urls")),
    path("", include("dagsorden.public.urls")),
]
