from django.urls import path

from dagsorden.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("sager/ny/", views.case_new, name="case_new"),
    path("sager/<int:pk>/", views.case_detail, name="case"),
    path("sager/<int:pk>/kvalitet/", views.case_quality, name="case_quality"),
    path("sager/<int:pk>/handling/", views.case_flow, name="case_flow"),
    path("sager/<int:pk>/indsaet/", views.case_paste, name="case_paste"),
    path("moeder/nyt/", views.meeting_new, name="meeting_new"),
    path("moeder/<int:pk>/", views.meeting_builder, name="meeting"),
    path("moeder/<int:pk>/placer/", views.meeting_place, name="meeting_place"),
    path("moeder/<int:pk>/offentliggoer/", views.meeting_publish, name="meeting_publish"),
    path("moeder/<int:pk>/punkter/<int:item_pk>/flyt/", views.meeting_move, name="meeting_move"),
    path("moeder/<int:pk>/punkter/<int:item_pk>/tid/", views.meeting_timing, name="meeting_timing"),
    path(
        "moeder/<int:pk>/punkter/<int:item_pk>/fjern/", views.meeting_remove, name="meeting_remove"
    ),
    path("moeder/<int:pk>/referat/", views.minutes, name="minutes"),
    path(
        "moeder/<int:pk>/referat/punkter/<int:item_pk>/ret/",
        views.minutes_amend,
        name="minutes_amend",
    ),
]
