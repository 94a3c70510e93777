"""Credentials issued by the app verify in Digital Bazaar's implementation.

The verifier resolves the issuer's did:web DID document from a live test
server, exactly as a wallet would resolve it from our public address.
"""
import json

import pytest

from badges.models import BadgeStatus
from badges.services import badge_create, credential_issue
from issuers.services import image_store, organisation_create
from issuers.images import clean_image
from badges.demo_images import emblem_svg
from tests.conftest import make_content

from .dbverify import ensure_node_modules, verify_with_digitalbazaar

pytestmark = [pytest.mark.interop, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served_credential(live_server, settings):
    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja", name="Taitopaja ry", url="https://taitopaja.example.fi", email="info@taitopaja.example.fi"
    )
    image = image_store(image=clean_image(emblem_svg("DT", "#0b4f8a")))
    badge = badge_create(
        organisation=organisation,
        slug="tiedonhaku",
        content=make_content(image, validity_months=24),
        status=BadgeStatus.PUBLISHED,
    )
    credential = credential_issue(
        badge=badge,
        recipient_name="Maija Meikäläinen",
        recipient_email="maija@example.fi",
        evidence_narrative="Haki tietoa.",
        evidence_url="https://example.org/evidence",
    )
    ensure_node_modules()
    return live_server.url, json.loads(credential.document)


def test_issued_credential_verifies(served_credential):
    origin, document = served_credential

    result = verify_with_digitalbazaar(document, did_web_origin=origin)

    assert result["verified"] is True, result["errors"]
    assert result["exit_code"] == 0


@pytest.mark.parametrize(
    "path, value",
    [
        (("name",), "Digitaalinen tiedonhakuu"),
        (("credentialSubject", "identifier", 1, "identityHash"), "Mikko Meikäläinen"),
        (("credentialSubject", "achievement", "criteria", "narrative"), "Ei kriteerejä"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("issuer", "name"), "Väärä järjestö"),
    ],
)
def test_tampered_credential_fails(served_credential, path, value):
    origin, document = served_credential
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    result = verify_with_digitalbazaar(document, did_web_origin=origin)

    assert result["verified"] is False
    assert result["exit_code"] == 1


def test_changed_signature_fails(served_credential):
    origin, document = served_credential
    proof_value = document["proof"][0]["proofValue"]
    document["proof"][0]["proofValue"] = proof_value[:-2] + ("A" if proof_value[-2] != "A" else "B") + proof_value[-1]

    result = verify_with_digitalbazaar(document, did_web_origin=origin)

    assert result["verified"] is False


def test_network_issued_credential_verifies(live_server, settings):
    from issuers.services import network_create, network_membership_set

    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja", name="Taitopaja ry", url="https://taitopaja.example.fi", email="info@taitopaja.example.fi"
    )
    network = network_create(
        slug="verkosto", name="Pirkanmaan järjestöverkosto", url="https://verkosto.example.fi",
        email="info@verkosto.example.fi",
    )
    network_membership_set(organisation=organisation, network=network, may_issue=True)
    organisation.refresh_from_db()
    image = image_store(image=clean_image(emblem_svg("DT", "#0b4f8a")))
    badge = badge_create(
        organisation=organisation, slug="tiedonhaku", content=make_content(image), status=BadgeStatus.PUBLISHED
    )
    credential = credential_issue(badge=badge, recipient_name="Maija Meikäläinen", issue_as_network=True)
    ensure_node_modules()
    document = json.loads(credential.document)

    result = verify_with_digitalbazaar(document, did_web_origin=live_server.url)

    assert document["issuer"]["id"].endswith(":issuers:verkosto")
    assert result["verified"] is True, result["errors"]
    assert result["exit_code"] == 0
