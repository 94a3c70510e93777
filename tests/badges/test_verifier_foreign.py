"""Badges of other issuers, whose documents a local server serves as https://issuer.example/ through the URL map.

MERKKIPAJA_FETCH_ALLOW_PRIVATE stays off: only the mapped host reaches
the local server, and anything it points to elsewhere is checked.
"""
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.openbadges.dataintegrity import sign
from badges.openbadges.vcjwt import encode_vc_jwt, public_jwk
from badges.verification import verify_submission
from tests.openbadges import ob2_samples as ob2
from tests.openbadges.samples import ISSUED_AT, RFC8032_SEED, build_sample_credential
from tests.openbadges.verifier_fakes import RSA_KEY

from .verifier_server import forbid_dns, server, url_map  # noqa: F401 - fixtures

MULTIKEY = "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
DID = "did:web:issuer.example:orgs:7"
PROFILE = "https://issuer.example/issuer"


@pytest.fixture
def issuer_host(db, server, url_map):
    """The local server, answering for https://issuer.example/."""
    url_map("https://issuer.example/", server.url("/"))
    return server


def signed_by(issuer_id, verification_method, **overrides):
    unsigned = build_sample_credential(issuer_id, **overrides)
    private_key = Ed25519PrivateKey.from_private_bytes(RFC8032_SEED)
    return sign(unsigned, private_key=private_key, verification_method=verification_method, created=ISSUED_AT)


def verify(value, **options):
    """Verify a document (dict) or a token or URL (str) through the site's shared function."""
    text = value if isinstance(value, str) else json.dumps(value)
    return verify_submission(text.encode("utf-8"), **options)


def outcome(result, code):
    check = result.check(code)
    return check.outcome, check.reason, check.params


def did_document():
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [{"id": f"{DID}#key-1", "type": "Multikey", "controller": DID, "publicKeyMultibase": MULTIKEY}],
        "assertionMethod": [f"{DID}#key-1"],
    }


def test_did_web_issuer(issuer_host):
    issuer_host.add("/orgs/7/did.json", did_document())

    result = verify(signed_by(DID, f"{DID}#key-1"))

    assert result.valid
    assert outcome(result, "issuer_key") == ("passed", "ok", {"controller": DID})
    assert issuer_host.paths() == ["/orgs/7/did.json"]


def test_did_web_issuer_wrong_key(issuer_host):
    other = did_document()
    other["verificationMethod"][0]["publicKeyMultibase"] = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    issuer_host.add("/orgs/7/did.json", other)

    assert outcome(verify(signed_by(DID, f"{DID}#key-1")), "proof") == ("failed", "signature_mismatch", {})


def test_did_web_document_missing(issuer_host):
    result = verify(signed_by(DID, f"{DID}#key-1"))

    assert outcome(result, "proof") == ("failed", "key_not_found", {"verification_method": f"{DID}#key-1"})


def test_https_key_document_with_controller(issuer_host):
    key_url = "https://issuer.example/keys/1"
    issuer_host.add("/keys/1", {"id": key_url, "type": "Ed25519VerificationKey2020", "controller": PROFILE, "publicKeyMultibase": MULTIKEY})
    issuer_host.add("/issuer", {"id": PROFILE, "type": ["Profile"], "assertionMethod": [key_url]})

    result = verify(signed_by(PROFILE, key_url))

    assert result.valid
    assert outcome(result, "issuer_key") == ("passed", "ok", {"controller": PROFILE})


def test_1edtech_fragment_key_is_integrity_only(issuer_host):
    result = verify(signed_by(PROFILE, f"{PROFILE}#{MULTIKEY}"))

    assert result.valid
    assert outcome(result, "issuer_key") == ("warning", "key_asserted_by_credential", {"controller": PROFILE})
    assert issuer_host.requests == []


def test_key_document_redirecting_to_private_address(issuer_host):
    key_url = "https://issuer.example/keys/1"
    issuer_host.redirect("/keys/1", issuer_host.url("/private-key"))

    result = verify(signed_by(PROFILE, key_url))

    assert outcome(result, "proof")[1] == "key_not_found"
    assert issuer_host.paths() == ["/keys/1"]


def test_vc_jwt_with_jwk_url(issuer_host):
    kid = "https://issuer.example/orgs/7/keys/rsa-1.jwk"
    issuer_host.add("/orgs/7/keys/rsa-1.jwk", public_jwk(RSA_KEY.public_key(), kid=kid))

    result = verify(encode_vc_jwt(build_sample_credential(DID), private_key=RSA_KEY, kid=kid))

    assert result.valid
    assert outcome(result, "issuer_key") == ("passed", "ok", {"controller": DID})


def serve_ob2(host, **overrides):
    for url, document in ob2.documents(**overrides).items():
        path = url.removeprefix("https://issuer.example")
        if isinstance(document, tuple):
            host.add(path, document[1], status=document[0])
        else:
            host.add(path, document)


def test_ob2_signed(issuer_host):
    serve_ob2(issuer_host)

    result = verify(ob2.sign(ob2.signed_assertion()), email="maija@example.fi")

    assert result.valid
    assert outcome(result, "recipient") == ("passed", "ok", {})


def test_ob2_signed_in_revocation_list(issuer_host):
    serve_ob2(issuer_host, **{ob2.REVOCATIONS: ob2.revocations({"id": ob2.SIGNED_ID, "revocationReason": "Virhe"})})

    result = verify(ob2.sign(ob2.signed_assertion()))

    assert not result.valid
    assert outcome(result, "status") == ("failed", "status_revoked", {"reason": "Virhe"})


def test_ob2_hosted_by_url(issuer_host):
    serve_ob2(issuer_host)

    result = verify(ob2.HOSTED_ID)

    assert (result.valid, result.format) == (True, "ob2-hosted")
    assert issuer_host.paths().count("/assertions/1") == 1


def test_ob2_hosted_gone(issuer_host):
    serve_ob2(issuer_host, **{ob2.HOSTED_ID: (410, {"id": ob2.HOSTED_ID, "revoked": True, "revocationReason": "Peruttu"})})

    result = verify(json.dumps(ob2.hosted_assertion()))

    assert not result.valid
    assert outcome(result, "status") == ("failed", "status_revoked", {"reason": "Peruttu"})


def test_ob2_hosted_other_port_out_of_scope(issuer_host, url_map):
    other = "https://issuer.example:8443/assertions/1"
    url_map("https://issuer.example:8443/", issuer_host.url("/"))
    serve_ob2(issuer_host, **{ob2.HOSTED_ID: ob2.hosted_assertion(other)})

    result = verify(other)

    assert outcome(result, "hosted") == ("failed", "hosted_out_of_scope", {"url": other, "issuer": ob2.ISSUER_ID})
