"""Public issuer pages: the profile and the did:web DID document."""
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .did import build_did_document, did_for_slug
from .models import KeyAlgorithm, Organisation
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
