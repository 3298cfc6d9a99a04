from django.contrib import admin
from django.contrib.auth import views as auth_views
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
