"""Open Badges 2.0 assertions issued by the app pass 1EdTech's validator (badgecheck).

badgecheck fetches the assertion, badge class, issuer, key, revocation list
and images from a live test server, as any OB 2.0 consumer would.

Known badgecheck 1.2.0 bugs are not relied on. It reports revoked hosted
assertions as valid and never matches a revocation list with exactly one
entry, so revocation is checked here against our own responses. It
rejects an issuer with more than one ``publicKey``, so after a key
rotation the old signature is checked directly with the served key.
"""
import base64
import io
import json
import uuid
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.test import Client
from PIL import Image

from badges import ob2
from badges.demo_images import emblem_svg
from badges.models import BadgeStatus
from badges.openbadges import jws
from badges.openbadges.ob2 import sign_assertion, signed_assertion_id
from badges.services import badge_create, credential_issue, credential_revoke
from issuers import keystore
from issuers.images import clean_image
from issuers.models import KeyAlgorithm
from issuers.services import image_store, organisation_create, signing_keys_rotate
from tests.conftest import make_content

from .badgecheck_runner import error_messages, verify_with_badgecheck

pytestmark = [pytest.mark.interop, pytest.mark.django_db(transaction=True)]

PUBLIC_BASE_URL = "https://merkit.example.fi"
JSON_ACCEPT = "application/ld+json, application/json"


def _png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#0b4f8a").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def issue(live_server, settings):
    """Return a function that issues a credential served by the live server."""
    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja",
        name="Taitopaja ry",
        url="https://taitopaja.example.fi",
        email="info@taitopaja.example.fi",
        description="Testijärjestö",
        # A logo, so that the issuer profile carries its optional image too.
        logo=image_store(image=clean_image(_png_logo(), "logo.png")),
    )
    image = image_store(image=clean_image(emblem_svg("DT", "#0b4f8a")))
    badge = badge_create(
        organisation=organisation,
        slug="tiedonhaku",
        content=make_content(image, validity_months=24),
        status=BadgeStatus.PUBLISHED,
    )

    def issue_credential(**fields):
        values = dict(
            recipient_name="Maija Meikäläinen",
            recipient_email="Maija.Meikalainen@Example.fi",
            evidence_narrative="Haki tietoa kirjaston verkkopalvelusta.",
            evidence_url="https://example.org/evidence/1",
        )
        values.update(fields)
        return credential_issue(badge=badge, **values)

    return issue_credential


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _payload(token: str) -> dict:
    return json.loads(jws.decode_unverified(token)[1])


def _fetch_json(url: str) -> dict:
    response = Client().get(urlsplit(url).path, HTTP_ACCEPT=JSON_ACCEPT)
    assert response.status_code == 200, url
    return json.loads(response.content)


def test_hosted_assertion_url_validates(issue):
    credential = issue()

    result = verify_with_badgecheck(ob2.assertion_url(credential.id))

    assert error_messages(result) == []
    assert result["report"]["valid"] is True


def test_hosted_assertion_json_validates(issue):
    credential = issue()

    result = verify_with_badgecheck(credential.ob2_assertion)

    assert error_messages(result) == []
    assert result["report"]["valid"] is True


def test_signed_assertion_validates(issue):
    credential = issue()

    result = verify_with_badgecheck(credential.ob2_jws)

    assert error_messages(result) == []
    assert result["report"]["valid"] is True


def test_signed_assertion_subject_is_urn_uuid(issue):
    credential = issue()

    result = verify_with_badgecheck(credential.ob2_jws)

    assert result["report"]["validationSubject"] == signed_assertion_id(credential.id)


@pytest.mark.parametrize("data", ["hosted", "signed"])
def test_credential_without_email_validates(issue, data):
    credential = issue(recipient_email="")
    value = ob2.assertion_url(credential.id) if data == "hosted" else credential.ob2_jws

    result = verify_with_badgecheck(value)

    assert error_messages(result) == []
    assert result["report"]["valid"] is True


def test_signed_assertion_from_file_validates(issue, tmp_path):
    credential = issue()
    path = tmp_path / "assertion.jws"
    path.write_text(credential.ob2_jws + "\n")

    result = verify_with_badgecheck(path)

    assert error_messages(result) == []


@pytest.mark.parametrize(
    "field, value",
    [
        ("issuedOn", "2020-01-01T00:00:00Z"),
        ("evidence", [{"narrative": "Ei todisteita."}]),
        ("recipient", {"type": "email", "hashed": False, "identity": "someone@example.org"}),
    ],
)
def test_tampered_payload_fails(issue, field, value):
    credential = issue()
    header, payload, signature = credential.ob2_jws.split(".")
    assertion = _payload(credential.ob2_jws)
    assertion[field] = value
    tampered = ".".join([header, _b64url(json.dumps(assertion).encode()), signature])

    result = verify_with_badgecheck(tampered)

    assert result["report"]["valid"] is False
    assert any(message.startswith("VERIFY_JWS") for message in error_messages(result))


def test_changed_signature_fails(issue):
    credential = issue()
    header, payload, signature = credential.ob2_jws.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]

    result = verify_with_badgecheck(".".join([header, payload, flipped]))

    assert result["report"]["valid"] is False
    assert any(message.startswith("VERIFY_JWS") for message in error_messages(result))


def test_public_host_name_with_allowed_origins_validates(issue, live_server, settings):
    # A deployment's base URL has a host name and no port: the issuer then
    # declares allowedOrigins, which badgecheck checks against the id.
    settings.MERKKIPAJA_BASE_URL = PUBLIC_BASE_URL
    credential = issue()
    issuer = _fetch_json(ob2.issuer_url("taitopaja"))

    result = verify_with_badgecheck(
        ob2.assertion_url(credential.id), origins={PUBLIC_BASE_URL: live_server.url}
    )

    assert issuer["verification"]["allowedOrigins"] == ["merkit.example.fi"]
    assert error_messages(result) == []


def test_signed_assertion_http_id_is_not_dereferenced(issue):
    # Why signed assertions get a urn:uuid id and not an HTTP one: badgecheck
    # accepts an HTTP id that serves nothing, so it would not catch an id
    # that points at a different (hosted) document either.
    credential = issue()
    assertion = _payload(credential.ob2_jws)
    assertion["id"] = ob2.assertion_url(uuid.uuid4())
    key = credential.jws_signing_key
    token = sign_assertion(assertion, private_key=keystore.load_rsa_private_key(key.encrypted_private_key))

    result = verify_with_badgecheck(token)

    assert error_messages(result) == []


def test_revocation_list_starts_empty(issue):
    # badgecheck cannot be trusted to match revoked entries (see the module
    # docstring), so the list is checked directly.
    credential = issue()
    issuer = _fetch_json(ob2.issuer_url("taitopaja"))

    revocation_list = _fetch_json(issuer["revocationList"])

    assert revocation_list["revokedAssertions"] == []
    assert signed_assertion_id(credential.id) not in revocation_list["revokedAssertions"]


def test_rotated_key_signature_still_verifies(issue):
    credential = issue()
    old_key = credential.jws_signing_key
    signing_keys_rotate(organisation=credential.organisation)
    issuer = _fetch_json(ob2.issuer_url("taitopaja"))
    creator = _payload(credential.ob2_jws)["verification"]["creator"]
    key_document = _fetch_json(creator)

    result = verify_with_badgecheck(credential.ob2_jws)

    assert creator == ob2.key_url("taitopaja", old_key.key_id)
    assert creator in issuer["publicKey"]
    assert len(issuer["publicKey"]) == 2
    jws.verify_compact(credential.ob2_jws, public_key=load_pem_public_key(key_document["publicKeyPem"].encode()))
    # badgecheck 1.2.0 accepts a single publicKey only; this error is its
    # bug, and the only one it reports.
    assert error_messages(result) == [
        f"VALIDATE_PROPERTY: Property publicKey in unknown type node {ob2.issuer_url('taitopaja')} "
        "has more than the single allowed value."
    ]
    assert credential.organisation.signing_keys.filter(algorithm=KeyAlgorithm.RSA).count() == 2


def test_revoked_signed_assertion_fails(issue):
    # badgecheck never matches a list with exactly one entry, so two
    # credentials are revoked; the check is on the first one.
    revoked = issue()
    other = issue(recipient_name="Matti Meikäläinen")
    credential_revoke(credential=revoked, note="virhe", public_reason="Myönnetty vahingossa")
    credential_revoke(credential=other, note="virhe")

    result = verify_with_badgecheck(revoked.ob2_jws)

    assert result["report"]["valid"] is False
    assert any("revoked" in message.lower() for message in error_messages(result))


def test_revoked_hosted_assertion_is_gone_and_listed(issue):
    # badgecheck reports a revoked hosted assertion as valid, so the 410 and
    # the revocation list are checked directly.
    credential = issue()
    credential_revoke(credential=credential, note="virhe", public_reason="Virhe")

    response = Client().get(urlsplit(ob2.assertion_url(credential.id)).path, HTTP_ACCEPT=JSON_ACCEPT)
    revocation_list = _fetch_json(_fetch_json(ob2.issuer_url("taitopaja"))["revocationList"])

    assert response.status_code == 410
    assert json.loads(response.content)["revoked"] is True
    assert {"id": signed_assertion_id(credential.id), "revocationReason": "Virhe"} in revocation_list["revokedAssertions"]


@pytest.mark.parametrize("data", ["hosted", "signed"])
def test_network_issued_assertion_validates(issue, data):
    from issuers.models import Organisation
    from issuers.services import network_create, network_membership_set

    network = network_create(
        slug="verkosto", name="Pirkanmaan järjestöverkosto", url="https://verkosto.example.fi",
        email="info@verkosto.example.fi",
    )
    network_membership_set(organisation=Organisation.objects.get(slug="taitopaja"), network=network, may_issue=True)
    credential = issue(issue_as_network=True)
    value = ob2.assertion_url(credential.id) if data == "hosted" else credential.ob2_jws

    result = verify_with_badgecheck(value)

    assert error_messages(result) == []
    assert result["report"]["valid"] is True
    badge_class = _fetch_json(json.loads(credential.ob2_assertion)["badge"])
    assert badge_class["issuer"].endswith("/ob2/issuers/verkosto")
