"""Known-answer test: the Open Badges 3.0 specification's eddsa-rdfc-2022 example.

The literals below are the published values (see vectors/ob3-eddsa-rdfc-2022/README.md).
expected.json contains the same values and is checked against them.
"""

import copy
import hashlib
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.openbadges.canonical import canonicalize
from badges.openbadges.dataintegrity import proof_hashes, sign, verify
from badges.openbadges.errors import (
    InvalidProofValueError,
    KeyResolutionError,
    MalformedProofError,
    SignatureMismatchError,
    UndefinedTermError,
)
from badges.openbadges.keys import resolve_from_multikey_fragment
from badges.openbadges.multikey import ed25519_public_key_to_multibase

from .samples import VECTOR_DIR, load_vector_json

SEED = bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
PUBLIC_KEY_MULTIBASE = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
DOCUMENT_HASH = "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
PROOF_HASH = "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
SIGNATURE = (
    "f7a017acf7d27983267ec362657c0fb08e955549f49dac5bf36a03c4f2c3a4f1"
    "e3738a6c5ecd7ffba7135cb9cd754e6196f4b73082ea8df8e703c8ecd4333503"
)
PROOF_VALUE = "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
CREATED = datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC)
ISSUER_ID = "https://example.edu/issuers/565049"


@pytest.fixture
def credential():
    return load_vector_json("unsigned-credential.json")


@pytest.fixture
def proof_options():
    return load_vector_json("proof-options.json")


@pytest.fixture
def private_key():
    return Ed25519PrivateKey.from_private_bytes(SEED)


@pytest.fixture
def signed(credential, proof_options):
    return {**credential, "proof": {**proof_options, "proofValue": PROOF_VALUE}}


def resolve_spec_key(verification_method, issuer_id=ISSUER_ID):
    return resolve_from_multikey_fragment(verification_method, issuer_id)


def test_expected_json_matches_literals():
    expected = load_vector_json("expected.json")

    assert expected["private_key_seed_hex"] == SEED.hex()
    assert expected["public_key_multibase"] == PUBLIC_KEY_MULTIBASE
    assert expected["document_hash_hex"] == DOCUMENT_HASH
    assert expected["proof_hash_hex"] == PROOF_HASH
    assert expected["signature_hex"] == SIGNATURE
    assert expected["proof_value"] == PROOF_VALUE


def test_public_key_from_seed(private_key):
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    assert raw.hex() == "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
    assert ed25519_public_key_to_multibase(raw) == PUBLIC_KEY_MULTIBASE


def test_document_canonical_bytes(credential):
    expected = (VECTOR_DIR / "document-canon.nq").read_bytes()

    assert canonicalize(credential).encode("utf-8") == expected


def test_proof_config_canonical_bytes(credential, proof_options):
    proof_config = {**proof_options, "@context": credential["@context"]}
    expected = (VECTOR_DIR / "proof-canon.nq").read_bytes()

    assert canonicalize(proof_config).encode("utf-8") == expected


def test_canonical_files_hash_to_published_values():
    assert hashlib.sha256((VECTOR_DIR / "document-canon.nq").read_bytes()).hexdigest() == DOCUMENT_HASH
    assert hashlib.sha256((VECTOR_DIR / "proof-canon.nq").read_bytes()).hexdigest() == PROOF_HASH


def test_proof_hashes(credential, proof_options):
    proof_hash, document_hash = proof_hashes(credential, proof_options)

    assert proof_hash.hex() == PROOF_HASH
    assert document_hash.hex() == DOCUMENT_HASH


def test_signature_is_deterministic(private_key):
    data = bytes.fromhex(PROOF_HASH) + bytes.fromhex(DOCUMENT_HASH)

    assert private_key.sign(data).hex() == SIGNATURE


def test_sign_reproduces_proof(credential, proof_options, private_key):
    signed = sign(
        credential,
        private_key=private_key,
        verification_method=proof_options["verificationMethod"],
        created=CREATED,
    )

    assert signed["proof"] == [{**proof_options, "proofValue": PROOF_VALUE}]


def test_verify_spec_credential(signed):
    result = verify(signed, resolve_key=resolve_spec_key)

    assert result.verification_method == f"{ISSUER_ID}#{PUBLIC_KEY_MULTIBASE}"
    assert result.controller == ISSUER_ID
    assert result.created == CREATED
    assert result.key.asserted_by_credential_only is True
    assert result.legacy_cryptosuite is False


def test_verify_rejects_other_issuer_id(signed):
    with pytest.raises(KeyResolutionError):
        verify(signed, resolve_key=lambda method: resolve_spec_key(method, "https://example.org/other"))


# Paths to string values. Each one is changed one character at a time.
TAMPERED_PATHS = [
    ("id",),
    ("name",),
    ("validFrom",),
    ("issuer", "id"),
    ("issuer", "name"),
    ("issuer", "url"),
    ("credentialSubject", "id"),
    ("credentialSubject", "achievement", "id"),
    ("credentialSubject", "achievement", "name"),
    ("credentialSubject", "achievement", "description"),
    ("credentialSubject", "achievement", "criteria", "narrative"),
    ("proof", "created"),
    ("proof", "verificationMethod"),
    ("proof", "proofValue"),
]

# Changing a character in an IRI can make it relative or point the key id
# elsewhere, and a changed "created" is no longer a date. Those fail before
# the signature check, which is fine as long as nothing passes.
REJECTIONS = (
    SignatureMismatchError,
    UndefinedTermError,
    KeyResolutionError,
    InvalidProofValueError,
    MalformedProofError,
)


def tampered_copies(document, path):
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    original = parent[path[-1]]
    for position in (0, len(original) // 2, len(original) - 1):
        replacement = "X" if original[position] != "X" else "Y"
        copy_ = copy.deepcopy(document)
        target = copy_
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = original[:position] + replacement + original[position + 1:]
        yield position, copy_


def resolve_with_document_issuer(document):
    return lambda method: resolve_spec_key(method, document["issuer"]["id"])


@pytest.mark.parametrize("path", TAMPERED_PATHS, ids=".".join)
def test_tampered_value_never_verifies(signed, path):
    for position, tampered in tampered_copies(signed, path):
        with pytest.raises(REJECTIONS):
            verify(tampered, resolve_key=resolve_with_document_issuer(tampered))
            pytest.fail(f"{'.'.join(path)} changed at {position} still verified")


def test_tampered_name_is_signature_mismatch(signed):
    signed["name"] = "Teamwork Badgf"

    with pytest.raises(SignatureMismatchError):
        verify(signed, resolve_key=resolve_spec_key)


def test_added_property_is_signature_mismatch(signed):
    signed["description"] = "An added description."

    with pytest.raises(SignatureMismatchError):
        verify(signed, resolve_key=resolve_spec_key)


def test_removed_property_is_signature_mismatch(signed):
    del signed["name"]

    with pytest.raises(SignatureMismatchError):
        verify(signed, resolve_key=resolve_spec_key)


def test_added_undefined_property_is_rejected(signed):
    signed["unsignedExtra"] = "would be dropped by canonicalisation"

    with pytest.raises(UndefinedTermError):
        verify(signed, resolve_key=resolve_spec_key)
