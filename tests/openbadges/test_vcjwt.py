"""VC-JWT encoding, decoding, claim checks and JWKs, with a known-answer vector (see vectors/vc-jwt/README.md)."""

import base64
import copy
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from badges.openbadges import jws
from badges.openbadges.errors import (
    InvalidJwkError,
    JwsError,
    JwsSignatureError,
    VcJwtClaimMismatchError,
    VcJwtClaimMissingError,
    VcJwtError,
)
from badges.openbadges.vcjwt import (
    check_vc_jwt_claims,
    decode_vc_jwt,
    encode_vc_jwt,
    public_jwk,
    public_key_from_jwk,
    verify_vc_jwt,
)

VECTOR_DIR = Path(__file__).parent / "vectors" / "vc-jwt"
KID = "https://merkit.example.fi/issuers/taitopaja/keys/rsa-1.jwk"
HEADER = {"alg": "RS256", "kid": KID, "typ": "JWT"}
CLAIMS = {
    "iss": "did:web:merkit.example.fi:issuers:taitopaja",
    "jti": "https://merkit.example.fi/credentials/6f1c2a9e-0b5d-4c1e-9a3f-2d7e8b4c5a10",
    "sub": "urn:uuid:6c4e0b3e-3f55-4b8a-9a8e-0c2c2f6f8a11",
    "nbf": 1796378400,  # 2026-12-04T10:00:00Z
    "exp": 1859536800,  # 2028-12-04T10:00:00Z
}


@pytest.fixture(scope="module")
def private_key():
    return serialization.load_pem_private_key((VECTOR_DIR / "rsa-2048-test-key.pem").read_bytes(), password=None)


@pytest.fixture
def credential():
    return json.loads((VECTOR_DIR / "credential.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def expected_token():
    return (VECTOR_DIR / "expected.jwt").read_text("ascii").strip()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value) -> str:
    return b64(json.dumps(value).encode())


def resign(private_key, header: dict, payload: dict) -> str:
    """Sign any header and payload, bypassing encode_vc_jwt's guards, to build bad tokens."""
    extra = {name: value for name, value in header.items() if name != "alg"}
    return jws.sign_compact(json.dumps(payload).encode(), private_key=private_key, headers=extra)


# Known answer


def test_encode_known_answer(private_key, credential, expected_token):
    assert encode_vc_jwt(credential, private_key=private_key, kid=KID) == expected_token


def test_known_answer_header(expected_token):
    header, _payload = jws.decode_unverified(expected_token)
    assert header == HEADER


def test_known_answer_header_member_order(expected_token):
    raw_header = base64.urlsafe_b64decode(expected_token.split(".")[0] + "==")
    assert raw_header == b'{"alg":"RS256","kid":"' + KID.encode() + b'","typ":"JWT"}'


def test_known_answer_payload_is_credential_plus_claims(expected_token, credential):
    _header, payload = jws.decode_unverified(expected_token)
    assert json.loads(payload) == {**credential, **CLAIMS}


def test_encoding_is_deterministic(private_key, credential):
    first = encode_vc_jwt(credential, private_key=private_key, kid=KID)
    second = encode_vc_jwt(credential, private_key=private_key, kid=KID)
    assert first == second


# Encoding rules


def test_encode_without_valid_until_has_no_exp(private_key, credential):
    del credential["validUntil"]
    _header, _credential, claims = decode_vc_jwt(encode_vc_jwt(credential, private_key=private_key, kid=KID))
    assert "exp" not in claims


def test_encode_fractional_valid_from_rounds_down(private_key, credential):
    credential["validFrom"] = "2026-12-04T12:00:00.900+02:00"
    _header, _credential, claims = decode_vc_jwt(encode_vc_jwt(credential, private_key=private_key, kid=KID))
    assert claims["nbf"] == CLAIMS["nbf"]


def test_encode_issuer_as_string(private_key, credential):
    credential["issuer"] = "https://opisto.example/issuer"
    _header, _credential, claims = decode_vc_jwt(encode_vc_jwt(credential, private_key=private_key, kid=KID))
    assert claims["iss"] == "https://opisto.example/issuer"


@pytest.mark.parametrize(
    "path, source",
    [
        (("credentialSubject", "id"), "credentialSubject.id"),
        (("issuer", "id"), "issuer.id"),
        (("id",), "id"),
        (("validFrom",), "validFrom"),
    ],
)
def test_encode_requires_mirrored_value(private_key, credential, path, source):
    target = credential
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]

    with pytest.raises(VcJwtError) as caught:
        encode_vc_jwt(credential, private_key=private_key, kid=KID)

    assert caught.value.params["property"] == source


def test_encode_rejects_zoneless_valid_from(private_key, credential):
    credential["validFrom"] = "2026-12-04T10:00:00"
    with pytest.raises(VcJwtError):
        encode_vc_jwt(credential, private_key=private_key, kid=KID)


def test_encode_rejects_credential_with_claim_names(private_key, credential):
    credential["iss"] = "did:web:other.example"
    with pytest.raises(VcJwtError):
        encode_vc_jwt(credential, private_key=private_key, kid=KID)


def test_encode_needs_kid(private_key, credential):
    with pytest.raises(ValueError):
        encode_vc_jwt(credential, private_key=private_key, kid="")


def test_encode_needs_rsa_key(credential):
    with pytest.raises(TypeError):
        encode_vc_jwt(credential, private_key=ec.generate_private_key(ec.SECP256R1()), kid=KID)


# Decoding and verifying


def test_decode_splits_credential_and_claims(expected_token, credential):
    header, decoded, claims = decode_vc_jwt(expected_token)

    assert header == HEADER
    assert decoded == credential
    assert claims == CLAIMS


def test_verify_returns_decoded_parts(expected_token, private_key, credential):
    _header, decoded, claims = verify_vc_jwt(expected_token, public_key=private_key.public_key())
    assert decoded == credential
    assert claims == CLAIMS


def test_verify_with_key_from_served_jwk(expected_token, private_key):
    public_key = public_key_from_jwk(public_jwk(private_key.public_key(), kid=KID))
    verify_vc_jwt(expected_token, public_key=public_key)


def test_verify_wrong_key_fails(expected_token):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(JwsSignatureError):
        verify_vc_jwt(expected_token, public_key=other.public_key())


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Tekstitaidot 2"),
        ("validUntil", "2099-12-04T10:00:00Z"),
        ("exp", 4102444800),
        ("sub", "urn:uuid:00000000-0000-0000-0000-000000000000"),
    ],
)
def test_tampered_payload_fails(expected_token, private_key, field, value):
    header_part, payload_part, signature_part = expected_token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4)))
    payload[field] = value
    tampered = ".".join([header_part, b64json(payload), signature_part])

    with pytest.raises(JwsSignatureError):
        verify_vc_jwt(tampered, public_key=private_key.public_key())


def test_tampered_header_fails(expected_token, private_key):
    _header_part, payload_part, signature_part = expected_token.split(".")
    tampered = ".".join([b64json({**HEADER, "kid": "https://evil.example/key.jwk"}), payload_part, signature_part])

    with pytest.raises(JwsSignatureError):
        verify_vc_jwt(tampered, public_key=private_key.public_key())


def test_changed_signature_fails(expected_token, private_key):
    last = expected_token[-2]
    tampered = expected_token[:-2] + ("A" if last != "A" else "B") + expected_token[-1]
    with pytest.raises(JwsSignatureError):
        verify_vc_jwt(tampered, public_key=private_key.public_key())


def test_alg_none_rejected(expected_token, private_key):
    _header_part, payload_part, _signature = expected_token.split(".")
    token = b64json({"alg": "none", "kid": KID}) + "." + payload_part + ".c2ln"
    with pytest.raises(JwsError):
        verify_vc_jwt(token, public_key=private_key.public_key())


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "RS256", "kid": KID, "typ": "JWT", "cty": "vc"},
        {"alg": "RS256", "kid": KID, "typ": "vc+jwt"},
        {"alg": "RS256", "typ": "JWT"},
        {"alg": "RS256", "kid": ""},
        {"alg": "RS256", "jwk": "not an object"},
    ],
)
def test_decode_rejects_header(credential, header):
    # decode_vc_jwt does not check signatures, so a placeholder signature will do.
    token = b64json(header) + "." + b64json({**credential, **CLAIMS}) + ".c2ln"
    with pytest.raises(VcJwtError):
        decode_vc_jwt(token)


def test_decode_accepts_embedded_jwk(private_key, credential):
    jwk = public_jwk(private_key.public_key(), kid=KID)
    token = resign(private_key, {"alg": "RS256", "jwk": jwk}, {**credential, **CLAIMS})

    header, _credential, _claims = decode_vc_jwt(token)

    assert header["jwk"] == jwk


@pytest.mark.parametrize("payload", ["[1, 2]", "not json", '"text"'])
def test_decode_rejects_payload(private_key, payload):
    token = jws.sign_compact(payload.encode(), private_key=private_key, headers={"kid": KID})
    with pytest.raises(VcJwtError):
        decode_vc_jwt(token)


def test_decode_reads_vcdm_1_1_vc_claim(private_key):
    legacy_credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "http://example.edu/credentials/3732",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"]},
        "issuanceDate": "2010-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "type": ["AchievementSubject"]},
    }
    legacy_claims = {
        "iss": "https://example.edu/issuers/565049",
        "nbf": 1262304000,
        "jti": "http://example.edu/credentials/3732",
        "sub": "did:example:ebfeb1f712ebc6f1c276e12ec21",
    }
    token = resign(private_key, {"alg": "RS256", "kid": KID}, {"vc": legacy_credential, **legacy_claims})

    _header, decoded, claims = decode_vc_jwt(token)

    assert decoded == legacy_credential
    assert claims == legacy_claims
    assert check_vc_jwt_claims(decoded, claims) == []


# Claim checks


def test_claims_of_encoded_token_match(expected_token):
    _header, credential, claims = decode_vc_jwt(expected_token)
    assert check_vc_jwt_claims(credential, claims) == []


@pytest.mark.parametrize("claim", ["iss", "jti", "sub", "nbf", "exp"])
def test_missing_claim_reported(credential, claim):
    claims = {name: value for name, value in CLAIMS.items() if name != claim}

    problems = check_vc_jwt_claims(credential, claims)

    assert [(type(problem), problem.code, problem.params["claim"]) for problem in problems] == [
        (VcJwtClaimMissingError, "jwt_claim_missing", claim)
    ]


@pytest.mark.parametrize(
    "claim, value",
    [
        ("iss", "did:web:other.example"),
        ("jti", "https://merkit.example.fi/credentials/other"),
        ("sub", "urn:uuid:00000000-0000-0000-0000-000000000000"),
        ("nbf", CLAIMS["nbf"] - 1),
        ("exp", CLAIMS["exp"] + 86400),
        ("nbf", "1796378400"),
        ("exp", True),
    ],
)
def test_mismatched_claim_reported(credential, claim, value):
    problems = check_vc_jwt_claims(credential, {**CLAIMS, claim: value})

    assert [(problem.code, problem.params["claim"], problem.params["actual"]) for problem in problems] == [
        ("jwt_claim_mismatch", claim, value)
    ]
    assert isinstance(problems[0], VcJwtClaimMismatchError)


def test_fractional_numeric_date_matches(credential):
    assert check_vc_jwt_claims(credential, {**CLAIMS, "nbf": CLAIMS["nbf"] + 0.5}) == []


def test_exp_without_valid_until_reported(credential):
    del credential["validUntil"]

    problems = check_vc_jwt_claims(credential, CLAIMS)

    assert [(problem.code, problem.params["claim"]) for problem in problems] == [("jwt_claim_mismatch", "exp")]


def test_no_exp_without_valid_until_passes(credential):
    del credential["validUntil"]
    claims = {name: value for name, value in CLAIMS.items() if name != "exp"}
    assert check_vc_jwt_claims(credential, claims) == []


def test_subject_without_id_reports_sub(credential):
    del credential["credentialSubject"]["id"]
    claims = {name: value for name, value in CLAIMS.items() if name != "sub"}

    problems = check_vc_jwt_claims(credential, claims)

    assert [(problem.code, problem.params["claim"]) for problem in problems] == [("jwt_claim_missing", "sub")]


def test_claim_problem_message_names_values(credential):
    problem = check_vc_jwt_claims(credential, {**CLAIMS, "iss": "did:web:other.example"})[0]
    assert str(problem) == (
        "The VC-JWT claim iss is 'did:web:other.example', but the credential gives "
        "'did:web:merkit.example.fi:issuers:taitopaja'."
    )


def test_credential_change_under_valid_signature_is_caught(private_key, credential):
    # A token whose payload is signed but whose claims lie about the credential.
    lying = copy.deepcopy(credential)
    lying["credentialSubject"]["id"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    token = resign(private_key, HEADER, {**lying, **CLAIMS})

    _header, decoded, claims = verify_vc_jwt(token, public_key=private_key.public_key())

    assert [problem.params["claim"] for problem in check_vc_jwt_claims(decoded, claims)] == ["sub"]


# JWKs


def test_public_jwk_members(private_key):
    jwk = public_jwk(private_key.public_key(), kid=KID)

    assert list(jwk) == ["kty", "n", "e", "alg", "use", "kid"]
    assert (jwk["kty"], jwk["e"], jwk["alg"], jwk["use"], jwk["kid"]) == ("RSA", "AQAB", "RS256", "sig", KID)


def test_public_jwk_round_trip(private_key):
    loaded = public_key_from_jwk(public_jwk(private_key.public_key(), kid=KID))
    assert loaded.public_numbers() == private_key.public_key().public_numbers()


def test_public_jwk_needs_rsa():
    with pytest.raises(TypeError):
        public_jwk(ec.generate_private_key(ec.SECP256R1()).public_key(), kid=KID)


def test_p256_jwk_loads():
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    numbers = key.public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64(numbers.x.to_bytes(32, "big")),
        "y": b64(numbers.y.to_bytes(32, "big")),
    }
    assert public_key_from_jwk(jwk).public_numbers() == numbers


@pytest.mark.parametrize(
    "jwk",
    [
        "not a dict",
        {"kty": "oct", "k": "c2VjcmV0"},
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        {"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"},
        {"kty": "RSA", "n": "AQAB"},
        {"kty": "RSA", "n": "not+base64url", "e": "AQAB"},
        {"kty": "EC", "crv": "P-256", "x": "AQ", "y": "AQ"},
    ],
)
def test_invalid_jwk_rejected(jwk):
    with pytest.raises(InvalidJwkError):
        public_key_from_jwk(jwk)


def test_private_jwk_rejected(private_key):
    jwk = {**public_jwk(private_key.public_key(), kid=KID), "d": "AQAB"}

    with pytest.raises(InvalidJwkError) as caught:
        public_key_from_jwk(jwk)

    assert caught.value.value == ["d"]
