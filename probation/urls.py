from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from probation import account_views, views
from probation.forms import SignInForm

admin.site.site_header = "Manage people on probation: administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.account, name="account"),
    path("account/sign-out-everywhere/", account_views.sign_out_everywhere, name="sign-out-everywhere"),
    path("session/", account_views.session_status, name="session-status"),
    path("session/stay-signed-in/", account_views.stay_signed_in, name="stay-signed-in"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("admin-home/", views.admin_home, name="admin-home"),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("interventions/", include("interventions.urls")),
    path("", include("regions.urls")),
]

handler400 = "probation.views.bad_request"
handler500 = "probation.views.server_error"
