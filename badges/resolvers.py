"""Key resolution for verification: which public key a verification method or JWT ``kid`` names.

Our own organisations' did:web keys and RSA JWKs are read from the
database, so our pages verify without a request to ourselves and a
revoked key is reported as revoked rather than missing. did:key values
carry the key in the identifier itself. Everything else goes through
``badges.openbadges.remote_keys`` with ``badges.fetching.fetch``.
"""
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings
from django.urls import Resolver404, resolve

from issuers.did import did_for_slug, slug_for_did
from issuers.models import KeyAlgorithm, SigningKey

from . import fetching
from .openbadges import remote_keys
from .openbadges.errors import KeyResolutionError
from .openbadges.keys import ResolvedJwsKey, ResolvedKey, resolve_did_key
from .openbadges.multikey import multibase_to_ed25519_public_key

_JWK_ROUTE = "issuers:signing_key_jwk"


def resolve_key(verification_method: str) -> ResolvedKey:
    """Resolve one of our own did:web methods from the database, or a did:key."""
    did, _hash, fragment = verification_method.partition("#")
    if did.startswith("did:key:"):
        return resolve_did_key(verification_method)

    slug = slug_for_did(did)
    if slug is None or not fragment:
        raise KeyResolutionError(verification_method)

    key = (
        SigningKey.objects.filter(
            organisation__slug=slug, key_id=fragment, algorithm=KeyAlgorithm.ED25519
        )
        .select_related("organisation")
        .first()
    )
    if key is None:
        raise KeyResolutionError(verification_method)

    return ResolvedKey(
        id=verification_method,
        controller=did,
        public_key=multibase_to_ed25519_public_key(key.public_key),
        revoked=key.revoked_at is not None,
        revocation_reason=key.revocation_reason or None,
    )


def resolve_any_key(verification_method: str, issuer_id: str | None) -> ResolvedKey:
    """Resolve a Data Integrity verification method of any issuer.

    Our own DIDs are read from the database; other methods are fetched
    under the rules of ``badges.fetching``.
    """
    if not isinstance(verification_method, str):
        raise KeyResolutionError(verification_method)
    if verification_method.startswith("did:key:") or slug_for_did(verification_method.partition("#")[0]):
        return resolve_key(verification_method)
    return remote_keys.resolve_verification_method(verification_method, issuer_id=issuer_id, fetch=fetching.fetch)


def resolve_any_jwk(kid: str, issuer_id: str | None) -> ResolvedJwsKey:
    """Resolve a VC-JWT ``kid``: our own RSA keys from the database, others by fetching."""
    own_key = _own_jwk_key(kid)
    if own_key is None:
        return remote_keys.resolve_jwk(kid, issuer_id=issuer_id, fetch=fetching.fetch)
    return ResolvedJwsKey(
        id=kid,
        controller=did_for_slug(own_key.organisation.slug),
        public_key=load_pem_public_key(own_key.public_key.encode("ascii")),
        revoked=own_key.revoked_at is not None,
        revocation_reason=own_key.revocation_reason or None,
    )


def _own_jwk_key(kid: str) -> SigningKey | None:
    """Return our RSA key whose JWK URL is ``kid``, or None when ``kid`` is not one of ours."""
    if not isinstance(kid, str) or not kid.startswith(settings.MERKKIPAJA_BASE_URL + "/"):
        return None
    path = urlsplit(kid).path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != _JWK_ROUTE:
        return None
    key = (
        SigningKey.objects.filter(
            organisation__slug=match.kwargs["slug"], key_id=match.kwargs["key_id"], algorithm=KeyAlgorithm.RSA
        )
        .select_related("organisation")
        .first()
    )
    if key is None:
        raise KeyResolutionError(kid)
    return key

