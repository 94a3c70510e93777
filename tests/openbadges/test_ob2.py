import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from badges.openbadges import jws, ob2
from badges.openbadges.ob3 import Alignment, Evidence

BASE = "https://merkit.example.fi"
ISSUER_ID = f"{BASE}/ob2/issuers/opisto"
BADGE_CLASS_ID = f"{BASE}/ob2/badges/91e2d3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6/versions/1"
ASSERTION_ID = f"{BASE}/ob2/assertions/0b7c5a2e-4f1d-4c3b-9a8e-2d6f1e0c9b74"
KEY_ID = f"{BASE}/ob2/issuers/opisto/keys/rsa-1"
SPEC_EMAIL_HASH = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
# sha256 of "urn:uuid:6c4e0b3e-3f55-4b8a-9a8e-0c2c2f6f8a11" + "Kosher", checked with sha256sum.
SUBJECT_ID_HASH = "sha256$3a3d2362c81980913e4e54952c0d636331135569a1b684899934eb7b6ebddb96"
ISSUED_AT = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)

ISSUER = ob2.IssuerData(
    id=ISSUER_ID,
    name="Kansalaisopisto Esimerkki",
    url="https://opisto.example/",
    email="merkit@opisto.example",
    revocation_list_id=f"{ISSUER_ID}/revocations",
    public_key_ids=[KEY_ID],
    description="Opisto Esimerkkilässä.",
    image_url=f"{BASE}/images/{'a' * 64}.png",
    allowed_origins=["merkit.example.fi"],
    starts_with=f"{BASE}/ob2/assertions/",
)

EXPECTED_ISSUER = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Issuer",
    "id": "https://merkit.example.fi/ob2/issuers/opisto",
    "name": "Kansalaisopisto Esimerkki",
    "url": "https://opisto.example/",
    "email": "merkit@opisto.example",
    "description": "Opisto Esimerkkilässä.",
    "image": "https://merkit.example.fi/images/" + "a" * 64 + ".png",
    "publicKey": ["https://merkit.example.fi/ob2/issuers/opisto/keys/rsa-1"],
    "revocationList": "https://merkit.example.fi/ob2/issuers/opisto/revocations",
    "verification": {
        "type": "VerificationObject",
        "allowedOrigins": ["merkit.example.fi"],
        "startsWith": "https://merkit.example.fi/ob2/assertions/",
    },
}

BADGE_CLASS = ob2.BadgeClassData(
    id=BADGE_CLASS_ID,
    issuer_id=ISSUER_ID,
    name="Tekstitaidot",
    description="Osaa lukea ja kirjoittaa arkielämän tekstejä.",
    image_url=f"{BASE}/images/{'b' * 64}.svg",
    criteria_narrative="Osallistuja on tehnyt kolme kirjoitustehtävää.",
    criteria_url=f"{BASE}/badges/91e2d3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6/versions/1",
    tags=["perustaidot"],
    alignments=[
        Alignment(
            target_name="Tekstitaidot",
            target_url="https://eperusteet.example/osaamismerkit/1007",
            target_code="osaamismerkit_1007",
            target_framework="KAPOS",
        )
    ],
)

EXPECTED_BADGE_CLASS = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "BadgeClass",
    "id": "https://merkit.example.fi/ob2/badges/91e2d3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6/versions/1",
    "issuer": "https://merkit.example.fi/ob2/issuers/opisto",
    "name": "Tekstitaidot",
    "description": "Osaa lukea ja kirjoittaa arkielämän tekstejä.",
    "image": "https://merkit.example.fi/images/" + "b" * 64 + ".svg",
    "criteria": {
        "id": "https://merkit.example.fi/badges/91e2d3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6/versions/1",
        "narrative": "Osallistuja on tehnyt kolme kirjoitustehtävää.",
    },
    "alignment": [
        {
            "targetName": "Tekstitaidot",
            "targetUrl": "https://eperusteet.example/osaamismerkit/1007",
            "targetFramework": "KAPOS",
            "targetCode": "osaamismerkit_1007",
        }
    ],
    "tags": ["perustaidot"],
}

ASSERTION = ob2.AssertionData(
    badge_class_id=BADGE_CLASS_ID,
    recipient=ob2.Recipient(identity_type="email", identity_hash=SPEC_EMAIL_HASH, salt="Kosher"),
    issued_on=ISSUED_AT,
    expires=datetime(2028, 12, 4, 12, 0, tzinfo=timezone(timedelta(hours=2))),
    evidence=[Evidence(narrative="Kirjoitti hakemuksen.", url="https://opisto.example/evidence/1")],
)

EXPECTED_HOSTED_ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://merkit.example.fi/ob2/assertions/0b7c5a2e-4f1d-4c3b-9a8e-2d6f1e0c9b74",
    "recipient": {
        "type": "email",
        "hashed": True,
        "salt": "Kosher",
        "identity": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
    },
    "badge": "https://merkit.example.fi/ob2/badges/91e2d3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6/versions/1",
    "verification": {"type": "HostedBadge"},
    "issuedOn": "2026-12-04T10:00:00Z",
    "expires": "2028-12-04T10:00:00Z",
    "evidence": [{"id": "https://opisto.example/evidence/1", "narrative": "Kirjoitti hakemuksen."}],
}

SIGNED_ASSERTION_ID = "urn:uuid:03765d94-5af4-5809-9898-41a6fdb58e43"

EXPECTED_SIGNED_ASSERTION = {
    **EXPECTED_HOSTED_ASSERTION,
    "id": SIGNED_ASSERTION_ID,
    "verification": {
        "type": "SignedBadge",
        "creator": "https://merkit.example.fi/ob2/issuers/opisto/keys/rsa-1",
    },
}


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_issuer_known_answer():
    assert ob2.build_issuer(ISSUER) == EXPECTED_ISSUER


def test_issuer_minimal_omits_optional_fields():
    issuer = ob2.IssuerData(
        id=ISSUER_ID,
        name="Opisto",
        url="https://opisto.example/",
        email="merkit@opisto.example",
        revocation_list_id=f"{ISSUER_ID}/revocations",
    )

    assert ob2.build_issuer(issuer) == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": "https://merkit.example.fi/ob2/issuers/opisto",
        "name": "Opisto",
        "url": "https://opisto.example/",
        "email": "merkit@opisto.example",
        "revocationList": "https://merkit.example.fi/ob2/issuers/opisto/revocations",
        "verification": {"type": "VerificationObject"},
    }


def test_issuer_key_listed_in_public_key():
    key = ob2.build_cryptographic_key(key_id=KEY_ID, owner_id=ISSUER_ID, public_key_pem="PEM")

    assert key["id"] in ob2.build_issuer(ISSUER)["publicKey"]


def test_issuer_scope_covers_assertion_id():
    verification = ob2.build_issuer(ISSUER)["verification"]

    assert ASSERTION_ID.startswith(verification["startsWith"])
    assert ASSERTION_ID.split("/")[2] in verification["allowedOrigins"]


@pytest.mark.parametrize(
    "base_url, expected",
    [
        ("https://merkit.example.fi", ["merkit.example.fi"]),
        ("https://MERKIT.Example.FI/", ["merkit.example.fi"]),
        ("https://merkit.example.fi/merkkipaja", ["merkit.example.fi"]),
        ("https://merkit.example.fi:8443", []),
        ("http://127.0.0.1:8000", []),
        ("https://192.0.2.10", []),
        ("https://[2001:db8::1]", []),
        ("http://localhost:8000", []),
        ("http://localhost", []),
    ],
)
def test_allowed_origins_for(base_url, expected):
    assert ob2.allowed_origins_for(base_url) == expected


def test_badge_class_known_answer():
    assert ob2.build_badge_class(BADGE_CLASS) == EXPECTED_BADGE_CLASS


def test_badge_class_criteria_without_url():
    badge = ob2.BadgeClassData(
        id=BADGE_CLASS_ID,
        issuer_id=ISSUER_ID,
        name="Tekstitaidot",
        description="Kuvaus.",
        image_url=f"{BASE}/images/{'b' * 64}.svg",
        criteria_narrative="Kolme tehtävää.",
    )

    assert ob2.build_badge_class(badge)["criteria"] == {"narrative": "Kolme tehtävää."}


def test_badge_class_without_image_rejected():
    badge = ob2.BadgeClassData(
        id=BADGE_CLASS_ID,
        issuer_id=ISSUER_ID,
        name="Tekstitaidot",
        description="Kuvaus.",
        image_url="",
        criteria_narrative="Kolme tehtävää.",
    )

    with pytest.raises(ValueError, match="image_url"):
        ob2.build_badge_class(badge)


def test_hosted_assertion_known_answer():
    assert ob2.build_hosted_assertion(ASSERTION, assertion_id=ASSERTION_ID) == EXPECTED_HOSTED_ASSERTION


def test_signed_assertion_known_answer():
    assertion = ob2.build_signed_assertion(ASSERTION, assertion_id=SIGNED_ASSERTION_ID, creator=KEY_ID)

    assert assertion == EXPECTED_SIGNED_ASSERTION


def test_signed_assertion_without_creator_rejected():
    with pytest.raises(ValueError, match="creator"):
        ob2.build_signed_assertion(ASSERTION, assertion_id=SIGNED_ASSERTION_ID, creator="")


def test_assertion_with_id_recipient():
    assertion = ob2.AssertionData(
        badge_class_id=BADGE_CLASS_ID,
        recipient=ob2.Recipient(identity_type="id", identity_hash=SUBJECT_ID_HASH, salt="Kosher"),
        issued_on=ISSUED_AT,
    )

    built = ob2.build_hosted_assertion(assertion, assertion_id=ASSERTION_ID)

    assert built["recipient"] == {
        "type": "id",
        "hashed": True,
        "salt": "Kosher",
        "identity": "sha256$3a3d2362c81980913e4e54952c0d636331135569a1b684899934eb7b6ebddb96",
    }
    assert "expires" not in built
    assert "evidence" not in built


def test_timestamps_converted_to_utc_with_zone():
    built = ob2.build_hosted_assertion(ASSERTION, assertion_id=ASSERTION_ID)

    assert built["issuedOn"].endswith("Z")
    assert built["expires"] == "2028-12-04T10:00:00Z"


def test_naive_issued_on_rejected():
    assertion = ob2.AssertionData(
        badge_class_id=BADGE_CLASS_ID, recipient=ASSERTION.recipient, issued_on=datetime(2026, 12, 4, 10, 0)
    )

    with pytest.raises(ValueError, match="naive"):
        ob2.build_hosted_assertion(assertion, assertion_id=ASSERTION_ID)


def test_expires_before_issued_on_rejected():
    assertion = ob2.AssertionData(
        badge_class_id=BADGE_CLASS_ID,
        recipient=ASSERTION.recipient,
        issued_on=ISSUED_AT,
        expires=ISSUED_AT - timedelta(seconds=1),
    )

    with pytest.raises(ValueError, match="must be after issuedOn"):
        ob2.build_hosted_assertion(assertion, assertion_id=ASSERTION_ID)


@pytest.mark.parametrize(
    "identity_hash",
    [
        SPEC_EMAIL_HASH.upper().replace("SHA256", "sha256"),
        "a@example.com",
        "sha256$" + "0" * 63,
        "sha1$" + "0" * 40,
    ],
)
def test_bad_identity_hash_rejected(identity_hash):
    assertion = ob2.AssertionData(
        badge_class_id=BADGE_CLASS_ID,
        recipient=ob2.Recipient(identity_type="email", identity_hash=identity_hash, salt="Kosher"),
        issued_on=ISSUED_AT,
    )

    with pytest.raises(ValueError, match="hash_identity"):
        ob2.build_hosted_assertion(assertion, assertion_id=ASSERTION_ID)


def test_unknown_identity_type_rejected():
    assertion = ob2.AssertionData(
        badge_class_id=BADGE_CLASS_ID,
        recipient=ob2.Recipient(identity_type="emailAddress", identity_hash=SPEC_EMAIL_HASH),
        issued_on=ISSUED_AT,
    )

    with pytest.raises(ValueError, match="'emailAddress'"):
        ob2.build_hosted_assertion(assertion, assertion_id=ASSERTION_ID)


def test_empty_evidence_rejected():
    assertion = ob2.AssertionData(
        badge_class_id=BADGE_CLASS_ID, recipient=ASSERTION.recipient, issued_on=ISSUED_AT, evidence=[Evidence()]
    )

    with pytest.raises(ValueError, match="Evidence"):
        ob2.build_hosted_assertion(assertion, assertion_id=ASSERTION_ID)


def test_signed_assertion_id_known_answer():
    credential_id = uuid.UUID("0b7c5a2e-4f1d-4c3b-9a8e-2d6f1e0c9b74")

    assert ob2.signed_assertion_id(credential_id) == SIGNED_ASSERTION_ID


def test_signed_assertion_id_hides_credential_id():
    credential_id = uuid.UUID("0b7c5a2e-4f1d-4c3b-9a8e-2d6f1e0c9b74")

    assert str(credential_id) not in ob2.signed_assertion_id(credential_id)


def test_sign_assertion_payload_and_header(rsa_key):
    token = ob2.sign_assertion(EXPECTED_SIGNED_ASSERTION, private_key=rsa_key)

    header, payload = jws.verify_compact(token, public_key=rsa_key.public_key())

    assert header == {"alg": "RS256"}
    assert payload == json.dumps(EXPECTED_SIGNED_ASSERTION, ensure_ascii=False, separators=(",", ":")).encode()


def test_sign_assertion_keeps_utf8(rsa_key):
    token = ob2.sign_assertion(EXPECTED_SIGNED_ASSERTION, private_key=rsa_key)

    _header, payload = jws.verify_compact(token, public_key=rsa_key.public_key())

    assert "Kirjoitti hakemuksen.".encode() in payload
    assert json.loads(payload) == EXPECTED_SIGNED_ASSERTION


def test_sign_assertion_is_deterministic(rsa_key):
    first = ob2.sign_assertion(EXPECTED_SIGNED_ASSERTION, private_key=rsa_key)

    assert ob2.sign_assertion(EXPECTED_SIGNED_ASSERTION, private_key=rsa_key) == first


def test_sign_hosted_assertion_rejected(rsa_key):
    with pytest.raises(ValueError, match="SignedBadge"):
        ob2.sign_assertion(EXPECTED_HOSTED_ASSERTION, private_key=rsa_key)


def test_cryptographic_key_known_answer():
    pem = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"

    assert ob2.build_cryptographic_key(key_id=KEY_ID, owner_id=ISSUER_ID, public_key_pem=pem) == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "CryptographicKey",
        "id": "https://merkit.example.fi/ob2/issuers/opisto/keys/rsa-1",
        "owner": "https://merkit.example.fi/ob2/issuers/opisto",
        "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
    }


def test_revocation_list_empty_keeps_property():
    assert ob2.build_revocation_list(list_id=f"{ISSUER_ID}/revocations", issuer_id=ISSUER_ID) == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "RevocationList",
        "id": "https://merkit.example.fi/ob2/issuers/opisto/revocations",
        "issuer": "https://merkit.example.fi/ob2/issuers/opisto",
        "revokedAssertions": [],
    }


def test_revocation_list_entries():
    revoked = [
        ob2.RevokedAssertion(id=SIGNED_ASSERTION_ID),
        ob2.RevokedAssertion(id="urn:uuid:5d6c1a0e-2b3f-5c4d-8e9f-0a1b2c3d4e5f", reason="Myönnetty väärälle henkilölle."),
    ]

    revocation_list = ob2.build_revocation_list(
        list_id=f"{ISSUER_ID}/revocations", issuer_id=ISSUER_ID, revoked=revoked
    )

    assert revocation_list["revokedAssertions"] == [
        "urn:uuid:03765d94-5af4-5809-9898-41a6fdb58e43",
        {
            "id": "urn:uuid:5d6c1a0e-2b3f-5c4d-8e9f-0a1b2c3d4e5f",
            "revocationReason": "Myönnetty väärälle henkilölle.",
        },
    ]


def test_to_json_text_keeps_order_and_utf8():
    text = ob2.to_json_text({"@context": ob2.CONTEXT, "name": "Ä"})

    assert text == '{\n  "@context": "https://w3id.org/openbadges/v2",\n  "name": "Ä"\n}'
