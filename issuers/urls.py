from django.urls import path, re_path

from . import views

app_name = "issuers"

urlpatterns = [
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/did.json", views.did_document, name="did_document"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/keys/(?P<key_id>[-a-zA-Z0-9_.]+)\.jwk$",
        views.signing_key_jwk,
        name="signing_key_jwk",
    ),
]
