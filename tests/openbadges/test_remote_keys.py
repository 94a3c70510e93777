import pytest

from badges.openbadges.errors import KeyResolutionError
from badges.openbadges.keys import did_web_document_url, parse_verification_method
from badges.openbadges.remote import DocumentHttpError
from badges.openbadges.remote_keys import key_url_in_issuer_space, resolve_jwk, resolve_verification_method
from badges.openbadges.vcjwt import public_jwk

from .samples import RFC8032_PUBLIC_KEY
from .verifier_fakes import RSA_KEY, FakeFetcher

MULTIKEY = "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
DID = "did:web:issuer.example:orgs:7"
DID_URL = "https://issuer.example/orgs/7/did.json"
ISSUER = "https://issuer.example/profile"


def did_document(did=DID, methods=None, assertion=None):
    methods = methods if methods is not None else [
        {"id": f"{did}#key-1", "type": "Multikey", "controller": did, "publicKeyMultibase": MULTIKEY}
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": assertion if assertion is not None else [method["id"] for method in methods],
    }


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.org", "https://example.org/.well-known/did.json"),
        ("did:web:example.org:issuers:7", "https://example.org/issuers/7/did.json"),
        ("did:web:example.org%3A8443:a", "https://example.org:8443/a/did.json"),
    ],
)
def test_did_web_document_url(did, url):
    assert did_web_document_url(did) == url


@pytest.mark.parametrize("did", ["did:web:", "did:web:a.example::x", "did:web:a.example:..", "did:key:z6Mk", "did:web:a%2Fb"])
def test_did_web_document_url_rejects(did):
    with pytest.raises(KeyResolutionError):
        did_web_document_url(did)


def test_did_web_method():
    fetcher = FakeFetcher({DID_URL: did_document()})

    key = resolve_verification_method(f"{DID}#key-1", issuer_id=DID, fetch=fetcher)

    assert (key.controller, key.public_key, key.asserted_by_credential_only) == (DID, RFC8032_PUBLIC_KEY, False)
    assert fetcher.requests == [DID_URL]


def test_did_web_document_for_other_did():
    fetcher = FakeFetcher({DID_URL: did_document(did="did:web:elsewhere.example")})

    with pytest.raises(KeyResolutionError, match="has the id"):
        resolve_verification_method(f"{DID}#key-1", issuer_id=DID, fetch=fetcher)


def test_did_web_method_not_for_assertions():
    fetcher = FakeFetcher({DID_URL: did_document(assertion=[])})

    with pytest.raises(KeyResolutionError, match="assertionMethod"):
        resolve_verification_method(f"{DID}#key-1", issuer_id=DID, fetch=fetcher)


def test_did_web_missing_document():
    with pytest.raises(DocumentHttpError):
        resolve_verification_method(f"{DID}#key-1", issuer_id=DID, fetch=FakeFetcher())


def test_key_document_with_controller_document():
    key_url = "https://issuer.example/keys/1"
    fetcher = FakeFetcher({
        key_url: {"id": key_url, "type": "Ed25519VerificationKey2020", "controller": ISSUER, "publicKeyMultibase": MULTIKEY},
        ISSUER: {"id": ISSUER, "assertionMethod": [key_url]},
    })

    key = resolve_verification_method(key_url, issuer_id=ISSUER, fetch=fetcher)

    assert (key.id, key.controller, key.public_key) == (key_url, ISSUER, RFC8032_PUBLIC_KEY)
    assert fetcher.requests == [key_url, ISSUER]


def test_key_document_claiming_controller_that_does_not_list_it():
    key_url = "https://attacker.example/keys/1"
    fetcher = FakeFetcher({
        key_url: {"id": key_url, "type": "Multikey", "controller": ISSUER, "publicKeyMultibase": MULTIKEY},
        ISSUER: {"id": ISSUER, "assertionMethod": []},
    })

    with pytest.raises(KeyResolutionError):
        resolve_verification_method(key_url, issuer_id=ISSUER, fetch=fetcher)


def test_controller_document_with_fragment():
    method = f"{ISSUER}#key-1"
    document = {
        "id": ISSUER,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": ISSUER, "publicKeyMultibase": MULTIKEY}],
        "assertionMethod": ["#key-1"],
    }

    key = resolve_verification_method(method, issuer_id=ISSUER, fetch=FakeFetcher({ISSUER: document}))

    assert key.controller == ISSUER


def test_fragment_convention_reads_key_without_fetching():
    fetcher = FakeFetcher()

    key = resolve_verification_method(f"{ISSUER}#{MULTIKEY}", issuer_id=ISSUER, fetch=fetcher)

    assert (key.public_key, key.asserted_by_credential_only) == (RFC8032_PUBLIC_KEY, True)
    assert fetcher.requests == []


def test_did_key_needs_no_fetch():
    fetcher = FakeFetcher()

    key = resolve_verification_method(f"did:key:{MULTIKEY}#{MULTIKEY}", issuer_id=None, fetch=fetcher)

    assert key.controller == f"did:key:{MULTIKEY}"
    assert fetcher.requests == []


@pytest.mark.parametrize("method", ["urn:uuid:1", "did:example:1#k", "ftp://issuer.example/k", 5])
def test_unsupported_methods(method):
    with pytest.raises(KeyResolutionError):
        resolve_verification_method(method, issuer_id=ISSUER, fetch=FakeFetcher())


def test_parse_verification_method_needs_matching_id():
    with pytest.raises(KeyResolutionError):
        parse_verification_method({"id": "https://other.example/k"}, "https://issuer.example/k")


@pytest.mark.parametrize(
    ("url", "issuer", "inside"),
    [
        ("https://issuer.example/orgs/7/keys/rsa-1.jwk", DID, True),
        ("http://issuer.example/orgs/7/keys/rsa-1.jwk", DID, True),
        ("https://issuer.example/orgs/8/keys/rsa-1.jwk", DID, False),
        ("https://issuer.example/orgs/70/keys/rsa-1.jwk", DID, False),
        ("https://other.example/orgs/7/keys/rsa-1.jwk", DID, False),
        ("https://issuer.example/any/key", "did:web:issuer.example", True),
        ("https://issuer.example/profile/keys/1", ISSUER, True),
        ("https://issuer.example/keys/1", ISSUER, False),
        ("https://issuer.example/keys/1", "did:key:z6Mk", False),
        ("https://issuer.example/keys/1", None, False),
    ],
)
def test_key_url_in_issuer_space(url, issuer, inside):
    assert key_url_in_issuer_space(url, issuer) is inside


def test_jwk_url_in_issuer_space():
    kid = "https://issuer.example/orgs/7/keys/rsa-1.jwk"
    fetcher = FakeFetcher({kid: public_jwk(RSA_KEY.public_key(), kid=kid)})

    key = resolve_jwk(kid, issuer_id=DID, fetch=fetcher)

    assert key.controller == DID
    assert key.public_key.public_numbers() == RSA_KEY.public_key().public_numbers()


def test_jwk_url_outside_issuer_space_names_its_origin():
    kid = "https://attacker.example/key.jwk"
    fetcher = FakeFetcher({kid: public_jwk(RSA_KEY.public_key(), kid=kid)})

    assert resolve_jwk(kid, issuer_id=DID, fetch=fetcher).controller == "https://attacker.example"


def test_jwk_set_member_by_fragment():
    kid = "https://issuer.example/orgs/7/jwks.json#rsa-1"
    jwk = public_jwk(RSA_KEY.public_key(), kid="rsa-1")
    fetcher = FakeFetcher({"https://issuer.example/orgs/7/jwks.json": {"keys": [jwk]}})

    assert resolve_jwk(kid, issuer_id=DID, fetch=fetcher).controller == DID


def test_jwk_set_without_the_kid():
    kid = "https://issuer.example/orgs/7/jwks.json#rsa-2"
    jwk = public_jwk(RSA_KEY.public_key(), kid="rsa-1")
    fetcher = FakeFetcher({"https://issuer.example/orgs/7/jwks.json": {"keys": [jwk]}})

    with pytest.raises(KeyResolutionError):
        resolve_jwk(kid, issuer_id=DID, fetch=fetcher)


def test_did_url_kid_with_public_key_jwk():
    kid = f"{DID}#rsa-1"
    jwk = public_jwk(RSA_KEY.public_key(), kid=kid)
    method = {"id": kid, "type": "JsonWebKey2020", "controller": DID, "publicKeyJwk": jwk}
    fetcher = FakeFetcher({DID_URL: did_document(methods=[method])})

    assert resolve_jwk(kid, issuer_id=DID, fetch=fetcher).controller == DID


def test_did_url_kid_not_listed():
    kid = f"{DID}#rsa-1"
    method = {"id": kid, "type": "JsonWebKey2020", "controller": DID, "publicKeyJwk": public_jwk(RSA_KEY.public_key(), kid=kid)}
    fetcher = FakeFetcher({DID_URL: did_document(methods=[method], assertion=[])})

    with pytest.raises(KeyResolutionError):
        resolve_jwk(kid, issuer_id=DID, fetch=fetcher)
