import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from badges.openbadges import ob3
from badges.openbadges.canonical import canonicalize, find_undefined_terms

from .samples import ISSUED_AT, build_sample_credential, sample_achievement, sample_issuer

SCHEMA_PATH = Path(ob3.__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"
ISSUER_ID = "did:web:merkit.example:issuers:opisto"

EXPECTED_MINIMAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ],
    "id": "urn:uuid:0f0b6c1e-5d0a-4d5e-8f43-3f7c2a9d1b20",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Tekstitaidot",
    "issuer": {
        "id": "did:web:merkit.example:issuers:opisto",
        "type": ["Profile"],
        "name": "Kansalaisopisto Esimerkki",
        "url": "https://opisto.example/",
        "email": "merkit@opisto.example",
    },
    "validFrom": "2026-12-04T10:00:00Z",
    "credentialSubject": {
        "id": "urn:uuid:6c4e0b3e-3f55-4b8a-9a8e-0c2c2f6f8a11",
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
                "identityType": "emailAddress",
                "hashed": True,
                "salt": "Kosher",
            },
            {
                "type": "IdentityObject",
                "identityHash": "Maija Meikäläinen",
                "identityType": "name",
                "hashed": False,
            },
        ],
        "achievement": {
            "id": "https://merkit.example/achievements/tekstitaidot",
            "type": ["Achievement"],
            "achievementType": "Badge",
            "name": "Tekstitaidot",
            "description": "Osaa lukea ja kirjoittaa arkielämän tekstejä.",
            "criteria": {"narrative": "Osallistuja on tehnyt kolme kirjoitustehtävää."},
            "image": {"id": "https://merkit.example/media/tekstitaidot.png", "type": "Image"},
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": "Tekstitaidot",
                    "targetUrl": "https://eperusteet.example/osaamismerkit/1007",
                    "targetCode": "osaamismerkit_1007",
                    "targetFramework": "KAPOS",
                }
            ],
            "tag": ["perustaidot", "lukutaito"],
            "inLanguage": "fi",
        },
    },
    "credentialSchema": [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ],
}


def full_credential():
    """A credential that uses every optional field of the builder."""
    issuer = ob3.IssuerProfile(
        id=ISSUER_ID,
        name="Kansalaisopisto Esimerkki",
        url="https://opisto.example/",
        email="merkit@opisto.example",
        description="Aikuisten perustaitojen opetusta.",
        image_url="https://merkit.example/media/opisto.png",
    )
    return build_sample_credential(
        ISSUER_ID,
        issuer=issuer,
        achievement=sample_achievement(creator=issuer),
        valid_until=datetime(2028, 12, 4, 10, 0, tzinfo=UTC),
        awarded_date=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        evidence=(
            ob3.Evidence(narrative="Kolme kirjoitustehtävää.", url="https://merkit.example/evidence/1", name="Tehtävät"),
            ob3.Evidence(narrative="Ohjaajan arvio."),
        ),
        name="Tekstitaidot, Kansalaisopisto Esimerkki",
        credential_status={"id": "https://merkit.example/status/opisto", "type": "1EdTechRevocationList"},
    )


def schema_errors(document):
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    validator = jsonschema.Draft201909Validator(schema)
    return sorted(error.message for error in validator.iter_errors(document))


def test_minimal_credential_literal():
    assert build_sample_credential(ISSUER_ID) == EXPECTED_MINIMAL


def test_context_order_is_exact():
    assert build_sample_credential(ISSUER_ID)["@context"] == ob3.CONTEXTS


def test_optional_fields_written():
    credential = full_credential()

    assert credential["validUntil"] == "2028-12-04T10:00:00Z"
    assert credential["awardedDate"] == "2026-12-01T08:00:00Z"
    assert credential["name"] == "Tekstitaidot, Kansalaisopisto Esimerkki"
    assert credential["issuer"]["image"] == {"id": "https://merkit.example/media/opisto.png", "type": "Image"}
    assert credential["issuer"]["description"] == "Aikuisten perustaitojen opetusta."
    assert credential["credentialSubject"]["achievement"]["creator"] == credential["issuer"]
    assert credential["credentialStatus"] == {"id": "https://merkit.example/status/opisto", "type": "1EdTechRevocationList"}


def test_evidence_shapes():
    assert full_credential()["evidence"] == [
        {
            "type": ["Evidence"],
            "id": "https://merkit.example/evidence/1",
            "narrative": "Kolme kirjoitustehtävää.",
            "name": "Tehtävät",
        },
        {"type": ["Evidence"], "narrative": "Ohjaajan arvio."},
    ]


def test_minimal_passes_schema():
    assert schema_errors(build_sample_credential(ISSUER_ID)) == []


def test_full_passes_schema():
    assert schema_errors(full_credential()) == []


def test_schema_check_can_fail():
    credential = build_sample_credential(ISSUER_ID)
    credential["issuer"]["type"] = "Profile"

    assert schema_errors(credential) != []


def test_minimal_has_no_undefined_terms():
    assert find_undefined_terms(build_sample_credential(ISSUER_ID)) == []


def test_full_has_no_undefined_terms():
    assert find_undefined_terms(full_credential()) == []


def test_full_canonicalises():
    nquads = canonicalize(full_credential())

    assert '"Ohjaajan arvio."' in nquads
    assert "<https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019>" in nquads


def test_subject_without_id_uses_identifier():
    recipient = ob3.RecipientData(subject_id=None, name="Maija Meikäläinen")

    subject = build_sample_credential(ISSUER_ID, recipient=recipient)["credentialSubject"]

    assert "id" not in subject
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityHash": "Maija Meikäläinen", "identityType": "name", "hashed": False}
    ]


def test_unhashed_name_has_no_salt():
    subject = build_sample_credential(ISSUER_ID)["credentialSubject"]

    assert "salt" not in subject["identifier"][1]


def test_subject_id_only_omits_identifier():
    recipient = ob3.RecipientData(subject_id="did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw")

    subject = build_sample_credential(ISSUER_ID, recipient=recipient)["credentialSubject"]

    assert "identifier" not in subject


def test_empty_optional_strings_omitted():
    issuer = ob3.IssuerProfile(id=ISSUER_ID, name="Opisto", url="https://opisto.example/", email="", description="")

    assert build_sample_credential(ISSUER_ID, issuer=issuer)["issuer"] == {
        "id": ISSUER_ID,
        "type": ["Profile"],
        "name": "Opisto",
        "url": "https://opisto.example/",
    }


def test_recipient_without_identity_rejected():
    with pytest.raises(ValueError, match="subject_id, an email hash or a name"):
        build_sample_credential(ISSUER_ID, recipient=ob3.RecipientData(subject_id=None))


@pytest.mark.parametrize(
    "email_hash",
    [
        "b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
        "sha256$B5809D8A92F8858436D7E6B87C12EBC0AE1EAC4BAECC2C0B913AEE2C922EF399",
        "a@example.com",
    ],
)
def test_bad_email_hash_rejected(email_hash):
    recipient = ob3.RecipientData(subject_id=None, email_hash=email_hash, email_salt="Kosher")

    with pytest.raises(ValueError, match="Email hash"):
        build_sample_credential(ISSUER_ID, recipient=recipient)


def test_naive_valid_from_rejected():
    with pytest.raises(ValueError, match="naive"):
        build_sample_credential(ISSUER_ID, valid_from=datetime(2026, 12, 4, 10, 0))


def test_valid_until_before_valid_from_rejected():
    with pytest.raises(ValueError, match="must be after validFrom"):
        build_sample_credential(ISSUER_ID, valid_until=ISSUED_AT)


def test_empty_evidence_rejected():
    with pytest.raises(ValueError, match="Evidence"):
        build_sample_credential(ISSUER_ID, evidence=(ob3.Evidence(),))


def test_empty_achievement_name_rejected():
    achievement = ob3.AchievementData(
        id="https://merkit.example/achievements/x", name=" ", description="d", criteria_narrative="c"
    )

    with pytest.raises(ValueError, match="achievement name"):
        build_sample_credential(ISSUER_ID, achievement=achievement)


def test_empty_issuer_url_rejected():
    with pytest.raises(ValueError, match="profile url"):
        build_sample_credential(ISSUER_ID, issuer=ob3.IssuerProfile(id=ISSUER_ID, name="Opisto", url=""))


def test_dataclasses_are_frozen():
    issuer = sample_issuer(ISSUER_ID)

    with pytest.raises(AttributeError):
        issuer.name = "Toinen"
