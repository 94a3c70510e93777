"""Public issuer pages: the profile, the did:web DID document and the JWKs of RSA keys."""
import json

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from badges.openbadges.vcjwt import public_jwk

from .did import build_did_document, did_for_slug
from .models import KeyAlgorithm, Organisation, SigningKey
from .selectors import published_keys


def did_document(request, slug):
    """Serve the DID document that did:web resolvers fetch for this organisation."""
    organisation = get_object_or_404(Organisation, slug=slug)
    keys = [(key.key_id, key.public_key) for key in published_keys(organisation, KeyAlgorithm.ED25519)]
    response = JsonResponse(
        build_did_document(slug=organisation.slug, keys=keys),
        content_type="application/did+json",
        json_dumps_params={"indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def profile(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    badges = [
        badge
        for badge in organisation.badges.filter(status="published").prefetch_related("versions")
    ]
    context = {"organisation": organisation, "did": did_for_slug(organisation.slug), "badges": badges}
    return render(request, "issuers/profile.html", context)


def signing_key_jwk(request, slug, key_id):
    """Serve an RSA key's public JWK: the document that a VC-JWT header ``kid`` points to.

    Retired keys stay published so that what they signed keeps verifying;
    revoked keys return 404 so that verifiers reject what they signed.
    """
    key = get_object_or_404(
        SigningKey.objects.select_related("organisation"),
        organisation__slug=slug,
        key_id=key_id,
        algorithm=KeyAlgorithm.RSA,
        revoked_at__isnull=True,
    )
    public_key = serialization.load_pem_public_key(key.public_key.encode("ascii"))
    # The same absolute URL that VC-JWT headers carry as kid, built from the configured base URL.
    kid = settings.MERKKIPAJA_BASE_URL + reverse("issuers:signing_key_jwk", kwargs={"slug": slug, "key_id": key_id})
    body = json.dumps(public_jwk(public_key, kid=kid), indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/jwk+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
