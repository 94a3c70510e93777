import base64
import json
from datetime import UTC, datetime

import pytest

from badges.openbadges.ob2_documents import in_hosted_scope
from badges.openbadges.verify_ob2 import verify_ob2_json, verify_ob2_signed

from .ob2_samples import (
    BADGE_ID,
    HOSTED_ID,
    ISSUER_ID,
    KEY,
    KEY_ID,
    REVOCATIONS,
    SIGNED_ID,
    documents,
    hosted_assertion,
    issuer,
    revocations,
    sign,
    signed_assertion,
)
from .verifier_fakes import OTHER_RSA_KEY, FakeFetcher, make_env

def outcome(result, code):
    check = result.check(code)
    return check.outcome, check.reason, check.params


def signed(token, served=None, **options):
    return verify_ob2_signed(token, make_env(FakeFetcher(served if served is not None else documents()), **options))


def hosted(document, served=None, **options):
    return verify_ob2_json(document, make_env(FakeFetcher(served if served is not None else documents()), **options))


def test_signed_valid():
    result = signed(sign(signed_assertion()))

    assert result.valid
    assert result.format == "ob2-signed"
    assert [check.code for check in result.checks] == [
        "structure", "proof", "issuer_key", "status", "valid_from", "valid_until",
    ]
    assert outcome(result, "issuer_key") == ("passed", "ok", {"controller": ISSUER_ID})
    assert (result.summary.badge_name, result.summary.issuer_name) == ("Tekstitaidot", "Opisto")


def test_signed_revoked_in_list():
    served = documents(**{REVOCATIONS: revocations({"id": SIGNED_ID, "revocationReason": "Väärä saaja"})})

    result = signed(sign(signed_assertion()), served)

    assert not result.valid
    assert outcome(result, "status") == ("failed", "status_revoked", {"reason": "Väärä saaja"})


def test_signed_revoked_as_plain_id():
    served = documents(**{REVOCATIONS: revocations(SIGNED_ID)})

    assert outcome(signed(sign(signed_assertion()), served), "status") == ("failed", "status_revoked", {"reason": ""})


def test_signed_revocation_list_unavailable():
    served = documents()
    del served[REVOCATIONS]

    result = signed(sign(signed_assertion()), served)

    assert result.valid
    assert outcome(result, "status") == ("warning", "status_unavailable", {"url": REVOCATIONS})


def test_signed_key_not_listed_by_issuer():
    served = documents(**{ISSUER_ID: issuer(publicKey=[])})

    assert outcome(signed(sign(signed_assertion()), served), "issuer_key") == (
        "failed", "key_not_listed", {"verification_method": KEY_ID, "issuer": ISSUER_ID},
    )


def test_signed_key_owned_by_someone_else():
    served = documents(**{KEY_ID: {**KEY, "owner": "https://attacker.example/issuer"}})

    assert outcome(signed(sign(signed_assertion()), served), "issuer_key")[1] == "key_controller_mismatch"


def test_signed_wrong_key():
    result = signed(sign(signed_assertion(), key=OTHER_RSA_KEY))

    assert outcome(result, "proof") == ("failed", "signature_mismatch", {})
    assert outcome(result, "status") == ("skipped", "prerequisite_failed", {"check": "proof"})


def test_signed_changed_character():
    header, payload, signature = sign(signed_assertion()).split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["issuedOn"] = "2026-12-04T10:00:01Z"
    payload = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()

    assert outcome(signed(f"{header}.{payload}.{signature}"), "proof") == ("failed", "signature_mismatch", {})


def test_signed_alg_none():
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps(signed_assertion()).encode()).rstrip(b"=").decode()

    result = signed(f"{header}.{payload}.")

    assert outcome(result, "proof") == ("failed", "unsigned_jwt", {})
    assert not result.valid


def test_signed_without_creator():
    document = signed_assertion()
    del document["verification"]["creator"]
    token = sign(document)

    assert outcome(signed(token), "proof") == ("failed", "missing_field", {"field": "verification.creator"})


def test_signed_creator_not_a_key():
    served = documents(**{KEY_ID: {"type": "Issuer", "id": KEY_ID}})

    assert outcome(signed(sign(signed_assertion()), served), "proof") == (
        "failed", "key_not_found", {"verification_method": KEY_ID},
    )


def test_issuer_without_email():
    served = documents(**{ISSUER_ID: {key: value for key, value in issuer().items() if key != "email"}})

    assert outcome(signed(sign(signed_assertion()), served), "structure") == (
        "failed", "missing_field", {"field": "issuer.email"},
    )


def test_missing_badge_class():
    served = documents()
    del served[BADGE_ID]

    assert outcome(signed(sign(signed_assertion()), served), "structure") == (
        "failed", "document_http_error", {"url": BADGE_ID, "status": 404},
    )


def test_missing_issued_on():
    document = signed_assertion()
    del document["issuedOn"]

    assert outcome(signed(sign(document)), "structure") == ("failed", "missing_field", {"field": "assertion.issuedOn"})


def test_wrong_context():
    assert outcome(signed(sign(signed_assertion(**{"@context": "https://example.org/v1"}))), "structure")[1] == "bad_ob2_context"


def test_signed_expired():
    result = signed(sign(signed_assertion(expires="2027-01-01T00:00:00Z")))

    assert outcome(result, "valid_until") == ("failed", "expired", {"valid_until": "2027-01-01T00:00:00Z"})


def test_signed_not_yet_valid():
    result = signed(sign(signed_assertion()), now=datetime(2026, 12, 1, tzinfo=UTC))

    assert outcome(result, "valid_from") == ("failed", "not_yet_valid", {"valid_from": "2026-12-04T10:00:00Z"})


def test_signed_recipient():
    assert outcome(signed(sign(signed_assertion()), email="Maija@Example.fi"), "recipient") == ("passed", "ok", {})
    assert outcome(signed(sign(signed_assertion()), email="other@example.fi"), "recipient")[1] == "recipient_mismatch"


def test_hosted_valid():
    result = hosted(hosted_assertion())

    assert result.valid
    assert result.format == "ob2-hosted"
    assert outcome(result, "hosted") == ("passed", "ok", {"url": HOSTED_ID})


def test_hosted_uses_the_issuers_copy():
    pasted = hosted_assertion(expires="2099-01-01T00:00:00Z", issuedOn="2020-01-01T00:00:00Z")
    served = documents(**{HOSTED_ID: hosted_assertion(expires="2027-01-01T00:00:00Z")})

    result = hosted(pasted, served)

    assert outcome(result, "valid_until")[1] == "expired"


def test_hosted_gone_is_revoked():
    served = documents(**{HOSTED_ID: (410, {"id": HOSTED_ID, "revoked": True, "revocationReason": "Peruttu"})})

    result = hosted(hosted_assertion(), served)

    assert not result.valid
    assert outcome(result, "status") == ("failed", "status_revoked", {"reason": "Peruttu"})


def test_hosted_gone_without_body():
    served = documents(**{HOSTED_ID: (410, b"")})

    assert outcome(hosted(hosted_assertion(), served), "status") == ("failed", "status_revoked", {"reason": ""})


def test_hosted_revoked_true():
    served = documents(**{HOSTED_ID: hosted_assertion(revoked=True, revocationReason="Virhe")})

    assert outcome(hosted(hosted_assertion(), served), "status") == ("failed", "status_revoked", {"reason": "Virhe"})


def test_hosted_listed_in_revocation_list():
    served = documents(**{REVOCATIONS: revocations(HOSTED_ID)})

    assert outcome(hosted(hosted_assertion(), served), "status")[1] == "status_revoked"


def test_hosted_other_port_out_of_scope():
    other = "https://issuer.example:8443/assertions/1"
    served = documents(**{other: hosted_assertion(other)})

    result = hosted(hosted_assertion(other), served)

    assert outcome(result, "hosted") == ("failed", "hosted_out_of_scope", {"url": other, "issuer": ISSUER_ID})


def test_hosted_id_mismatch():
    served = documents(**{HOSTED_ID: hosted_assertion("https://issuer.example/assertions/2")})

    assert outcome(hosted(hosted_assertion(), served), "hosted") == ("failed", "hosted_id_mismatch", {"url": HOSTED_ID})


def test_hosted_not_found():
    served = documents()
    del served[HOSTED_ID]

    assert outcome(hosted(hosted_assertion(), served), "hosted") == (
        "failed", "document_http_error", {"url": HOSTED_ID, "status": 404},
    )


def test_hosted_id_not_url():
    assert outcome(hosted(hosted_assertion("urn:uuid:1")), "hosted") == ("failed", "hosted_id_not_url", {"id": "urn:uuid:1"})


def test_signed_assertion_as_json():
    result = hosted(signed_assertion())

    assert outcome(result, "proof") == ("failed", "signed_assertion_without_jws", {})


def test_fetched_document_not_fetched_again():
    fetcher = FakeFetcher(documents())

    verify_ob2_json(hosted_assertion(), make_env(fetcher), fetched_from=HOSTED_ID)

    assert HOSTED_ID not in fetcher.requests


@pytest.mark.parametrize(
    ("assertion_id", "policy", "inside"),
    [
        ("https://issuer.example/a/1", {}, True),
        ("http://issuer.example/a/1", {}, True),
        ("https://issuer.example:8443/a/1", {}, False),
        ("https://other.example/a/1", {}, False),
        ("https://other.example/a/1", {"allowedOrigins": ["other.example"]}, True),
        ("https://other.example/a/1", {"allowedOrigins": "other.example"}, True),
        ("https://issuer.example/a/1", {"allowedOrigins": ["other.example"]}, False),
        ("https://issuer.example/a/1", {"startsWith": "https://issuer.example/a/"}, True),
        ("https://issuer.example/b/1", {"startsWith": ["https://issuer.example/a/"]}, False),
    ],
)
def test_hosted_scope(assertion_id, policy, inside):
    profile = issuer(verification={"type": "VerificationObject", **policy})

    assert in_hosted_scope(assertion_id, profile) is inside


@pytest.mark.parametrize("pem", ["not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", 5, "ä"])
def test_signed_key_with_bad_pem(pem):
    served = documents(**{KEY_ID: {**KEY, "publicKeyPem": pem}})

    assert outcome(signed(sign(signed_assertion()), served), "proof") == (
        "failed", "key_not_found", {"verification_method": KEY_ID},
    )
