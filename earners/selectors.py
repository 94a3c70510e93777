"""Read queries of the backpack."""
from django.http import Http404

from badges.models import Credential

from .models import Earner


def backpack_credentials(earner: Earner) -> list[Credential]:
    """Return every badge the earner has claimed, from every organisation, newest first."""
    return list(
        Credential.objects.filter(claim__earner=earner)
        .select_related("badge_version__image", "organisation", "issuer_profile", "claim")
        .order_by("-issued_on", "-created_at")
    )


def backpack_credential(earner: Earner, credential_id) -> Credential:
    """Return one of the earner's badges; another earner's badge is "not found", never "forbidden"."""
    credential = (
        Credential.objects.filter(claim__earner=earner, id=credential_id)
        .select_related("badge_version__badge", "badge_version__image", "organisation", "issuer_profile", "signing_key", "claim")
        .first()
    )
    if credential is None:
        raise Http404("No such badge in this passport.")
    return credential
