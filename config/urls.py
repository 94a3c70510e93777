from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from badges.urls import public_patterns, staff_patterns
from issuers.views_members import invitation_accept

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("staff/", include(staff_patterns)),
    # Public on purpose: the invited person may not have an account yet.
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
    path("issuers/", include("issuers.urls")),
    path("ob2/", include("badges.urls_ob2")),
    path("", include("badges.urls_formats")),
    path("admin/", admin.site.urls),
    *public_patterns,
]
