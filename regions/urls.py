from django.urls import path

from regions.dashboard import views
from regions.performance import outlier_views
from regions.performance import views as performance_views

app_name = "regions"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/<str:code>/", views.team_by_code, name="team-detail"),
    path("officers/<str:code>/workload/", views.officer_workload, name="officer-workload"),
    path("pdu/", views.pdu, name="pdu"),
    path("region/", views.region, name="region"),
    path("national/", views.national, name="national"),
    path(
        "performance/national/", performance_views.performance_page, {"level": "national"}, name="performance-national"
    ),
    path(
        "performance/region/<str:code>/",
        performance_views.performance_page,
        {"level": "region"},
        name="performance-region",
    ),
    path("performance/pdu/<str:code>/", performance_views.performance_page, {"level": "pdu"}, name="performance-pdu"),
    path(
        "performance/team/<str:code>/", performance_views.performance_page, {"level": "team"}, name="performance-team"
    ),
    path("performance/<str:level>/<str:code>/cases/", performance_views.performance_cases, name="performance-cases"),
    path(
        "performance/<str:level>/<str:code>/outliers/",
        outlier_views.performance_outliers,
        name="performance-outliers",
    ),
]
