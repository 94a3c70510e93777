import copy
from datetime import datetime

import pytest

from badges.openbadges.dataintegrity import LEGACY_CRYPTOSUITE, VerifiedProof, proof_hashes, sign, verify
from badges.openbadges.errors import (
    InvalidProofValueError,
    KeyResolutionError,
    MalformedProofError,
    ProofMissingError,
    ProofPurposeError,
    SignatureMismatchError,
    UndefinedTermError,
    UnsupportedCryptosuiteError,
)
from badges.openbadges.keys import ResolvedKey, resolve_did_key
from badges.openbadges.multikey import encode_multibase_base58btc

from .samples import ISSUED_AT, RFC8032_PUBLIC_KEY

# Pinned output of this implementation for the sample credential and the
# RFC 8032 key. The specification vector test checks the algorithm itself.
EXPECTED_PROOF_VALUE = "z3JefFm3FJGgyc5xszc8V2xPJR3LjgZAzuywb7i16F72bh43Xy3cjZGTRDswuj5aVAapZcmJ9Km6EE69Wb9nSGbmz"


class UnusableKey:
    """A stand-in private key that fails the test if anything is signed."""

    def sign(self, data):
        pytest.fail("the document was signed although it should have been rejected")


def test_sign_literal_proof(signed_credential, verification_method):
    assert signed_credential["proof"] == [
        {
            "type": "DataIntegrityProof",
            "created": "2026-12-04T10:00:00Z",
            "verificationMethod": verification_method,
            "cryptosuite": "eddsa-rdfc-2022",
            "proofPurpose": "assertionMethod",
            "proofValue": EXPECTED_PROOF_VALUE,
        }
    ]


def test_sign_returns_new_dict(unsigned_credential, private_key, verification_method):
    original = copy.deepcopy(unsigned_credential)

    signed = sign(unsigned_credential, private_key=private_key, verification_method=verification_method, created=ISSUED_AT)

    assert unsigned_credential == original
    assert {key: value for key, value in signed.items() if key != "proof"} == original


def test_sign_then_verify(signed_credential, verification_method, issuer_did):
    result = verify(signed_credential, resolve_key=resolve_did_key)

    assert result == VerifiedProof(
        verification_method=verification_method,
        controller=issuer_did,
        created=ISSUED_AT,
        key=ResolvedKey(id=verification_method, controller=issuer_did, public_key=RFC8032_PUBLIC_KEY),
        legacy_cryptosuite=False,
    )


def test_sign_rejects_undefined_term(unsigned_credential, verification_method):
    unsigned_credential["credentialSubject"]["foo"] = 1

    with pytest.raises(UndefinedTermError) as caught:
        sign(unsigned_credential, private_key=UnusableKey(), verification_method=verification_method, created=ISSUED_AT)

    assert caught.value.terms == ["foo"]


def test_sign_rejects_made_up_type(unsigned_credential, verification_method):
    unsigned_credential["type"].append("MerkkipajaCredential")

    with pytest.raises(UndefinedTermError):
        sign(unsigned_credential, private_key=UnusableKey(), verification_method=verification_method, created=ISSUED_AT)


def test_sign_rejects_signed_document(signed_credential, private_key, verification_method):
    with pytest.raises(ValueError, match="already has a proof"):
        sign(signed_credential, private_key=private_key, verification_method=verification_method, created=ISSUED_AT)


def test_sign_rejects_naive_created(unsigned_credential, private_key, verification_method):
    with pytest.raises(ValueError, match="naive"):
        sign(
            unsigned_credential,
            private_key=private_key,
            verification_method=verification_method,
            created=datetime(2026, 12, 4, 10, 0),
        )


def test_proof_hashes_ignore_proof_value(signed_credential):
    proof = signed_credential["proof"][0]
    without_value = {key: value for key, value in proof.items() if key != "proofValue"}

    assert proof_hashes(signed_credential, proof) == proof_hashes(signed_credential, without_value)


def test_one_valid_proof_in_list_suffices(signed_credential):
    other_suite = {**signed_credential["proof"][0], "cryptosuite": "ecdsa-rdfc-2019"}
    signed_credential["proof"] = [other_suite, signed_credential["proof"][0]]

    assert verify(signed_credential, resolve_key=resolve_did_key).controller.startswith("did:key:")


def test_list_without_valid_proof_reports_eddsa_error(signed_credential):
    other_suite = {**signed_credential["proof"][0], "cryptosuite": "ecdsa-rdfc-2019"}
    broken = {**signed_credential["proof"][0], "proofValue": "z" + "1" * 10}
    signed_credential["proof"] = [other_suite, broken]

    with pytest.raises(InvalidProofValueError):
        verify(signed_credential, resolve_key=resolve_did_key)


def test_legacy_cryptosuite_name_verifies(unsigned_credential, private_key, verification_method):
    proof = {
        "type": "DataIntegrityProof",
        "created": "2026-12-04T10:00:00Z",
        "verificationMethod": verification_method,
        "cryptosuite": LEGACY_CRYPTOSUITE,
        "proofPurpose": "assertionMethod",
    }
    proof_hash, document_hash = proof_hashes(unsigned_credential, proof)
    proof["proofValue"] = encode_multibase_base58btc(private_key.sign(proof_hash + document_hash))

    result = verify({**unsigned_credential, "proof": proof}, resolve_key=resolve_did_key)

    assert result.legacy_cryptosuite is True


def test_missing_proof(unsigned_credential):
    with pytest.raises(ProofMissingError) as caught:
        verify(unsigned_credential, resolve_key=resolve_did_key)

    assert caught.value.code == "proof_missing"


def test_empty_proof_list(unsigned_credential):
    with pytest.raises(ProofMissingError):
        verify({**unsigned_credential, "proof": []}, resolve_key=resolve_did_key)


def test_proof_not_object(unsigned_credential):
    with pytest.raises(MalformedProofError) as caught:
        verify({**unsigned_credential, "proof": "z3Jef"}, resolve_key=resolve_did_key)

    assert caught.value.params == {"field": "proof"}


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        ({"type": "Ed25519Signature2020"}, UnsupportedCryptosuiteError, "unsupported_cryptosuite"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, UnsupportedCryptosuiteError, "unsupported_cryptosuite"),
        ({"cryptosuite": None}, UnsupportedCryptosuiteError, "unsupported_cryptosuite"),
        ({"proofPurpose": "authentication"}, ProofPurposeError, "invalid_proof_purpose"),
        ({"verificationMethod": None}, MalformedProofError, "invalid_proof"),
        ({"created": "2026-12-04T10:00:00"}, MalformedProofError, "invalid_proof"),
        ({"proofValue": None}, InvalidProofValueError, "invalid_proof_value"),
        ({"proofValue": EXPECTED_PROOF_VALUE[1:]}, InvalidProofValueError, "invalid_proof_value"),
        ({"proofValue": "u" + EXPECTED_PROOF_VALUE[1:]}, InvalidProofValueError, "invalid_proof_value"),
        ({"proofValue": EXPECTED_PROOF_VALUE[:-1] + "0"}, InvalidProofValueError, "invalid_proof_value"),
        ({"proofValue": EXPECTED_PROOF_VALUE[:-10]}, InvalidProofValueError, "invalid_proof_value"),
    ],
)
def test_bad_proof_fields(signed_credential, changes, error, code):
    signed_credential["proof"][0].update(changes)

    with pytest.raises(error) as caught:
        verify(signed_credential, resolve_key=resolve_did_key)

    assert caught.value.code == code


def test_unsupported_cryptosuite_params(signed_credential):
    signed_credential["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"

    with pytest.raises(UnsupportedCryptosuiteError) as caught:
        verify(signed_credential, resolve_key=resolve_did_key)

    assert caught.value.params == {"cryptosuite": "ecdsa-rdfc-2019"}


def test_missing_created_is_allowed(unsigned_credential, private_key, verification_method):
    proof = {
        "type": "DataIntegrityProof",
        "verificationMethod": verification_method,
        "cryptosuite": "eddsa-rdfc-2022",
        "proofPurpose": "assertionMethod",
    }
    proof_hash, document_hash = proof_hashes(unsigned_credential, proof)
    proof["proofValue"] = encode_multibase_base58btc(private_key.sign(proof_hash + document_hash))

    assert verify({**unsigned_credential, "proof": proof}, resolve_key=resolve_did_key).created is None


def test_wrong_key_is_signature_mismatch(unsigned_credential, other_private_key, verification_method):
    signed = sign(unsigned_credential, private_key=other_private_key, verification_method=verification_method, created=ISSUED_AT)

    with pytest.raises(SignatureMismatchError) as caught:
        verify(signed, resolve_key=resolve_did_key)

    assert caught.value.code == "signature_mismatch"


def test_changed_content_is_signature_mismatch(signed_credential):
    signed_credential["credentialSubject"]["achievement"]["name"] = "Numerotaidot"

    with pytest.raises(SignatureMismatchError):
        verify(signed_credential, resolve_key=resolve_did_key)


def test_resolver_key_error_propagates(signed_credential, verification_method):
    def resolver(method):
        raise KeyResolutionError(method)

    with pytest.raises(KeyResolutionError) as caught:
        verify(signed_credential, resolve_key=resolver)

    assert caught.value.verification_method == verification_method


def test_resolver_lookup_error_becomes_key_error(signed_credential):
    def resolver(method):
        raise LookupError(method)

    with pytest.raises(KeyResolutionError):
        verify(signed_credential, resolve_key=resolver)


def test_resolver_other_error_propagates(signed_credential):
    def resolver(method):
        raise RuntimeError("key store unavailable")

    with pytest.raises(RuntimeError, match="key store unavailable"):
        verify(signed_credential, resolve_key=resolver)


def test_resolver_returning_bad_key(signed_credential, issuer_did):
    def resolver(method):
        return ResolvedKey(id=method, controller=issuer_did, public_key=b"short")

    with pytest.raises(KeyResolutionError, match="32-byte"):
        verify(signed_credential, resolve_key=resolver)


def test_verify_rejects_non_dict():
    with pytest.raises(TypeError):
        verify(["not", "a", "credential"], resolve_key=resolve_did_key)
