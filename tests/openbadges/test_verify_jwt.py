import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws as joserfc_jws
from joserfc.jwk import ECKey

from badges.openbadges import jws
from badges.openbadges.inputs import peek_jws
from badges.openbadges.vcjwt import encode_vc_jwt, public_jwk
from badges.openbadges.verify_jwt import verify_vc_jwt_token

from .samples import build_sample_credential
from .verifier_fakes import OTHER_RSA_KEY, RSA_KEY, FakeFetcher, make_env

ISSUER = "did:web:issuer.example:orgs:7"
KID = "https://issuer.example/orgs/7/keys/rsa-1.jwk"
P256_KEY = ec.generate_private_key(ec.SECP256R1())


def b64(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def fetcher():
    return FakeFetcher({KID: public_jwk(RSA_KEY.public_key(), kid=KID)})


@pytest.fixture
def token():
    return encode_vc_jwt(build_sample_credential(ISSUER), private_key=RSA_KEY, kid=KID)


def payload_of(token):
    return peek_jws(token)[1]


def resign(payload, headers, key=RSA_KEY):
    return jws.sign_compact(json.dumps(payload).encode(), private_key=key, headers=headers)


def run(token, fetcher, **options):
    return verify_vc_jwt_token(token, make_env(fetcher, **options))


def outcome(result, code):
    check = result.check(code)
    return check.outcome, check.reason, check.params


def test_valid(token, fetcher):
    result = run(token, fetcher)

    assert result.valid
    assert result.format == "ob3-jwt"
    assert [check.code for check in result.checks] == [
        "schema", "structure", "proof", "issuer_key", "jwt_claims", "status", "valid_from", "valid_until",
    ]
    assert outcome(result, "proof") == ("passed", "ok", {"verification_method": KID})
    assert outcome(result, "issuer_key") == ("passed", "ok", {"controller": ISSUER})
    assert result.summary.badge_name == "Tekstitaidot"
    assert result.summary.recipient_name == "Maija Meikäläinen"


def es256_with_header_jwk(payload) -> str:
    key = ECKey.import_key(P256_KEY)
    header = {"alg": "ES256", "jwk": key.as_dict(private=False)}
    return joserfc_jws.serialize_compact(header, json.dumps(payload).encode(), key, algorithms=["ES256"])


def test_header_jwk_is_integrity_only(token, fetcher):
    result = run(es256_with_header_jwk(payload_of(token)), fetcher)

    assert result.valid
    assert outcome(result, "proof") == ("passed", "ok", {"verification_method": "jwk"})
    assert outcome(result, "issuer_key") == ("warning", "key_asserted_by_credential", {"controller": ISSUER})
    assert fetcher.requests == []


def test_header_rsa_jwk(token, fetcher):
    token = resign(payload_of(token), {"jwk": public_jwk(RSA_KEY.public_key(), kid="k")})

    result = run(token, fetcher)

    assert result.valid
    assert outcome(result, "issuer_key") == ("warning", "key_asserted_by_credential", {"controller": ISSUER})


def test_alg_none_rejected(token, fetcher):
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload_of(token))}."

    result = run(unsigned, fetcher)

    assert not result.valid
    assert outcome(result, "proof") == ("failed", "unsigned_jwt", {})
    assert {check.reason for check in result.checks if check.code != "proof"} == {"prerequisite_failed"}
    assert fetcher.requests == []


def test_alg_none_with_signature_still_rejected(token, fetcher):
    header, payload, signature = token.split(".")

    result = run(f"{b64({'alg': 'none', 'kid': KID})}.{payload}.{signature}", fetcher)

    assert outcome(result, "proof") == ("failed", "unsigned_jwt", {})


def test_hs256_rejected(token, fetcher):
    _header, payload, signature = token.split(".")

    result = run(f"{b64({'alg': 'HS256', 'kid': KID})}.{payload}.{signature}", fetcher)

    assert outcome(result, "proof") == ("failed", "unsupported_algorithm", {"algorithm": "HS256"})


def test_changed_character_fails(token, fetcher):
    payload = payload_of(token)
    payload["credentialSubject"]["achievement"]["name"] = "Tekstitaidox"
    header, _payload, signature = token.split(".")

    result = run(f"{header}.{b64(payload)}.{signature}", fetcher)

    assert outcome(result, "proof") == ("failed", "signature_mismatch", {})
    assert outcome(result, "jwt_claims") == ("skipped", "prerequisite_failed", {"check": "proof"})


def test_wrong_key(token, fetcher):
    token = resign(payload_of(token), {"kid": KID, "typ": "JWT"}, key=OTHER_RSA_KEY)

    assert outcome(run(token, fetcher), "proof") == ("failed", "signature_mismatch", {})


def test_claim_mismatch(token, fetcher):
    payload = payload_of(token)
    payload["jti"] = "urn:uuid:someone-else"

    result = run(resign(payload, {"kid": KID}), fetcher)

    assert not result.valid
    assert outcome(result, "jwt_claims") == ("failed", "jwt_claim_mismatch", {"claim": "jti"})


def test_claim_missing(token, fetcher):
    payload = payload_of(token)
    del payload["sub"]

    assert outcome(run(resign(payload, {"kid": KID}), fetcher), "jwt_claims") == (
        "failed", "jwt_claim_missing", {"claim": "sub"},
    )


def test_unknown_kid(token):
    result = run(token, FakeFetcher())

    assert outcome(result, "proof") == ("failed", "key_not_found", {"verification_method": KID})
    assert outcome(result, "issuer_key") == ("skipped", "key_not_resolved", {})


def test_key_outside_issuer_space(token):
    kid = "https://attacker.example/key.jwk"
    fetcher = FakeFetcher({kid: public_jwk(RSA_KEY.public_key(), kid=kid)})

    result = run(resign(payload_of(token), {"kid": kid}), fetcher)

    assert outcome(result, "proof")[0] == "passed"
    assert outcome(result, "issuer_key") == (
        "failed", "key_controller_mismatch", {"controller": "https://attacker.example", "issuer": ISSUER},
    )


def test_extra_header_member_rejected(token, fetcher):
    result = run(resign(payload_of(token), {"kid": KID, "x5u": "https://issuer.example/x"}), fetcher)

    assert outcome(result, "proof") == ("failed", "invalid_vc_jwt", {})


def test_expired(fetcher):
    credential = build_sample_credential(ISSUER, valid_until=datetime(2027, 1, 1, tzinfo=UTC))
    token = encode_vc_jwt(credential, private_key=RSA_KEY, kid=KID)

    result = run(token, fetcher)

    assert not result.valid
    assert outcome(result, "valid_until") == ("failed", "expired", {"valid_until": "2027-01-01T00:00:00Z"})


def test_not_yet_valid(token, fetcher):
    result = run(token, fetcher, now=datetime(2026, 1, 1, tzinfo=UTC))

    assert outcome(result, "valid_from") == ("failed", "not_yet_valid", {"valid_from": "2026-12-04T10:00:00Z"})


def test_schema_failure_reported(fetcher):
    credential = build_sample_credential(ISSUER)
    credential["credentialSubject"]["achievement"]["criteria"] = "text"
    token = encode_vc_jwt(credential, private_key=RSA_KEY, kid=KID)

    check = run(token, fetcher).check("schema")

    assert (check.outcome, check.params["path"]) == ("failed", "credentialSubject.achievement.criteria")


def test_recipient_checked_when_email_given(token, fetcher):
    result = run(token, fetcher, email="a@example.com")

    assert outcome(result, "recipient") == ("passed", "ok", {})
