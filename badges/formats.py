"""Other serialisations of an Open Badges 3.0 credential: the VC-JWT and its key."""
from django.urls import reverse

from issuers import keystore
from issuers.models import KeyAlgorithm, SigningKey

from .links import absolute
from .openbadges.vcjwt import encode_vc_jwt


def signing_key_jwk_url(signing_key: SigningKey) -> str:
    """Return the public URL of an RSA key's JWK, the ``kid`` of the VC-JWTs it signs."""
    return absolute(
        reverse(
            "issuers:signing_key_jwk",
            kwargs={"slug": signing_key.organisation.slug, "key_id": signing_key.key_id},
        )
    )


def vc_jwt(document: dict, *, signing_key: SigningKey) -> str:
    """Return the unsigned credential ``document`` as a VC-JWT (compact RS256 JWS) signed with ``signing_key``."""
    if signing_key.algorithm != KeyAlgorithm.RSA:
        raise ValueError(
            f"VC-JWTs are signed with RS256, but key {signing_key} is {signing_key.algorithm}; pass the "
            "organisation's active RSA key."
        )
    private_key = keystore.load_rsa_private_key(signing_key.encrypted_private_key)
    return encode_vc_jwt(document, private_key=private_key, kid=signing_key_jwk_url(signing_key))
