"""The verifier of any badge, end to end with fakes: every input kind and the negative cases by reason code."""

import base64
import json
from datetime import UTC, datetime

import pytest

from badges.openbadges import baking
from badges.openbadges.dataintegrity import sign
from badges.openbadges.vcjwt import encode_vc_jwt, public_jwk
from badges.openbadges.verify_any import verify_submission

from . import ob2_samples as ob2
from .samples import ISSUED_AT, build_sample_credential
from .verifier_fakes import RSA_KEY, SVG_IMAGE, FakeFetcher, itxt, make_env, png_image, png_with_chunks

JWT_ISSUER = "did:web:issuer.example:orgs:7"
KID = "https://issuer.example/orgs/7/keys/rsa-1.jwk"


def run(data, fetcher=None, **options):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return verify_submission(data, make_env(fetcher, **options))


def outcome(result, code):
    check = result.check(code)
    return check.outcome, check.reason, check.params


def sign_sample(private_key, verification_method, issuer_did, **overrides):
    unsigned = build_sample_credential(issuer_did, **overrides)
    return sign(unsigned, private_key=private_key, verification_method=verification_method, created=ISSUED_AT)


@pytest.fixture
def jwt_fetcher():
    return FakeFetcher({KID: public_jwk(RSA_KEY.public_key(), kid=KID)})


def test_json_credential(signed_credential):
    result = run(json.dumps(signed_credential))

    assert result.valid
    assert result.format == "ob3"
    assert [check.code for check in result.checks] == [
        "input", "schema", "structure", "proof", "issuer_key", "status", "valid_from", "valid_until",
    ]
    assert outcome(result, "input") == ("passed", "ok", {"source": "json"})
    assert result.required_checks[0] == "input"


def test_summary_of_valid_credential(signed_credential, issuer_did):
    summary = run(json.dumps(signed_credential)).summary

    assert (summary.issuer_id, summary.issuer_name, summary.badge_name, summary.recipient_name) == (
        issuer_did, "Kansalaisopisto Esimerkki", "Tekstitaidot", "Maija Meikäläinen",
    )
    assert summary.issuer_url == "https://opisto.example/"


def test_no_summary_when_invalid(signed_credential):
    signed_credential["name"] = "Muutettu"

    assert run(json.dumps(signed_credential)).summary is None


def test_to_dict_has_format_and_summary(signed_credential):
    data = run(json.dumps(signed_credential)).to_dict()

    assert list(data) == ["valid", "format", "credential_id", "issuer_id", "checks", "summary"]


def test_baked_png(signed_credential):
    image = baking.bake_png(png_image(), keyword="openbadgecredential", text=json.dumps(signed_credential))

    result = run(image)

    assert result.valid
    assert outcome(result, "input") == ("passed", "ok", {"source": "png"})


def test_baked_svg(signed_credential):
    image = baking.bake_svg(SVG_IMAGE, version="ob3", text=json.dumps(signed_credential))

    assert outcome(run(image), "input") == ("passed", "ok", {"source": "svg"})
    assert run(image).valid


def test_vc_jwt(jwt_fetcher):
    token = encode_vc_jwt(build_sample_credential(JWT_ISSUER), private_key=RSA_KEY, kid=KID)

    result = run(token, jwt_fetcher)

    assert result.valid
    assert result.format == "ob3-jwt"
    assert outcome(result, "input") == ("passed", "ok", {"source": "jwt"})


def test_baked_vc_jwt(jwt_fetcher):
    token = encode_vc_jwt(build_sample_credential(JWT_ISSUER), private_key=RSA_KEY, kid=KID)
    image = baking.bake_svg(SVG_IMAGE, version="ob3", text=token)

    result = run(image, jwt_fetcher)

    assert (result.valid, result.format) == (True, "ob3-jwt")


def test_ob2_signed_jws():
    result = run(ob2.sign(ob2.signed_assertion()), FakeFetcher(ob2.documents()))

    assert (result.valid, result.format) == (True, "ob2-signed")


def test_ob2_baked_png_signed():
    image = baking.bake_png(png_image(), keyword="openbadges", text=ob2.sign(ob2.signed_assertion()))

    result = run(image, FakeFetcher(ob2.documents()))

    assert (result.valid, result.format) == (True, "ob2-signed")


def test_ob2_hosted_json():
    result = run(json.dumps(ob2.hosted_assertion()), FakeFetcher(ob2.documents()))

    assert (result.valid, result.format) == (True, "ob2-hosted")


def test_ob2_hosted_url_fetched_once():
    fetcher = FakeFetcher(ob2.documents())

    result = run(ob2.HOSTED_ID, fetcher)

    assert result.valid
    assert outcome(result, "input") == ("passed", "ok", {"source": "url"})
    assert fetcher.requests.count(ob2.HOSTED_ID) == 1


def test_legacy_baked_url():
    image = png_with_chunks(itxt("openbadges", ob2.HOSTED_ID))

    result = run(image, FakeFetcher(ob2.documents()))

    assert (result.valid, result.format) == (True, "ob2-hosted")
    assert outcome(result, "input") == ("passed", "ok", {"source": "png"})


def test_url_returning_credential_json(signed_credential):
    url = "https://issuer.example/credentials/1"

    result = run(url, FakeFetcher({url: signed_credential}))

    assert (result.valid, result.format) == (True, "ob3")


def test_url_returning_baked_image(signed_credential):
    url = "https://issuer.example/badge.png"
    image = baking.bake_png(png_image(), keyword="openbadgecredential", text=json.dumps(signed_credential))

    result = run(url, FakeFetcher({url: image}))

    assert result.valid


def test_url_returning_image_with_url_is_not_followed():
    url = "https://issuer.example/badge.png"
    fetcher = FakeFetcher({url: png_with_chunks(itxt("openbadges", url))})

    result = run(url, fetcher)

    assert outcome(result, "input") == ("failed", "unrecognized_input", {})
    assert fetcher.requests == [url]


def test_url_not_found():
    result = run("https://issuer.example/missing")

    assert not result.valid
    assert outcome(result, "input") == (
        "failed", "document_http_error", {"url": "https://issuer.example/missing", "status": 404},
    )
    assert result.required_checks == ("input",)


def test_url_refused():
    result = run("https://refused.example/x?token=secret")

    assert outcome(result, "input") == ("failed", "fetch_refused", {"url": "https://refused.example/x"})


def test_input_failure_has_only_input_check():
    result = run(b"\xff\xfe garbage")

    assert [check.to_dict() for check in result.checks] == [
        {"code": "input", "outcome": "failed", "reason": "not_utf8", "params": {}}
    ]
    assert not result.valid


# Negative cases, each by its exact reason code.


def test_changed_character(signed_credential):
    text = json.dumps(signed_credential).replace("Tekstitaidot", "Tekstitaidoy", 1)

    assert outcome(run(text), "proof") == ("failed", "signature_mismatch", {})


def test_wrong_key(other_private_key, verification_method, issuer_did):
    signed = sign_sample(other_private_key, verification_method, issuer_did)

    assert outcome(run(json.dumps(signed)), "proof") == ("failed", "signature_mismatch", {})


def test_expired(private_key, verification_method, issuer_did):
    signed = sign_sample(private_key, verification_method, issuer_did, valid_until=datetime(2027, 1, 1, tzinfo=UTC))

    result = run(json.dumps(signed))

    assert not result.valid
    assert outcome(result, "valid_until") == ("failed", "expired", {"valid_until": "2027-01-01T00:00:00Z"})


def test_not_yet_valid(signed_credential):
    result = run(json.dumps(signed_credential), now=datetime(2026, 12, 1, tzinfo=UTC))

    assert outcome(result, "valid_from") == ("failed", "not_yet_valid", {"valid_from": "2026-12-04T10:00:00Z"})


def test_unknown_context(signed_credential):
    signed_credential["@context"].append("https://contexts.example/extras.json")

    result = run(json.dumps(signed_credential))

    assert outcome(result, "structure") == ("failed", "context_not_bundled", {"url": "https://contexts.example/extras.json"})


def test_missing_required_field(signed_credential):
    del signed_credential["credentialSubject"]["achievement"]["criteria"]

    result = run(json.dumps(signed_credential))

    assert outcome(result, "schema") == (
        "failed", "schema_missing_property", {"path": "credentialSubject.achievement.criteria", "errors": 1},
    )


def test_missing_issuer(signed_credential):
    del signed_credential["issuer"]

    assert outcome(run(json.dumps(signed_credential)), "structure") == ("failed", "missing_field", {"field": "issuer"})


def test_jwt_alg_none(jwt_fetcher):
    token = encode_vc_jwt(build_sample_credential(JWT_ISSUER), private_key=RSA_KEY, kid=KID)
    _header, payload, _signature = token.split(".")
    unsigned = "eyJhbGciOiJub25lIn0." + payload + "."

    result = run(unsigned, jwt_fetcher)

    assert not result.valid
    assert outcome(result, "proof") == ("failed", "unsigned_jwt", {})


def test_image_with_two_credentials(signed_credential):
    image = png_with_chunks(
        itxt("openbadgecredential", json.dumps(signed_credential)),
        itxt("openbadgecredential", json.dumps(signed_credential)),
    )

    result = run(image)

    assert not result.valid
    assert outcome(result, "input") == ("failed", "multiple_payloads", {"count": 2})


def test_svg_with_ob2_and_ob3_credentials(signed_credential):
    svg = baking.bake_svg(SVG_IMAGE, version="ob3", text=json.dumps(signed_credential)).replace(
        b"</svg>",
        b'<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="'
        + ob2.sign(ob2.signed_assertion()).encode()
        + b'"/></svg>',
    )

    assert outcome(run(svg), "input") == ("failed", "multiple_payloads", {"count": 2})


def test_ob2_hosted_gone():
    served = ob2.documents(**{ob2.HOSTED_ID: (410, {"id": ob2.HOSTED_ID, "revoked": True})})

    result = run(ob2.HOSTED_ID, FakeFetcher(served))

    assert not result.valid
    assert outcome(result, "status") == ("failed", "status_revoked", {"reason": ""})


def test_ob2_in_revocation_list():
    served = ob2.documents(**{ob2.REVOCATIONS: ob2.revocations(ob2.SIGNED_ID)})

    result = run(ob2.sign(ob2.signed_assertion()), FakeFetcher(served))

    assert not result.valid
    assert outcome(result, "status") == ("failed", "status_revoked", {"reason": ""})


def test_recipient_email(signed_credential):
    assert outcome(run(json.dumps(signed_credential), email="a@example.com"), "recipient") == ("passed", "ok", {})
    assert outcome(run(json.dumps(signed_credential), email="b@example.com"), "recipient") == (
        "failed", "recipient_mismatch", {},
    )



GARBAGE = [
    {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"},
    {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": 5, "verification": "hosted"},
    {"@context": "https://w3id.org/openbadges/v2", "id": "https://issuer.example/a", "verification": {"type": "hosted"},
     "badge": {"issuer": {"id": None}}, "recipient": [], "issuedOn": 7},
    {"@context": ["https://www.w3.org/2018/credentials/v1"], "proof": {"type": "Ed25519Signature2020"}},
    {"@context": ["https://www.w3.org/ns/credentials/v2", 5], "credentialStatus": [None, 5, {"type": None}]},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": {"identifier": [5, None, {}]}},
]


@pytest.mark.parametrize("document", GARBAGE)
def test_garbage_json_never_raises(document):
    result = run(json.dumps(document), email="a@example.com")

    assert not result.valid
    assert result.checks[0].code == "input"


@pytest.mark.parametrize(
    "payload",
    [{"vc": 5}, {"vc": {"@context": 1}}, [], {"@context": "https://w3id.org/openbadges/v2", "verification": {}}],
)
def test_garbage_jwt_never_raises(payload):
    header = base64.urlsafe_b64encode(b'{"alg":"RS256","kid":"https://issuer.example/k"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()

    result = run(f"{header}.{body}.c2ln")

    assert not result.valid
