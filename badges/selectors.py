"""Read queries for badges and credentials."""
import json
import uuid

from django.http import Http404

from issuers.models import Organisation

from .models import BadgeClass, BadgeStatus, Credential


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
        .select_related("badge_version__badge", "organisation")
        .first()
    )
    if credential is None:
        raise Http404("No such credential in this organisation.")
    return credential


def credential_for_public(credential_id) -> Credential:
    credential = (
        Credential.objects.filter(id=credential_id)
        .select_related("badge_version__badge", "badge_version__image", "organisation", "signing_key")
        .first()
    )
    if credential is None:
        raise Http404("No such credential.")
    return credential


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
