from django.urls import path

from . import views

app_name = "issuers"

urlpatterns = [
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/did.json", views.did_document, name="did_document"),
]
