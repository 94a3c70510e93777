import datetime
import json
import uuid

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.utils import timezone

from badges import ob2
from badges.models import Credential
from badges.openbadges import jws
from badges.openbadges.dates import parse_datetime
from badges.openbadges.ob2 import signed_assertion_id
from badges.openbadges.recipient import hash_identity
from badges.services import credential_issue
from issuers.models import KeyAlgorithm
from issuers.services import signing_key_revoke, signing_keys_rotate

BADGECHECK_ACCEPT = "application/ld+json, application/json, image/png, image/svg+xml"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def assertion_path(credential_id):
    return f"/ob2/assertions/{credential_id}"


def get_json(client, path, accept=BADGECHECK_ACCEPT):
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def signed_payload(credential):
    return json.loads(jws.decode_unverified(credential.ob2_jws)[1])


def hosted(credential):
    return json.loads(credential.ob2_assertion)


# Content negotiation


def test_assertion_served_byte_for_byte(client, credential):
    response = client.get(assertion_path(credential.id), HTTP_ACCEPT=BADGECHECK_ACCEPT)

    assert response.status_code == 200
    assert response.content == credential.ob2_assertion.encode("utf-8")


def test_assertion_served_as_stored_not_rebuilt(client, credential):
    stored = credential.ob2_assertion.replace('"type": "Assertion"', '"type":  "Assertion"')
    Credential.objects.filter(id=credential.id).update(ob2_assertion=stored)

    response = client.get(assertion_path(credential.id), HTTP_ACCEPT=BADGECHECK_ACCEPT)

    assert response.content == stored.encode("utf-8")


@pytest.mark.parametrize(
    "accept, media_type",
    [
        (BADGECHECK_ACCEPT, "application/ld+json"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/json"),
        ("application/vc+ld+json", "application/ld+json"),
        ("*/*", "application/ld+json"),
        ("", "application/ld+json"),
    ],
)
def test_assertion_media_type(client, credential, accept, media_type):
    response = client.get(assertion_path(credential.id), HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"


def test_json_has_cors_and_vary(client, credential):
    response = client.get(assertion_path(credential.id), HTTP_ACCEPT=BADGECHECK_ACCEPT)

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize(
    "path, target",
    [
        ("/ob2/assertions/{credential}", "/credentials/{credential}"),
        ("/ob2/badges/{badge}/versions/1", "/badges/{badge}/versions/1"),
        ("/ob2/issuers/taitopaja", "/issuers/taitopaja/"),
    ],
)
def test_browser_redirected_to_human_page(client, credential, path, target):
    values = {"credential": credential.id, "badge": credential.badge_version.badge.public_id}

    response = client.get(path.format(**values), HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 303
    assert response["Location"] == target.format(**values)


@pytest.mark.parametrize("path", ["/ob2/issuers/taitopaja/keys/rsa-1", "/ob2/issuers/taitopaja/revocations"])
def test_browser_gets_json_without_human_page(client, credential, path):
    response = client.get(path, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"


def test_html_with_zero_quality_not_redirected(client, credential):
    response = client.get(assertion_path(credential.id), HTTP_ACCEPT="text/html;q=0, */*")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/ob2/assertions/00000000-0000-4000-8000-000000000000",
        "/ob2/badges/00000000-0000-4000-8000-000000000000/versions/1",
        "/ob2/badges/{badge}/versions/9",
        "/ob2/issuers/nobody",
        "/ob2/issuers/taitopaja/keys/rsa-9",
        "/ob2/issuers/taitopaja/keys/key-1",
        "/ob2/issuers/nobody/revocations",
    ],
)
def test_unknown_id_json_404(client, credential, path):
    path = path.format(badge=credential.badge_version.badge.public_id)

    response = client.get(path, HTTP_ACCEPT=BADGECHECK_ACCEPT)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content)["code"] == "not_found"
    assert path in json.loads(response.content)["detail"]


def test_unknown_id_browser_404(client, db):
    response = client.get(assertion_path(uuid.uuid4()), HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_credential_without_ob2_assertion_404(client, credential):
    Credential.objects.filter(id=credential.id).update(ob2_assertion="")

    response = client.get(assertion_path(credential.id), HTTP_ACCEPT=BADGECHECK_ACCEPT)

    assert response.status_code == 404


def test_head_allowed_post_rejected(client, credential):
    assert client.head(assertion_path(credential.id), HTTP_ACCEPT=BADGECHECK_ACCEPT).status_code == 200
    assert client.post(assertion_path(credential.id)).status_code == 405


# The hosted assertion


def test_assertion_id_is_its_address(credential):
    assert hosted(credential)["id"] == f"http://127.0.0.1:8000/ob2/assertions/{credential.id}"


def test_assertion_badge_is_badge_class_url(client, credential):
    badge_url = hosted(credential)["badge"]

    badge_class = get_json(client, badge_url.removeprefix("http://127.0.0.1:8000"))

    assert badge_class["id"] == badge_url


def test_recipient_hash_of_lowercased_email(credential):
    recipient = hosted(credential)["recipient"]

    assert recipient["type"] == "email"
    assert recipient["hashed"] is True
    assert recipient["identity"] == hash_identity("maija.meikalainen@example.fi", recipient["salt"])


def test_recipient_hash_is_lowercase_hex(credential):
    digest = hosted(credential)["recipient"]["identity"].removeprefix("sha256$")

    assert len(digest) == 64
    assert digest == digest.lower()


def test_recipient_matches_ob3_credential(credential):
    identifier = json.loads(credential.document)["credentialSubject"]["identifier"][0]

    assert hosted(credential)["recipient"]["identity"] == identifier["identityHash"]
    assert hosted(credential)["recipient"]["salt"] == identifier["salt"]


def test_issued_on_carries_zone_and_is_past(credential):
    issued_on = hosted(credential)["issuedOn"]

    assert issued_on.endswith("Z")
    assert parse_datetime(issued_on) <= timezone.now()


def test_backdated_issued_on(badge, yesterday):
    credential = credential_issue(badge=badge, recipient_name="Maija", issued_on=yesterday)

    assert parse_datetime(hosted(credential)["issuedOn"]) == credential.valid_from


def test_expires_carries_zone(expiring_badge):
    credential = credential_issue(badge=expiring_badge, recipient_name="Maija")
    expires = hosted(credential)["expires"]

    assert expires.endswith("Z")
    assert parse_datetime(expires) == credential.valid_until


def test_evidence(credential):
    assert hosted(credential)["evidence"] == [
        {"id": "https://example.org/evidence/1", "narrative": "Haki tietoa kirjaston verkkopalvelusta."}
    ]


def test_no_evidence_omitted(badge):
    credential = credential_issue(badge=badge, recipient_name="Maija")

    assert "evidence" not in hosted(credential)


def test_credential_without_email(badge):
    credential = credential_issue(badge=badge, recipient_name="Maija Meikäläinen")
    recipient = hosted(credential)["recipient"]

    assert recipient["type"] == "id"
    assert recipient["hashed"] is True
    assert recipient["identity"] == hash_identity(credential.subject_id, recipient["salt"])


def test_credential_without_email_signed_recipient_same(badge):
    credential = credential_issue(badge=badge, recipient_name="Maija Meikäläinen")

    assert signed_payload(credential)["recipient"] == hosted(credential)["recipient"]


# The signed assertion


def test_signed_assertion_differs_only_in_id_and_verification(credential):
    payload = signed_payload(credential)
    expected = {
        **hosted(credential),
        "id": signed_assertion_id(credential.id),
        "verification": {
            "type": "SignedBadge",
            "creator": f"http://127.0.0.1:8000/ob2/issuers/taitopaja/keys/{credential.jws_signing_key.key_id}",
        },
    }

    assert payload == expected


def test_jws_verifies_with_served_pem(client, credential):
    creator = signed_payload(credential)["verification"]["creator"]
    key_document = get_json(client, creator.removeprefix("http://127.0.0.1:8000"))
    public_key = load_pem_public_key(key_document["publicKeyPem"].encode())

    header, _payload = jws.verify_compact(credential.ob2_jws, public_key=public_key)

    assert header == {"alg": "RS256"}


def test_jws_rejects_other_organisation_key(credential, other_organisation):
    other_key = other_organisation.signing_keys.get(algorithm=KeyAlgorithm.RSA)

    with pytest.raises(jws.JwsSignatureError):
        jws.verify_compact(credential.ob2_jws, public_key=load_pem_public_key(other_key.public_key.encode()))


def test_forms_reject_ed25519_key(credential):
    ed25519_key = credential.signing_key

    with pytest.raises(ValueError, match="RSA"):
        ob2.ob2_assertion_forms(credential, signing_key=ed25519_key)


# Issuer, badge class, key and revocation list


def test_issuer_document(client, credential):
    issuer = get_json(client, "/ob2/issuers/taitopaja")

    assert issuer["type"] == "Issuer"
    assert issuer["id"] == "http://127.0.0.1:8000/ob2/issuers/taitopaja"
    assert issuer["name"] == "Taitopaja ry"
    assert issuer["url"] == "https://taitopaja.example.fi"
    assert issuer["email"] == "info@taitopaja.example.fi"
    assert issuer["revocationList"] == "http://127.0.0.1:8000/ob2/issuers/taitopaja/revocations"


def test_issuer_lists_signing_key(client, credential):
    issuer = get_json(client, "/ob2/issuers/taitopaja")

    assert signed_payload(credential)["verification"]["creator"] in issuer["publicKey"]


def test_issuer_scope_covers_assertion_ids(client, credential):
    verification = get_json(client, "/ob2/issuers/taitopaja")["verification"]

    assert hosted(credential)["id"].startswith(verification["startsWith"])
    # A base URL with a port cannot be named in allowedOrigins; the
    # verifier's default (the issuer id's host and port) covers it.
    assert "allowedOrigins" not in verification


def test_issuer_allowed_origins_for_host_name(client, credential, settings):
    settings.MERKKIPAJA_BASE_URL = "https://merkit.example.fi"

    verification = get_json(client, "/ob2/issuers/taitopaja")["verification"]

    assert verification == {
        "type": "VerificationObject",
        "allowedOrigins": ["merkit.example.fi"],
        "startsWith": "https://merkit.example.fi/ob2/assertions/",
    }


def test_issuer_keeps_retired_key_drops_revoked(client, credential):
    old_key = credential.jws_signing_key
    signing_keys_rotate(organisation=credential.organisation)
    new_key = credential.organisation.signing_keys.get(algorithm=KeyAlgorithm.RSA, retired_at__isnull=True)
    signing_key_revoke(key=new_key, reason="Vuotanut.")

    public_keys = get_json(client, "/ob2/issuers/taitopaja")["publicKey"]

    assert f"http://127.0.0.1:8000/ob2/issuers/taitopaja/keys/{old_key.key_id}" in public_keys
    assert f"http://127.0.0.1:8000/ob2/issuers/taitopaja/keys/{new_key.key_id}" not in public_keys


def test_revoked_key_not_served(client, credential):
    signing_key_revoke(key=credential.jws_signing_key, reason="Vuotanut.")

    path = f"/ob2/issuers/taitopaja/keys/{credential.jws_signing_key.key_id}"

    response = client.get(path, HTTP_ACCEPT=BADGECHECK_ACCEPT)

    assert response.status_code == 404


def test_key_document(client, credential):
    key = credential.jws_signing_key

    document = get_json(client, f"/ob2/issuers/taitopaja/keys/{key.key_id}")

    assert document == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "CryptographicKey",
        "id": f"http://127.0.0.1:8000/ob2/issuers/taitopaja/keys/{key.key_id}",
        "owner": "http://127.0.0.1:8000/ob2/issuers/taitopaja",
        "publicKeyPem": key.public_key,
    }


def test_badge_class_document(client, credential):
    version = credential.badge_version
    path = f"/ob2/badges/{version.badge.public_id}/versions/{version.number}"

    badge_class = get_json(client, path)

    assert badge_class["issuer"] == "http://127.0.0.1:8000/ob2/issuers/taitopaja"
    assert badge_class["name"] == "Digitaalinen tiedonhaku"
    assert badge_class["description"] == "Tiedon hakeminen verkosta."
    assert badge_class["image"].startswith("http://127.0.0.1:8000/images/")
    assert badge_class["tags"] == ["Digitaidot"]


def test_badge_class_matches_ob3_achievement(client, credential):
    version = credential.badge_version
    achievement = json.loads(credential.document)["credentialSubject"]["achievement"]

    badge_class = get_json(client, f"/ob2/badges/{version.badge.public_id}/versions/{version.number}")

    assert badge_class["criteria"]["narrative"] == achievement["criteria"]["narrative"]
    assert badge_class["criteria"]["id"] == achievement["id"]
    assert badge_class["image"] == achievement["image"]["id"]
    assert [item["targetCode"] for item in badge_class["alignment"]] == [
        item["targetCode"] for item in achievement["alignment"]
    ]


def test_badge_class_alignment_fields(client, credential):
    version = credential.badge_version

    badge_class = get_json(client, f"/ob2/badges/{version.badge.public_id}/versions/{version.number}")

    assert badge_class["alignment"][0] == {
        "targetName": "Digitaalinen tiedonhaku",
        "targetUrl": "https://eperusteet.opintopolku.fi/#/fi/osaamismerkit",
        "targetFramework": "Kansalliset perustaitojen osaamismerkit (KAPOS)",
        "targetCode": "osaamismerkit_1022",
    }


def test_revocation_list_empty(client, credential):
    revocation_list = get_json(client, "/ob2/issuers/taitopaja/revocations")

    assert revocation_list == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "RevocationList",
        "id": "http://127.0.0.1:8000/ob2/issuers/taitopaja/revocations",
        "issuer": "http://127.0.0.1:8000/ob2/issuers/taitopaja",
        "revokedAssertions": [],
    }


def test_issued_at_midnight_utc_boundary(badge):
    # A backdated badge starts at local midnight, which is the previous
    # day in UTC; the zone must survive the conversion.
    issued_on = timezone.localdate() - datetime.timedelta(days=3)
    credential = credential_issue(badge=badge, recipient_name="Maija", issued_on=issued_on)

    issued = parse_datetime(hosted(credential)["issuedOn"])

    assert timezone.localtime(issued).date() == issued_on


def test_revoked_hosted_assertion_is_gone(client, credential):
    from badges.services import credential_revoke

    credential_revoke(credential=credential, note="virhe", public_reason="Myönnetty vahingossa")

    response = client.get(f"/ob2/assertions/{credential.id}", HTTP_ACCEPT="application/ld+json")

    assert response.status_code == 410
    body = json.loads(response.content)
    assert body["revoked"] is True
    assert body["revocationReason"] == "Myönnetty vahingossa"
    assert body["id"] == f"http://127.0.0.1:8000/ob2/assertions/{credential.id}"


def test_revocation_list_lists_signed_assertion(client, credential, organisation):
    from badges.openbadges.ob2 import signed_assertion_id
    from badges.services import credential_revoke

    credential_revoke(credential=credential, note="virhe", public_reason="Virhe")

    document = client.get(f"/ob2/issuers/{organisation.slug}/revocations", HTTP_ACCEPT="application/ld+json").json()

    assert document["revokedAssertions"] == [{"id": signed_assertion_id(credential.id), "revocationReason": "Virhe"}]
    assert f"/credentials/{credential.id}" not in json.dumps(document)
