"""Tests that the Digital Bazaar verification harness can both pass and fail.

Credentials are signed by Merkkipaja's own core (``badges.openbadges``) and,
as a reference, by Digital Bazaar's libraries through ``sign-fixture.mjs``.
Each is checked by ``verify-ob3.mjs``, which runs ``@digitalbazaar/vc`` in
JSON-LD safe mode. Every "fails" test also checks why it failed, so that a
broken harness cannot make it pass.
"""

from __future__ import annotations

import copy
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from badges.openbadges import dataintegrity, ob3
from badges.openbadges.multikey import ed25519_public_key_to_multibase

from .dbverify import (
    INTEROP_DIR,
    VERIFIER_SCRIPT,
    DigitalBazaarHarnessError,
    ensure_node_modules,
    node_available,
    sign_with_digitalbazaar,
    verify_with_digitalbazaar,
)

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(not node_available(), reason="needs Node.js 20 or newer on PATH"),
]

DID_WEB_ISSUER = "did:web:badges.example.org:issuers:7"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
SUBJECT_DID = "did:example:ebfeb1f712ebc6f1c276e12ec21"


@dataclass(frozen=True)
class Issuer:
    """An issuer DID with its signing key and, for did:web, its DID document."""

    did: str
    verification_method: str
    private_key: Ed25519PrivateKey
    did_document: dict[str, Any] | None

    @property
    def did_documents(self) -> list[dict[str, Any]]:
        return [self.did_document] if self.did_document is not None else []


def _public_multibase(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return ed25519_public_key_to_multibase(raw)


def _did_web_document(did: str, public_key_multibase: str) -> dict[str, Any]:
    method_id = f"{did}#key-1"
    return {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key_multibase,
            }
        ],
        "assertionMethod": [method_id],
    }


def _did_key_issuer() -> Issuer:
    private_key = Ed25519PrivateKey.generate()
    multibase = _public_multibase(private_key)
    did = f"did:key:{multibase}"
    return Issuer(did, f"{did}#{multibase}", private_key, None)


def _did_web_issuer(did: str = DID_WEB_ISSUER) -> Issuer:
    private_key = Ed25519PrivateKey.generate()
    document = _did_web_document(did, _public_multibase(private_key))
    return Issuer(did, f"{did}#key-1", private_key, document)


ISSUER_FACTORIES = {"did:key": _did_key_issuer, "did:web": _did_web_issuer}


def _unsigned_credential(issuer_did: str) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    return ob3.build_credential(
        credential_id="urn:uuid:0b6c3f2e-4a59-4c8e-9b1d-7f3a2e5c9d10",
        issuer=ob3.IssuerProfile(
            id=issuer_did,
            name="Kansalaisopisto Esimerkki",
            url="https://badges.example.org/issuers/7",
        ),
        achievement=ob3.AchievementData(
            id="https://badges.example.org/achievements/41",
            name="Ensiaputaidot",
            description="Osaa antaa hätäensiavun ja toimia onnettomuuspaikalla.",
            criteria_narrative="Suorittanut 16 tunnin ensiapukurssin ja käytännön kokeen.",
        ),
        recipient=ob3.RecipientData(subject_id=SUBJECT_DID),
        valid_from=now - timedelta(minutes=5),
    )


def _sign(issuer: Issuer, *, signing_key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    return dataintegrity.sign(
        _unsigned_credential(issuer.did),
        private_key=signing_key or issuer.private_key,
        verification_method=issuer.verification_method,
        created=datetime.now(UTC).replace(microsecond=0),
    )


def _change_one_character(text: str) -> str:
    last = "b" if text[-1] == "a" else "a"
    return text[:-1] + last


def _error_messages(result: dict[str, Any]) -> str:
    return " | ".join(f"{error['name']}: {error['message']}" for error in result["errors"])


@pytest.fixture(scope="module", autouse=True)
def _installed_node_modules() -> None:
    ensure_node_modules()


class _DidDocumentHandler(http.server.BaseHTTPRequestHandler):
    """Serves the JSON bodies in ``server.routes``. A str value is a redirect target."""

    def do_GET(self) -> None:  # noqa: N802 (name fixed by BaseHTTPRequestHandler)
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        if isinstance(route, str):
            self.send_response(302)
            self.send_header("Location", route)
            self.end_headers()
            return
        body = json.dumps(route).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/did+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature fixed)
        return


@pytest.fixture
def did_web_server() -> Iterator[http.server.ThreadingHTTPServer]:
    """Serve DID documents on an ephemeral 127.0.0.1 port from ``server.routes``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DidDocumentHandler)
    server.routes = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _origin(server: http.server.ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


@pytest.mark.parametrize("method", ["did:key", "did:web"])
def test_core_signed_credential_verifies(method: str) -> None:
    issuer = ISSUER_FACTORIES[method]()
    credential = _sign(issuer)

    result = verify_with_digitalbazaar(credential, did_documents=issuer.did_documents)

    assert result["verified"] is True, _error_messages(result)
    assert result["exit_code"] == 0
    assert result["errors"] == []
    assert result["statusResult"] is None


def test_core_credential_uses_extensions_and_schema() -> None:
    # Safe mode rejects credentialSchema's 1EdTechJsonSchemaValidator2019
    # type unless the extensions context defines it, so the verified
    # credentials above must really carry both.
    credential = _sign(_did_key_issuer())

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    assert credential["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_bundled_contexts_match_package_copies() -> None:
    # The harness serves the project's context files. A copy that drifted
    # from the one Digital Bazaar ships would hide interoperability bugs.
    result = verify_with_digitalbazaar(_sign(_did_key_issuer()))

    drifted = [warning for warning in result["warnings"] if "differs from the copy" in warning]
    assert drifted == []


def test_status_list_off_this_machine_is_harness_error() -> None:
    # The harness fetches status lists only from loopback hosts, so a
    # credential whose list is elsewhere must come back neither as
    # verified nor as a failed check.
    issuer = _did_key_issuer()
    unsigned = _unsigned_credential(issuer.did)
    unsigned["credentialStatus"] = {
        "id": "https://badges.example.org/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://badges.example.org/status/1",
    }
    credential = dataintegrity.sign(
        unsigned,
        private_key=issuer.private_key,
        verification_method=issuer.verification_method,
        created=datetime.now(UTC).replace(microsecond=0),
    )

    with pytest.raises(DigitalBazaarHarnessError, match=r"only fetches http\(s\) URLs on 127.0.0.1 and localhost"):
        verify_with_digitalbazaar(credential)


@pytest.mark.parametrize("method", ["did:key", "did:web"])
def test_one_changed_character_fails(method: str) -> None:
    issuer = ISSUER_FACTORIES[method]()
    credential = _sign(issuer)
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = _change_one_character(
        credential["credentialSubject"]["achievement"]["name"]
    )

    result = verify_with_digitalbazaar(tampered, did_documents=issuer.did_documents)

    assert result["verified"] is False
    assert result["exit_code"] == 1
    assert "Invalid signature" in _error_messages(result)


@pytest.mark.parametrize("method", ["did:key", "did:web"])
def test_changed_proof_value_fails(method: str) -> None:
    issuer = ISSUER_FACTORIES[method]()
    credential = _sign(issuer)
    tampered = copy.deepcopy(credential)
    tampered["proof"][0]["proofValue"] = _change_one_character(credential["proof"][0]["proofValue"])

    result = verify_with_digitalbazaar(tampered, did_documents=issuer.did_documents)

    assert result["verified"] is False
    assert result["exit_code"] == 1
    assert "Invalid signature" in _error_messages(result)


@pytest.mark.parametrize("method", ["did:key", "did:web"])
def test_wrong_signing_key_fails(method: str) -> None:
    issuer = ISSUER_FACTORIES[method]()
    credential = _sign(issuer, signing_key=Ed25519PrivateKey.generate())

    result = verify_with_digitalbazaar(credential, did_documents=issuer.did_documents)

    assert result["verified"] is False
    assert result["exit_code"] == 1
    assert "Invalid signature" in _error_messages(result)


def test_did_document_with_other_key_fails() -> None:
    issuer = _did_web_issuer()
    credential = _sign(issuer)
    other_document = _did_web_issuer().did_document

    result = verify_with_digitalbazaar(credential, did_documents=[other_document])

    assert result["verified"] is False
    assert "Invalid signature" in _error_messages(result)


def test_key_not_in_assertion_method_fails() -> None:
    issuer = _did_web_issuer()
    credential = _sign(issuer)
    document = copy.deepcopy(issuer.did_document)
    document["authentication"] = document.pop("assertionMethod")

    result = verify_with_digitalbazaar(credential, did_documents=[document])

    assert result["verified"] is False
    assert "not authorized by controller" in _error_messages(result)


def test_issuer_other_than_key_controller_fails() -> None:
    issuer = _did_web_issuer()
    impostor = _did_key_issuer()
    credential = dataintegrity.sign(
        _unsigned_credential(issuer.did),
        private_key=impostor.private_key,
        verification_method=impostor.verification_method,
        created=datetime.now(UTC).replace(microsecond=0),
    )

    result = verify_with_digitalbazaar(credential, did_documents=issuer.did_documents)

    assert result["verified"] is False
    assert "issuer must match the verification method controller" in _error_messages(result)


def test_undefined_term_fails_in_safe_mode() -> None:
    issuer = _did_key_issuer()
    credential = _sign(issuer)
    credential["merkkipajaNote"] = "not defined by any context"

    result = verify_with_digitalbazaar(credential)

    assert result["verified"] is False
    assert result["errors"][0]["name"] == "jsonld.ValidationError"
    assert "merkkipajaNote" in result["errors"][0]["message"]


def test_unsupported_did_method_rejected() -> None:
    issuer = Issuer(
        "did:example:issuer7", "did:example:issuer7#key-1", Ed25519PrivateKey.generate(), None
    )
    credential = _sign(issuer)

    result = verify_with_digitalbazaar(credential)

    assert result["verified"] is False
    assert "resolves only did:key and did:web" in _error_messages(result)


def test_did_web_fetched_from_loopback_origin(did_web_server: http.server.ThreadingHTTPServer) -> None:
    issuer = _did_web_issuer()
    did_web_server.routes["/issuers/7/did.json"] = issuer.did_document
    credential = _sign(issuer)

    result = verify_with_digitalbazaar(credential, did_web_origin=_origin(did_web_server))

    assert result["verified"] is True, _error_messages(result)


def test_did_web_fetch_not_found_fails(did_web_server: http.server.ThreadingHTTPServer) -> None:
    credential = _sign(_did_web_issuer())

    result = verify_with_digitalbazaar(credential, did_web_origin=_origin(did_web_server))

    assert result["verified"] is False
    assert "returned HTTP 404" in _error_messages(result)


def test_did_web_redirect_is_harness_error(did_web_server: http.server.ThreadingHTTPServer) -> None:
    issuer = _did_web_issuer()
    did_web_server.routes["/issuers/7/did.json"] = f"{_origin(did_web_server)}/elsewhere/did.json"
    did_web_server.routes["/elsewhere/did.json"] = issuer.did_document
    credential = _sign(issuer)

    with pytest.raises(DigitalBazaarHarnessError, match="Fetching the DID document"):
        verify_with_digitalbazaar(credential, did_web_origin=_origin(did_web_server))


def test_did_web_port_in_host_decoded(did_web_server: http.server.ThreadingHTTPServer) -> None:
    port = did_web_server.server_address[1]
    issuer = _did_web_issuer(f"did:web:127.0.0.1%3A{port}")
    did_web_server.routes["/.well-known/did.json"] = issuer.did_document
    credential = _sign(issuer)

    result = verify_with_digitalbazaar(credential, did_web_origin=_origin(did_web_server))

    assert result["verified"] is True, _error_messages(result)


@pytest.mark.parametrize(
    "origin",
    ["http://example.org", "http://10.0.0.1:8000", "http://127.0.0.1:8000/issuers", "file:///etc"],
)
def test_non_loopback_origin_rejected(origin: str) -> None:
    credential = _sign(_did_web_issuer())

    with pytest.raises(DigitalBazaarHarnessError, match="--did-web-origin"):
        verify_with_digitalbazaar(credential, did_web_origin=origin)


def test_missing_did_document_is_harness_error() -> None:
    credential = _sign(_did_web_issuer())

    with pytest.raises(DigitalBazaarHarnessError, match="pass it with --did-document"):
        verify_with_digitalbazaar(credential)


@pytest.mark.parametrize("did_web", [None, DID_WEB_ISSUER])
def test_reference_signature_verifies_and_fails(did_web: str | None) -> None:
    # Digital Bazaar's own signature checks the harness without our signer.
    signed = sign_with_digitalbazaar(_unsigned_credential("did:example:replaced"), did_web=did_web)
    did_documents = [signed["didDocument"]] if signed["didDocument"] else []

    result = verify_with_digitalbazaar(signed["credential"], did_documents=did_documents)
    assert result["verified"] is True, _error_messages(result)

    tampered = copy.deepcopy(signed["credential"])
    tampered["name"] = _change_one_character(tampered["name"])
    result = verify_with_digitalbazaar(tampered, did_documents=did_documents)
    assert result["verified"] is False
    assert "Invalid signature" in _error_messages(result)


def test_cli_without_credential_exits_2() -> None:
    completed = subprocess.run(
        ["node", str(VERIFIER_SCRIPT)], cwd=INTEROP_DIR, capture_output=True, text=True, timeout=60
    )
    output = json.loads(completed.stdout)

    assert completed.returncode == 2
    assert output["verified"] is False
    assert "Give exactly one of --credential FILE" in output["errors"][0]["message"]
