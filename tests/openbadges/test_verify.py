from datetime import UTC, datetime

import pytest

from badges.openbadges.dataintegrity import proof_hashes, sign
from badges.openbadges.keys import ResolvedKey, parse_did_document, resolve_did_key, resolve_from_multikey_fragment
from badges.openbadges.multikey import encode_multibase_base58btc
from badges.openbadges.ob3 import RecipientData
from badges.openbadges.verify import Check, VerificationResult, verify_credential

from .samples import ISSUED_AT, NOW, RFC8032_PUBLIC_KEY, build_sample_credential, load_vector_json

DID_WEB = "did:web:merkit.example:issuers:opisto"
RFC8032_MULTIKEY = "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"


def run(document, resolve_key=resolve_did_key, now=NOW):
    return verify_credential(document, resolve_key=resolve_key, now=now)


def outcome(result, code):
    check = result.check(code)
    return check.outcome, check.reason, check.params


def sign_sample(private_key, verification_method, issuer_id, **overrides):
    unsigned = build_sample_credential(issuer_id, **overrides)
    return sign(unsigned, private_key=private_key, verification_method=verification_method, created=ISSUED_AT)


def test_valid_credential_report(signed_credential, issuer_did, verification_method):
    result = run(signed_credential)

    assert result.to_dict() == {
        "valid": True,
        "credential_id": "urn:uuid:0f0b6c1e-5d0a-4d5e-8f43-3f7c2a9d1b20",
        "issuer_id": issuer_did,
        "checks": [
            {"code": "structure", "outcome": "passed", "reason": "ok", "params": {}},
            {"code": "proof", "outcome": "passed", "reason": "ok", "params": {"verification_method": verification_method}},
            {"code": "issuer_key", "outcome": "passed", "reason": "ok", "params": {"controller": issuer_did}},
            {"code": "valid_from", "outcome": "passed", "reason": "ok", "params": {"valid_from": "2026-12-04T10:00:00Z"}},
            {"code": "valid_until", "outcome": "skipped", "reason": "no_valid_until", "params": {}},
        ],
    }


def test_valid_with_did_document_key(private_key):
    document = {
        "id": DID_WEB,
        "verificationMethod": [
            {"id": DID_WEB + "#key-1", "type": "Multikey", "controller": DID_WEB, "publicKeyMultibase": RFC8032_MULTIKEY}
        ],
        "assertionMethod": ["#key-1"],
    }
    signed = sign_sample(private_key, DID_WEB + "#key-1", DID_WEB)

    result = run(signed, resolve_key=lambda method: parse_did_document(document, method))

    assert result.valid
    assert outcome(result, "issuer_key") == ("passed", "ok", {"controller": DID_WEB})


def test_spec_vector_valid_with_warning():
    credential = load_vector_json("unsigned-credential.json")
    credential["proof"] = {**load_vector_json("proof-options.json"), "proofValue": load_vector_json("expected.json")["proof_value"]}
    issuer_id = credential["issuer"]["id"]

    result = run(credential, resolve_key=lambda method: resolve_from_multikey_fragment(method, issuer_id))

    assert result.valid
    assert outcome(result, "issuer_key") == ("warning", "key_asserted_by_credential", {"controller": issuer_id})
    assert [check.code for check in result.warnings] == ["issuer_key"]


def test_legacy_cryptosuite_is_warning(unsigned_credential, private_key, verification_method):
    proof = {
        "type": "DataIntegrityProof",
        "created": "2026-12-04T10:00:00Z",
        "verificationMethod": verification_method,
        "cryptosuite": "eddsa-2022",
        "proofPurpose": "assertionMethod",
    }
    proof_hash, document_hash = proof_hashes(unsigned_credential, proof)
    proof["proofValue"] = encode_multibase_base58btc(private_key.sign(proof_hash + document_hash))

    result = run({**unsigned_credential, "proof": proof})

    assert result.valid
    assert outcome(result, "proof") == ("warning", "legacy_cryptosuite", {"cryptosuite": "eddsa-2022"})


def test_missing_proof(unsigned_credential):
    result = run(unsigned_credential)

    assert not result.valid
    assert outcome(result, "proof") == ("failed", "proof_missing", {})
    assert outcome(result, "issuer_key") == ("skipped", "key_not_resolved", {})


def test_wrong_cryptosuite(signed_credential):
    signed_credential["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"

    result = run(signed_credential)

    assert not result.valid
    assert outcome(result, "proof") == ("failed", "unsupported_cryptosuite", {"cryptosuite": "ecdsa-rdfc-2019"})


def test_bad_proof_value(signed_credential):
    signed_credential["proof"][0]["proofValue"] = "not-multibase"

    result = run(signed_credential)

    assert not result.valid
    assert outcome(result, "proof") == ("failed", "invalid_proof_value", {})


def test_wrong_proof_purpose(signed_credential):
    signed_credential["proof"][0]["proofPurpose"] = "authentication"

    assert outcome(run(signed_credential), "proof") == ("failed", "invalid_proof_purpose", {"proof_purpose": "authentication"})


def test_malformed_proof(signed_credential):
    del signed_credential["proof"][0]["verificationMethod"]

    assert outcome(run(signed_credential), "proof") == ("failed", "invalid_proof", {"field": "verificationMethod"})


def test_wrong_key(other_private_key, verification_method, issuer_did):
    signed = sign_sample(other_private_key, verification_method, issuer_did)

    result = run(signed)

    assert not result.valid
    assert outcome(result, "proof") == ("failed", "signature_mismatch", {})
    # The key still resolved, so whose key it is can still be reported.
    assert outcome(result, "issuer_key") == ("passed", "ok", {"controller": issuer_did})


def test_key_not_found(signed_credential, verification_method):
    def unknown(method):
        raise LookupError(method)

    result = run(signed_credential, resolve_key=unknown)

    assert outcome(result, "proof") == ("failed", "key_not_found", {"verification_method": verification_method})
    assert outcome(result, "issuer_key") == ("skipped", "key_not_resolved", {})


def test_revoked_key(signed_credential, issuer_did):
    def revoked(method):
        return ResolvedKey(
            id=method, controller=issuer_did, public_key=RFC8032_PUBLIC_KEY, revoked=True, revocation_reason="lost laptop"
        )

    result = run(signed_credential, resolve_key=revoked)

    assert not result.valid
    assert outcome(result, "proof") == ("passed", "ok", {"verification_method": signed_credential["proof"][0]["verificationMethod"]})
    assert outcome(result, "issuer_key") == ("failed", "key_revoked", {"reason": "lost laptop"})


def test_controller_mismatch(private_key, verification_method, issuer_did):
    signed = sign_sample(private_key, verification_method, "https://opisto.example/issuer")

    result = run(signed)

    assert not result.valid
    assert outcome(result, "proof") == ("passed", "ok", {"verification_method": verification_method})
    assert outcome(result, "issuer_key") == (
        "failed",
        "key_controller_mismatch",
        {"controller": issuer_did, "issuer": "https://opisto.example/issuer"},
    )


def test_expired(private_key, verification_method, issuer_did):
    signed = sign_sample(private_key, verification_method, issuer_did, valid_until=datetime(2027, 1, 1, tzinfo=UTC))

    result = run(signed)

    assert not result.valid
    assert outcome(result, "valid_until") == ("failed", "expired", {"valid_until": "2027-01-01T00:00:00Z"})


def test_expires_exactly_now(private_key, verification_method, issuer_did):
    signed = sign_sample(private_key, verification_method, issuer_did, valid_until=NOW)

    assert outcome(run(signed), "valid_until")[1] == "expired"


def test_not_yet_valid(signed_credential):
    result = run(signed_credential, now=datetime(2026, 12, 4, 9, 59, 59, tzinfo=UTC))

    assert not result.valid
    assert outcome(result, "valid_from") == ("failed", "not_yet_valid", {"valid_from": "2026-12-04T10:00:00Z"})


def test_valid_until_in_future(private_key, verification_method, issuer_did):
    signed = sign_sample(private_key, verification_method, issuer_did, valid_until=datetime(2028, 1, 1, tzinfo=UTC))

    result = run(signed)

    assert result.valid
    assert outcome(result, "valid_until") == ("passed", "ok", {"valid_until": "2028-01-01T00:00:00Z"})


def test_unknown_context(signed_credential):
    signed_credential["@context"].append("https://contexts.example/extras.json")

    result = run(signed_credential)

    assert not result.valid
    assert outcome(result, "structure") == ("failed", "context_not_bundled", {"url": "https://contexts.example/extras.json"})
    assert outcome(result, "proof") == ("failed", "context_not_bundled", {"url": "https://contexts.example/extras.json"})


def test_unversioned_ob_context_not_bundled(signed_credential):
    signed_credential["@context"][1] = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"

    assert outcome(run(signed_credential), "structure") == (
        "failed",
        "context_not_bundled",
        {"url": "https://purl.imsglobal.org/spec/ob/v3p0/context.json"},
    )


@pytest.mark.parametrize(
    "context",
    [
        ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://www.w3.org/ns/credentials/v2"],
        ["https://www.w3.org/ns/credentials/v2"],
        "https://www.w3.org/ns/credentials/v2",
        ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/openbadges/v2"],
    ],
)
def test_bad_context(signed_credential, context):
    signed_credential["@context"] = context

    assert outcome(run(signed_credential), "structure") == ("failed", "bad_context", {})


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("id",), "id"),
        (("type",), "type"),
        (("issuer",), "issuer"),
        (("issuer", "id"), "issuer.id"),
        (("validFrom",), "validFrom"),
        (("credentialSubject",), "credentialSubject"),
        (("credentialSubject", "achievement"), "credentialSubject.achievement"),
    ],
)
def test_missing_required_field(signed_credential, path, field):
    parent = signed_credential
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]

    result = run(signed_credential)

    assert not result.valid
    assert outcome(result, "structure") == ("failed", "missing_field", {"field": field})


def test_subject_needs_id_or_identifier(signed_credential):
    del signed_credential["credentialSubject"]["id"]
    del signed_credential["credentialSubject"]["identifier"]

    assert outcome(run(signed_credential), "structure") == ("failed", "missing_field", {"field": "credentialSubject.id"})


def test_subject_identifier_without_id_is_enough(private_key, verification_method, issuer_did):
    recipient = RecipientData(subject_id=None, name="Maija Meikäläinen")
    signed = sign_sample(private_key, verification_method, issuer_did, recipient=recipient)

    assert run(signed).valid


@pytest.mark.parametrize(
    ("types", "missing"),
    [
        (["OpenBadgeCredential"], "VerifiableCredential"),
        (["VerifiableCredential"], "OpenBadgeCredential"),
        (["VerifiableCredential", "EndorsementCredential"], "OpenBadgeCredential"),
    ],
)
def test_bad_type(signed_credential, types, missing):
    signed_credential["type"] = types

    assert outcome(run(signed_credential), "structure") == ("failed", "bad_type", {"type": missing})


def test_achievement_credential_type_accepted(private_key, verification_method, issuer_did):
    unsigned = build_sample_credential(issuer_did)
    unsigned["type"] = ["VerifiableCredential", "AchievementCredential"]
    signed = sign(unsigned, private_key=private_key, verification_method=verification_method, created=ISSUED_AT)

    assert run(signed).valid


def test_undefined_term(signed_credential):
    signed_credential["foo"] = 1

    result = run(signed_credential)

    assert not result.valid
    assert outcome(result, "structure") == ("failed", "undefined_terms", {"terms": ["foo"]})
    assert outcome(result, "proof") == ("failed", "undefined_terms", {"terms": ["foo"]})


def test_zoneless_valid_from(signed_credential):
    signed_credential["validFrom"] = "2026-12-04T10:00:00"

    result = run(signed_credential)

    expected = ("failed", "invalid_date", {"field": "validFrom", "value": "2026-12-04T10:00:00"})
    assert outcome(result, "structure") == expected
    assert outcome(result, "valid_from") == expected


def test_invalid_valid_until(signed_credential):
    signed_credential["validUntil"] = "next year"

    result = run(signed_credential)

    assert outcome(result, "valid_until") == ("failed", "invalid_date", {"field": "validUntil", "value": "next year"})


def test_dates_reported_when_proof_fails(unsigned_credential):
    result = run(unsigned_credential)

    assert outcome(result, "valid_from") == ("passed", "ok", {"valid_from": "2026-12-04T10:00:00Z"})


@pytest.mark.parametrize("document", [None, [], "credential", 42, True])
def test_not_json_object(document):
    result = run(document)

    assert not result.valid
    assert outcome(result, "structure") == ("failed", "not_json_object", {})
    assert [check.outcome for check in result.checks[1:]] == ["skipped"] * 4
    assert result.to_dict()["credential_id"] is None


GARBAGE = [
    {},
    {"@context": None},
    {"@context": [None, 5]},
    {"@context": [{"@version": 2}, "x"]},
    {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]},
    {"@context": 7, "proof": {"type": "DataIntegrityProof"}},
    {"proof": [None, 5, "z"], "validFrom": 2026, "validUntil": None},
    {"issuer": {"id": 5}, "credentialSubject": [], "type": {"a": 1}, "id": ["x"]},
    {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": [{"nested": True}],
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "proofPurpose": "assertionMethod",
            "verificationMethod": "did:key:" + RFC8032_MULTIKEY + "#" + RFC8032_MULTIKEY,
            "proofValue": "z" + "1" * 88,
        },
    },
]


@pytest.mark.parametrize("document", GARBAGE)
def test_garbage_never_raises(document):
    result = run(document)

    assert isinstance(result, VerificationResult)
    assert not result.valid
    assert [check.code for check in result.checks] == ["structure", "proof", "issuer_key", "valid_from", "valid_until"]


def test_naive_now_raises(signed_credential):
    with pytest.raises(ValueError, match="naive"):
        run(signed_credential, now=datetime(2027, 1, 1))


def test_result_valid_needs_required_checks():
    result = VerificationResult(checks=[Check("structure", "passed", "ok")])

    assert not result.valid


def test_result_lookup_unknown_check():
    with pytest.raises(KeyError):
        VerificationResult(checks=[]).check("proof")
