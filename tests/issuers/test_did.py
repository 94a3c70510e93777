import json

import pytest

from badges.openbadges.keys import parse_did_document
from issuers.did import did_for_slug, slug_for_did
from issuers.models import SigningKey


def test_did_encodes_port(settings):
    settings.MERKKIPAJA_BASE_URL = "http://127.0.0.1:8000"
    assert did_for_slug("taitopaja") == "did:web:127.0.0.1%3A8000:issuers:taitopaja"


def test_did_with_path(settings):
    settings.MERKKIPAJA_BASE_URL = "https://merkit.example.fi/palvelu"
    assert did_for_slug("abc") == "did:web:merkit.example.fi:palvelu:issuers:abc"


def test_slug_for_did_rejects_foreign(settings):
    settings.MERKKIPAJA_BASE_URL = "https://merkit.example.fi"
    assert slug_for_did("did:web:merkit.example.fi:issuers:abc") == "abc"
    assert slug_for_did("did:web:evil.example:issuers:abc") is None
    assert slug_for_did("did:web:merkit.example.fi:issuers:") is None
    assert slug_for_did("did:key:z6Mk") is None


@pytest.mark.django_db
def test_did_document_served(client, organisation):
    response = client.get(f"/issuers/{organisation.slug}/did.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    document = json.loads(response.content)
    key = SigningKey.objects.get(organisation=organisation, algorithm="Ed25519")
    method_id = f"{did_for_slug(organisation.slug)}#{key.key_id}"
    assert document["id"] == did_for_slug(organisation.slug)
    assert document["assertionMethod"] == [method_id]
    resolved = parse_did_document(document, method_id)
    assert resolved.controller == document["id"]


@pytest.mark.django_db
def test_did_document_omits_revoked_keys(client, organisation):
    SigningKey.objects.filter(organisation=organisation).update(revocation_reason="lost", revoked_at="2026-01-01T00:00:00Z")

    document = client.get(f"/issuers/{organisation.slug}/did.json").json()

    assert document["verificationMethod"] == []
    assert document["assertionMethod"] == []


@pytest.mark.django_db
def test_unknown_organisation_404(client):
    assert client.get("/issuers/nobody/did.json").status_code == 404
