from django.urls import path

from interventions import views

app_name = "interventions"

urlpatterns = [
    path("<str:crn>/unpaid-work/<int:pk>/", views.upw_page, name="upw"),
]
