"""The legacy Ed25519Signature2020 suite and the VC Data Model 1.1, both verify-only."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from badges.openbadges.dataintegrity import LEGACY_PROOF_TYPE, proof_hashes, verify
from badges.openbadges.errors import SignatureMismatchError, UnsupportedCryptosuiteError
from badges.openbadges.keys import resolve_did_key
from badges.openbadges.multikey import encode_multibase_base58btc
from badges.openbadges.verify import VCDM11, data_model_of, verify_credential

from .samples import NOW

VECTOR = Path(__file__).parent / "vectors" / "ed25519-signature-2020" / "dcc-v1-ed25519-didkey.json"
LEGACY_CONTEXTS = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://w3id.org/security/suites/ed25519-2020/v1",
]


@pytest.fixture
def dcc_credential():
    return json.loads(VECTOR.read_text("utf-8"))


@pytest.fixture
def legacy_credential(private_key, issuer_did, verification_method):
    """A VCDM 1.1 OpenBadgeCredential signed with Ed25519Signature2020 by the RFC 8032 key."""
    document = {
        "@context": list(LEGACY_CONTEXTS),
        "id": "urn:uuid:7d3c0a52-0b8e-4f61-9d3a-3f1e8a1c2b44",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": "Kansalaisopisto Esimerkki"},
        "issuanceDate": "2026-12-04T10:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://merkit.example/achievements/tekstitaidot",
                "type": ["Achievement"],
                "name": "Tekstitaidot",
                "description": "Osaa lukea ja kirjoittaa arkielämän tekstejä.",
                "criteria": {"narrative": "Kolme kirjoitustehtävää."},
            },
        },
    }
    proof = {
        "type": LEGACY_PROOF_TYPE,
        "created": "2026-12-04T10:00:00Z",
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    proof_hash, document_hash = proof_hashes(document, proof)
    proof["proofValue"] = encode_multibase_base58btc(private_key.sign(proof_hash + document_hash))
    return {**document, "proof": proof}


def test_independent_vector_verifies(dcc_credential):
    result = verify(dcc_credential, resolve_key=resolve_did_key)

    assert result.legacy_proof_type is True
    assert result.controller == "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"


def test_independent_vector_tampered(dcc_credential):
    dcc_credential["credentialSubject"]["name"] = "Jane Roe"

    with pytest.raises(SignatureMismatchError):
        verify(dcc_credential, resolve_key=resolve_did_key)


def test_every_changed_field_fails(dcc_credential):
    for path in (("name",), ("issuanceDate",), ("issuer", "name"), ("credentialSubject", "achievement", "name")):
        document = copy.deepcopy(dcc_credential)
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = parent[path[-1]][:-1] + "X"

        with pytest.raises(SignatureMismatchError):
            verify(document, resolve_key=resolve_did_key)


def test_legacy_type_with_cryptosuite_rejected(dcc_credential):
    dcc_credential["proof"]["cryptosuite"] = "eddsa-rdfc-2022"

    with pytest.raises(UnsupportedCryptosuiteError):
        verify(dcc_credential, resolve_key=resolve_did_key)


def test_vcdm11_credential_valid_with_warnings(legacy_credential, issuer_did):
    result = verify_credential(legacy_credential, resolve_key=resolve_did_key, now=NOW, data_model=VCDM11)

    assert result.valid
    assert [(check.code, check.reason) for check in result.warnings] == [
        ("structure", "legacy_data_model"),
        ("proof", "legacy_proof_type"),
    ]
    assert result.check("valid_from").params == {"valid_from": "2026-12-04T10:00:00Z"}


def test_vcdm11_expiration_date(legacy_credential):
    legacy_credential["expirationDate"] = "2027-01-01T00:00:00Z"

    result = verify_credential(legacy_credential, resolve_key=resolve_did_key, now=NOW, data_model=VCDM11)

    # Adding the date broke the signature, and the date check still reads expirationDate.
    assert result.check("valid_until").reason == "expired"


def test_vcdm11_not_yet_valid(legacy_credential):
    before = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    result = verify_credential(legacy_credential, resolve_key=resolve_did_key, now=before, data_model=VCDM11)

    assert result.check("valid_from").reason == "not_yet_valid"


def test_vcdm11_needs_issuance_date(legacy_credential):
    del legacy_credential["issuanceDate"]

    result = verify_credential(legacy_credential, resolve_key=resolve_did_key, now=NOW, data_model=VCDM11)

    assert result.check("structure").params == {"field": "issuanceDate"}


def test_vcdm11_rejected_under_vcdm2(legacy_credential):
    result = verify_credential(legacy_credential, resolve_key=resolve_did_key, now=NOW)

    assert result.check("structure").reason == "bad_context"


def test_data_model_of(legacy_credential, signed_credential):
    assert data_model_of(legacy_credential) is VCDM11
    assert data_model_of(signed_credential).legacy is False
    assert data_model_of("not a document").legacy is False

