"""Key resolution for verification: which public key a verification method names.

Our own organisations' did:web keys are read from the database, so our
pages verify without a network request to ourselves. did:key values carry
the key in the identifier itself.
"""
from issuers.did import slug_for_did
from issuers.models import KeyAlgorithm, SigningKey

from .openbadges.errors import KeyResolutionError
from .openbadges.keys import ResolvedKey, resolve_did_key
from .openbadges.multikey import multibase_to_ed25519_public_key


def resolve_key(verification_method: str) -> ResolvedKey:
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
