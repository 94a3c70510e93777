"""Open Badges 2.0 forms of a credential: the hosted assertion and the signed JWS."""


def ob2_assertion_forms(credential, *, signing_key) -> tuple[str, str]:
    """Return (hosted assertion JSON text, compact RS256 JWS of the signed assertion)."""
    # TODO: being built: Open Badges 2.0 hosted and signed assertions.
    return "", ""
