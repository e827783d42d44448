from django.urls import path

from interventions import views
from interventions.referrals import views as referral_views

app_name = "interventions"

urlpatterns = [
    path("referrals/", referral_views.awaiting, name="awaiting"),
    path("<str:crn>/unpaid-work/<int:pk>/", views.upw_page, name="upw"),
    path("<str:crn>/programme/<int:pk>/", views.programme_page, name="programme"),
    path("<str:crn>/rar/<int:pk>/", views.rar_page, name="rar"),
    path("<str:crn>/events/<str:ref>/referrals/new/", referral_views.refer, name="refer"),
    path("<str:crn>/referrals/<int:pk>/", referral_views.update, name="referral"),
]
