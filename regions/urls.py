from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/<str:code>/", views.team_by_code, name="team-detail"),
    path("officers/<str:code>/workload/", views.officer_workload, name="officer-workload"),
    path("pdu/", views.pdu, name="pdu"),
    path("region/", views.region, name="region"),
    path("national/", views.national, name="national"),
]
