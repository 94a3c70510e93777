"""Absolute public URLs, built from ``MERKKIPAJA_BASE_URL``.

Ids inside signed credentials use these, so they must not depend on the
host name of the request that happened to issue the badge.
"""
from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return f"{settings.MERKKIPAJA_BASE_URL}{path}"


def credential_url(credential_id) -> str:
    return absolute(reverse("credential", kwargs={"credential_id": credential_id}))


def achievement_url(badge_public_id, version_number: int) -> str:
    return absolute(
        reverse("achievement", kwargs={"badge_id": badge_public_id, "version": version_number})
    )


def badge_public_id(badge, *, under_network: bool):
    """Return the id that a badge's public addresses use: its network id when issued under a network."""
    return badge.network_public_id if under_network else badge.public_id


def image_url(image) -> str:
    return absolute(reverse("image", kwargs={"sha256": image.sha256, "extension": image.extension}))


def organisation_url(slug: str) -> str:
    return absolute(reverse("issuers:profile", kwargs={"slug": slug}))
