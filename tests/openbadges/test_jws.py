import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from badges.openbadges import jws
from badges.openbadges.errors import JwsError, JwsSignatureError


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_round_trip(rsa_key):
    token = jws.sign_compact(b'{"a": 1}', private_key=rsa_key, headers={"kid": "https://example.org/k"})

    header, payload = jws.verify_compact(token, public_key=rsa_key.public_key())

    assert header == {"alg": "RS256", "kid": "https://example.org/k"}
    assert payload == b'{"a": 1}'


def test_signing_is_deterministic(rsa_key):
    first = jws.sign_compact(b"x", private_key=rsa_key, headers={})
    second = jws.sign_compact(b"x", private_key=rsa_key, headers={})
    assert first == second


def test_changed_payload_fails(rsa_key):
    header, payload, signature = jws.sign_compact(b'{"a": 1}', private_key=rsa_key, headers={}).split(".")
    tampered = ".".join([header, b64(b'{"a": 2}'), signature])

    with pytest.raises(JwsSignatureError):
        jws.verify_compact(tampered, public_key=rsa_key.public_key())


def test_wrong_key_fails(rsa_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jws.sign_compact(b"x", private_key=other, headers={})

    with pytest.raises(JwsSignatureError):
        jws.verify_compact(token, public_key=rsa_key.public_key())


def test_alg_none_rejected(rsa_key):
    token = b64(json.dumps({"alg": "none"}).encode()) + "." + b64(b'{"a": 1}') + ".x"

    with pytest.raises(JwsError) as caught:
        jws.verify_compact(token, public_key=rsa_key.public_key())

    assert caught.value.params == {"algorithm": "none"}


def test_hs256_with_public_key_rejected(rsa_key):
    token = b64(json.dumps({"alg": "HS256"}).encode()) + "." + b64(b"{}") + ".c2ln"
    with pytest.raises(JwsError):
        jws.verify_compact(token, public_key=rsa_key.public_key())


def test_es256_key_type_mismatch(rsa_key):
    token = jws.sign_compact(b"x", private_key=rsa_key, headers={})
    ec_key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(JwsError):
        jws.verify_compact(token, public_key=ec_key.public_key())


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c.d", "!!!.e30.c2ln", b64(b"[1]") + ".e30.c2ln", b64(b'{"alg": 1}') + ".e30.c2ln"],
)
def test_malformed_tokens(token):
    with pytest.raises(JwsError):
        jws.decode_unverified(token)


def test_decode_unverified(rsa_key):
    token = jws.sign_compact(b'{"b": 2}', private_key=rsa_key, headers={"typ": "JWT"})
    header, payload = jws.decode_unverified(token)
    assert header == {"alg": "RS256", "typ": "JWT"}
    assert payload == b'{"b": 2}'


def test_header_with_embedded_jwk_verifies(rsa_key):
    from badges.openbadges.vcjwt import public_jwk

    jwk = public_jwk(rsa_key.public_key(), kid="https://example.org/keys/rsa-1")
    token = jws.sign_compact(b"{}", private_key=rsa_key, headers={"jwk": jwk, "typ": "JWT"})

    header, _payload = jws.verify_compact(token, public_key=rsa_key.public_key())

    assert header["jwk"]["n"] == jwk["n"]
