"""Read queries for badges and credentials."""
import json
import uuid

from django.http import Http404

from issuers.models import Organisation

from .models import BadgeClass, BadgeStatus, BadgeVersion, Credential


def badges_for_organisation(organisation: Organisation) -> list[BadgeClass]:
    return list(
        BadgeClass.objects.filter(organisation=organisation)
        .prefetch_related("versions")
        .order_by("status", "slug")
    )


def recent_credentials(organisation: Organisation, *, limit: int) -> list[Credential]:
    return list(
        Credential.objects.filter(organisation=organisation)
        .select_related("badge_version")
        .defer("document")
        .order_by("-created_at")[:limit]
    )


def credential_for_staff(*, organisation: Organisation, credential_id) -> Credential:
    credential = (
        Credential.objects.filter(organisation=organisation, id=credential_id)
        .select_related("badge_version__badge", "organisation", "issuer_profile")
        .first()
    )
    if credential is None:
        raise Http404("No such credential in this organisation.")
    return credential


def credential_for_public(credential_id) -> Credential:
    credential = (
        Credential.objects.filter(id=credential_id)
        .select_related(
            "badge_version__badge", "badge_version__image", "organisation", "issuer_profile__logo", "signing_key"
        )
        .first()
    )
    if credential is None:
        raise Http404("No such credential.")
    return credential


def badge_version_for_public(badge_id, number: int) -> tuple[BadgeVersion, Organisation]:
    """Find a badge version by either public id and return it with the issuer profile to show.

    A badge's ``public_id`` shows the organisation. Its ``network_public_id``
    shows the network issuer profile that the badge was issued under, so
    that the addresses inside a network-issued credential never lead to
    the organisation. Raises Http404 when neither id matches.
    """
    version = (
        BadgeVersion.objects.filter(badge__public_id=badge_id, number=number)
        .select_related("badge__organisation__logo", "image")
        .first()
    )
    if version is not None:
        return version, version.badge.organisation
    version = (
        BadgeVersion.objects.filter(badge__network_public_id=badge_id, number=number)
        .select_related("badge__organisation__network__logo", "image")
        .first()
    )
    if version is None:
        raise Http404("No such badge version.")
    network = _network_of_badge(version.badge)
    if network is None:
        raise Http404("No such badge version.")
    return version, network


def _network_of_badge(badge: BadgeClass) -> Organisation | None:
    # The profile that actually signed comes first: the organisation may
    # have left the network after issuing.
    issued = (
        Credential.objects.filter(badge_version__badge=badge, issuer_profile__is_network=True)
        .select_related("issuer_profile__logo")
        .order_by("created_at")
        .first()
    )
    if issued is not None:
        return issued.issuer_profile
    return badge.organisation.network


def credential_document(credential: Credential) -> dict:
    return json.loads(credential.document)


def published_badges(organisation: Organisation) -> list[BadgeClass]:
    return list(BadgeClass.objects.filter(organisation=organisation, status=BadgeStatus.PUBLISHED))


def find_badge(identifier: str) -> BadgeClass | None:
    """Find a badge by its numeric id, public UUID or slug (``org/slug`` when slugs clash)."""
    identifier = identifier.strip()
    queryset = BadgeClass.objects.select_related("organisation")
    if identifier.isdigit():
        return queryset.filter(pk=int(identifier)).first()
    if "/" in identifier:
        organisation_slug, _sep, badge_slug = identifier.partition("/")
        return queryset.filter(organisation__slug=organisation_slug, slug=badge_slug).first()
    try:
        return queryset.filter(public_id=uuid.UUID(identifier)).first()
    except ValueError:
        pass
    matches = list(queryset.filter(slug=identifier)[:2])
    return matches[0] if len(matches) == 1 else None


def find_credential(identifier: str) -> Credential | None:
    """Find a credential by its UUID or by its ``id`` URL (``…/credentials/<uuid>``)."""
    text = (identifier or "").strip().rstrip("/")
    candidate = text.rsplit("/", 1)[-1]
    try:
        credential_id = uuid.UUID(candidate)
    except ValueError:
        return None
    return (
        Credential.objects.filter(id=credential_id)
        .select_related("organisation", "badge_version__badge", "revocation_entry__status_list")
        .first()
    )
