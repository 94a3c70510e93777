"""The earner's Osaamispassi (competence passport) under /passi/.

Finnish words in the paths: the service is Finnish first, and "passi" is
short enough to type from a printed claim card.
"""
from django.urls import path

from . import views

app_name = "earners"

urlpatterns = [
    path("", views.home, name="home"),
    path("kirjaudu/", views.sign_in_page, name="sign_in"),
    path("kirjaudu/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("ulos/", views.sign_out_view, name="sign_out"),
    path("lunasta/<str:token>/", views.claim_link, name="claim_link"),
    path("koodi/", views.claim_code, name="claim_code"),
    path("merkit/<uuid:credential_id>/", views.badge, name="badge"),
    path("merkit/<uuid:credential_id>/lunasta/", views.claim_address, name="claim_address"),
    path("merkit/<uuid:credential_id>/tiedostot/<slug:fmt>", views.badge_download, name="badge_download"),
    path("osoitteet/", views.emails, name="emails"),
    path("osoitteet/<int:email_id>/poista/", views.email_remove, name="email_remove"),
    path("osoitteet/vahvista/<str:token>/", views.email_verify, name="email_verify"),
    path("tili/", views.account, name="account"),
    path("tili/tiedot.zip", views.export_data, name="export"),
    path("tili/poista/", views.delete_account, name="delete"),
]
