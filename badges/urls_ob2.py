"""Open Badges 2.0 hosted objects under /ob2/, for example for the organisation ``taitopaja``::

    /ob2/issuers/taitopaja                            Issuer profile
    /ob2/issuers/taitopaja/keys/rsa-1                 CryptographicKey
    /ob2/issuers/taitopaja/revocations                RevocationList
    /ob2/badges/<badge uuid>/versions/1               BadgeClass of one version
    /ob2/assertions/<credential uuid>                 hosted Assertion
"""
from django.urls import path

from .views import ob2

app_name = "ob2"

urlpatterns = [
    path("issuers/<slug:slug>", ob2.issuer, name="issuer"),
    path("issuers/<slug:slug>/keys/<slug:key_id>", ob2.key, name="key"),
    path("issuers/<slug:slug>/revocations", ob2.revocation_list, name="revocations"),
    path("badges/<uuid:badge_id>/versions/<int:version>", ob2.badge_class, name="badgeclass"),
    path("assertions/<uuid:credential_id>", ob2.assertion, name="assertion"),
]
