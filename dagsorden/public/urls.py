from django.urls import path

from dagsorden.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("sag/<str:journal_number>/", views.case, name="case"),
    path("kalender/", views.calendar_month, name="calendar"),
    path("kalender/<int:year>/<int:month>/", views.calendar_month, name="calendar_month"),
    path("<slug:slug>/", views.forum, name="forum"),
    path("<slug:slug>/<str:key>/", views.meeting, name="meeting"),
    path("<slug:slug>/<str:key>/punkt-<int:number>/", views.item, name="item"),
]
