import pytest

from badges.openbadges.errors import InvalidMultibaseError, InvalidMultikeyError
from badges.openbadges.multikey import (
    decode_multibase_base58btc,
    did_key_for,
    ed25519_public_key_to_multibase,
    encode_multibase_base58btc,
    multibase_to_ed25519_public_key,
)

from .samples import RFC8032_PUBLIC_KEY

SPEC_PUBLIC_KEY = bytes.fromhex("4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5")
SPEC_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


def test_spec_key_to_multibase():
    assert ed25519_public_key_to_multibase(SPEC_PUBLIC_KEY) == SPEC_MULTIKEY


def test_spec_multibase_to_key():
    assert multibase_to_ed25519_public_key(SPEC_MULTIKEY) == SPEC_PUBLIC_KEY


def test_rfc8032_key_round_trip():
    multibase = ed25519_public_key_to_multibase(RFC8032_PUBLIC_KEY)

    assert multibase == "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
    assert multibase_to_ed25519_public_key(multibase) == RFC8032_PUBLIC_KEY


def test_did_key_for_spec_key():
    assert did_key_for(SPEC_PUBLIC_KEY) == "did:key:" + SPEC_MULTIKEY


def test_multibase_round_trip_keeps_leading_zeros():
    data = b"\x00\x00\x01\xff" + bytes(range(60))

    encoded = encode_multibase_base58btc(data)

    assert encoded.startswith("z11")
    assert decode_multibase_base58btc(encoded) == data


def test_decode_rejects_other_multibase_prefix():
    # "u" is base64url in multibase, which proof values must not use.
    with pytest.raises(InvalidMultibaseError) as caught:
        decode_multibase_base58btc("uAAEC")

    assert caught.value.value == "uAAEC"
    assert caught.value.code == "invalid_multibase"


@pytest.mark.parametrize("text", ["z", "z0OIl", "z6Mk ", " z6Mk", "z6Mk\n"])
def test_decode_rejects_bad_text(text):
    with pytest.raises(InvalidMultibaseError):
        decode_multibase_base58btc(text)


def test_decode_rejects_non_string():
    with pytest.raises(InvalidMultibaseError):
        decode_multibase_base58btc(b"z6Mk")


def test_multikey_rejects_wrong_codec():
    # Multicodec 0xec (varint 0xec01) is X25519, a key-agreement key, not a signing key.
    x25519 = encode_multibase_base58btc(b"\xec\x01" + SPEC_PUBLIC_KEY)

    with pytest.raises(InvalidMultikeyError) as caught:
        multibase_to_ed25519_public_key(x25519)

    assert "0xed01" in str(caught.value)
    assert "0xec01" in str(caught.value)


@pytest.mark.parametrize("length", [0, 31, 33])
def test_multikey_rejects_wrong_length(length):
    text = encode_multibase_base58btc(b"\xed\x01" + bytes(length))

    with pytest.raises(InvalidMultikeyError) as caught:
        multibase_to_ed25519_public_key(text)

    assert f"contains {length} key bytes" in str(caught.value)


def test_multikey_wraps_multibase_error():
    with pytest.raises(InvalidMultikeyError):
        multibase_to_ed25519_public_key("Z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")


def test_encode_key_rejects_wrong_length():
    with pytest.raises(ValueError, match="exactly 32 bytes, got 33"):
        ed25519_public_key_to_multibase(bytes(33))


def test_encode_key_rejects_text():
    with pytest.raises(TypeError):
        ed25519_public_key_to_multibase("4bdeafde" * 8)
