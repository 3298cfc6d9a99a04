from django.urls import path

from dagsorden.calendars import views

app_name = "calendars"
urlpatterns = [
    path("kalender.ics", views.all_forums_feed, name="all"),
    path("kalender/<slug:slug>.ics", views.forum_feed, name="forum"),
]
