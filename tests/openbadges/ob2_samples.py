"""Open Badges 2.0 issuer, badge class, key, revocation list and assertions served by a fake fetcher."""

import json

from badges.openbadges import jws
from badges.openbadges.recipient import hash_identity

from .verifier_fakes import RSA_KEY, public_pem

CONTEXT = "https://w3id.org/openbadges/v2"
ISSUER_ID = "https://issuer.example/issuer"
BADGE_ID = "https://issuer.example/badges/1"
KEY_ID = "https://issuer.example/keys/1"
REVOCATIONS = "https://issuer.example/revocations"
HOSTED_ID = "https://issuer.example/assertions/1"
SIGNED_ID = "urn:uuid:0b7c6f4e-93a2-4d55-b1a1-8f0e8c2f3d10"


def issuer(**overrides):
    return {
        "@context": CONTEXT, "type": "Issuer", "id": ISSUER_ID, "name": "Opisto", "url": "https://issuer.example",
        "email": "merkit@issuer.example", "publicKey": [KEY_ID], "revocationList": REVOCATIONS, **overrides,
    }


BADGE = {
    "@context": CONTEXT, "type": "BadgeClass", "id": BADGE_ID, "name": "Tekstitaidot", "description": "Lukee ja kirjoittaa.",
    "image": "https://issuer.example/badge.png", "criteria": {"narrative": "Kolme tehtävää."}, "issuer": ISSUER_ID,
}
KEY = {"@context": CONTEXT, "type": "CryptographicKey", "id": KEY_ID, "owner": ISSUER_ID, "publicKeyPem": public_pem(RSA_KEY)}


def revocations(*entries):
    return {"@context": CONTEXT, "type": "RevocationList", "id": REVOCATIONS, "issuer": ISSUER_ID, "revokedAssertions": list(entries)}


def assertion(assertion_id, verification, **overrides):
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": {"type": "email", "hashed": True, "salt": "s", "identity": hash_identity("maija@example.fi", "s")},
        "badge": BADGE_ID,
        "verification": verification,
        "issuedOn": "2026-12-04T10:00:00Z",
        **overrides,
    }


def signed_assertion(**overrides):
    return assertion(SIGNED_ID, {"type": "SignedBadge", "creator": KEY_ID}, **overrides)


def hosted_assertion(assertion_id=HOSTED_ID, **overrides):
    return assertion(assertion_id, {"type": "HostedBadge"}, **overrides)


def sign(document, key=RSA_KEY):
    return jws.sign_compact(json.dumps(document).encode(), private_key=key, headers={})


def documents(**overrides):
    served = {ISSUER_ID: issuer(), BADGE_ID: BADGE, KEY_ID: KEY, REVOCATIONS: revocations(), HOSTED_ID: hosted_assertion()}
    served.update(overrides)
    return served
