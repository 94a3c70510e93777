"""Other serialisations of an Open Badges 3.0 credential."""


def vc_jwt(document: dict, *, signing_key) -> str:
    """Return the unsigned credential ``document`` as a VC-JWT (compact RS256 JWS) signed with ``signing_key``."""
    # TODO: being built: VC-JWT.
    return ""
