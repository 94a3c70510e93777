import pytest

from badges.openbadges.errors import KeyResolutionError
from badges.openbadges.keys import ResolvedKey, parse_did_document, resolve_did_key, resolve_from_multikey_fragment

from .samples import RFC8032_PUBLIC_KEY

SPEC_ISSUER = "https://example.edu/issuers/565049"
SPEC_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
SPEC_PUBLIC_KEY = bytes.fromhex("4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5")
RFC8032_MULTIKEY = "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
DID_WEB = "did:web:merkit.example:issuers:opisto"


def did_document(**overrides):
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID_WEB,
        "verificationMethod": [
            {
                "id": DID_WEB + "#key-1",
                "type": "Multikey",
                "controller": DID_WEB,
                "publicKeyMultibase": RFC8032_MULTIKEY,
            }
        ],
        "assertionMethod": [DID_WEB + "#key-1"],
    }
    document.update(overrides)
    return document


def test_fragment_resolves_spec_key():
    key = resolve_from_multikey_fragment(f"{SPEC_ISSUER}#{SPEC_MULTIKEY}", SPEC_ISSUER)

    assert key == ResolvedKey(
        id=f"{SPEC_ISSUER}#{SPEC_MULTIKEY}",
        controller=SPEC_ISSUER,
        public_key=SPEC_PUBLIC_KEY,
        asserted_by_credential_only=True,
    )


def test_fragment_prefix_must_be_issuer():
    with pytest.raises(KeyResolutionError) as caught:
        resolve_from_multikey_fragment(f"https://attacker.example/issuer#{SPEC_MULTIKEY}", SPEC_ISSUER)

    assert caught.value.verification_method == f"https://attacker.example/issuer#{SPEC_MULTIKEY}"
    assert "must equal the issuer id" in str(caught.value)


def test_fragment_missing_rejected():
    with pytest.raises(KeyResolutionError, match="no '#z6Mk…' fragment"):
        resolve_from_multikey_fragment(SPEC_ISSUER, SPEC_ISSUER)


def test_fragment_not_a_multikey_rejected():
    with pytest.raises(KeyResolutionError, match="base58btc"):
        resolve_from_multikey_fragment(f"{SPEC_ISSUER}#key-1", SPEC_ISSUER)


def test_did_key_resolves():
    did = "did:key:" + RFC8032_MULTIKEY

    key = resolve_did_key(f"{did}#{RFC8032_MULTIKEY}")

    assert key == ResolvedKey(id=f"{did}#{RFC8032_MULTIKEY}", controller=did, public_key=RFC8032_PUBLIC_KEY)


def test_did_key_fragment_must_repeat_key():
    with pytest.raises(KeyResolutionError, match="same key again"):
        resolve_did_key(f"did:key:{RFC8032_MULTIKEY}#{SPEC_MULTIKEY}")


def test_did_key_without_fragment_rejected():
    with pytest.raises(KeyResolutionError):
        resolve_did_key(f"did:key:{RFC8032_MULTIKEY}")


def test_did_key_other_method_rejected():
    with pytest.raises(KeyResolutionError, match="not a did:key URL"):
        resolve_did_key(f"{DID_WEB}#key-1")


def test_did_key_non_ed25519_rejected():
    # A P-256 key: multicodec 0x1200 (varint 0x8024) and 33 compressed bytes.
    p256 = "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"

    with pytest.raises(KeyResolutionError, match="0xed01"):
        resolve_did_key(f"did:key:{p256}#{p256}")


def test_non_string_method_rejected():
    with pytest.raises(KeyResolutionError):
        resolve_did_key(None)


def test_did_document_absolute_id():
    key = parse_did_document(did_document(), DID_WEB + "#key-1")

    assert key == ResolvedKey(id=DID_WEB + "#key-1", controller=DID_WEB, public_key=RFC8032_PUBLIC_KEY)


def test_did_document_relative_ids():
    document = did_document(assertionMethod=["#key-1"])
    document["verificationMethod"][0]["id"] = "#key-1"

    key = parse_did_document(document, "#key-1")

    assert key.id == DID_WEB + "#key-1"
    assert key.public_key == RFC8032_PUBLIC_KEY


def test_did_document_embedded_assertion_method():
    method = {
        "id": DID_WEB + "#key-2",
        "type": "Ed25519VerificationKey2020",
        "controller": DID_WEB,
        "publicKeyMultibase": SPEC_MULTIKEY,
    }
    document = did_document(assertionMethod=[method])

    key = parse_did_document(document, DID_WEB + "#key-2")

    assert key.public_key == SPEC_PUBLIC_KEY


def test_did_document_not_assertion_method():
    document = did_document(assertionMethod=[], authentication=[DID_WEB + "#key-1"])

    with pytest.raises(KeyResolutionError, match="assertionMethod"):
        parse_did_document(document, DID_WEB + "#key-1")


def test_did_document_unknown_method():
    with pytest.raises(KeyResolutionError, match="has no method"):
        parse_did_document(did_document(), DID_WEB + "#key-9")


def test_did_document_unsupported_type():
    document = did_document()
    document["verificationMethod"][0]["type"] = "JsonWebKey2020"

    with pytest.raises(KeyResolutionError, match="JsonWebKey2020"):
        parse_did_document(document, DID_WEB + "#key-1")


def test_did_document_missing_controller():
    document = did_document()
    del document["verificationMethod"][0]["controller"]

    with pytest.raises(KeyResolutionError, match="controller"):
        parse_did_document(document, DID_WEB + "#key-1")


def test_did_document_bad_key():
    document = did_document()
    # A secp256k1 key: multicodec 0xe7 (varint 0xe701), not Ed25519.
    document["verificationMethod"][0]["publicKeyMultibase"] = "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"

    with pytest.raises(KeyResolutionError, match="0xed01"):
        parse_did_document(document, DID_WEB + "#key-1")


def test_did_document_revoked_method():
    document = did_document()
    document["verificationMethod"][0]["revoked"] = "2026-06-01T00:00:00Z"

    key = parse_did_document(document, DID_WEB + "#key-1")

    assert key.revoked is True
    assert key.revocation_reason == "revoked at 2026-06-01T00:00:00Z"


def test_did_document_without_id():
    with pytest.raises(KeyResolutionError, match="string 'id'"):
        parse_did_document({"verificationMethod": []}, DID_WEB + "#key-1")


def test_error_code_is_key_not_found():
    with pytest.raises(KeyResolutionError) as caught:
        parse_did_document(did_document(), DID_WEB + "#key-9")

    assert caught.value.code == "key_not_found"
    assert caught.value.params == {"verification_method": DID_WEB + "#key-9"}
