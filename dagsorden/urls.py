import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("soeg/", include("dagsorden.search.urls")),
    path(
        "log-ind/",
        auth_views.LoginView.as_view(template_name="desk/login.html"),
        name="login",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("arbejde/", include("dagsorden.desk.urls")),
    path("", include("dagsorden.publishing.urls")),
    path("", include("dagsorden.calendars.urls")),
    path("", include("dagsorden.public.urls")),
]

# Benchmark only (bench/page_bench.py): a bare Django view, the yardstick for the meeting
# page's requests per second. Absent unless DAGSORDEN_BENCH_BARE_VIEW=1 is set when the
# process starts; never set it in production.
if os.environ.get("DAGSORDEN_BENCH_BARE_VIEW") == "1":

    def bench_bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"ok", content_type="text/plain")

    urlpatterns.insert(0, path("__bench__/bare", bench_bare, name="bench_bare"))
