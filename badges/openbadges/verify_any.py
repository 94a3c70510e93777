"""The verifier of any badge: one entry point for every input and Open Badges format.

``verify_submission(data, env)`` takes what a person gave (image, JSON,
JWT or URL, as bytes), finds the badge in it (``inputs``), fetches a URL
once, and hands the badge to the verifier of its format:

==============  ========  ===================================  ============
format          kind      verifier                             ``format``
==============  ========  ===================================  ============
ob3             json      ``verify_ob3.verify_ob3_document``   ob3
ob3             jws       ``verify_jwt.verify_vc_jwt_token``   ob3-jwt
ob2             json      ``verify_ob2.verify_ob2_json``       ob2-hosted
ob2             jws       ``verify_ob2.verify_ob2_signed``     ob2-signed
==============  ========  ===================================  ============

The result always starts with the ``input`` check:

``ok`` {source}
    the badge was read; ``source`` is ``png``, ``svg``, ``json``, ``jwt``
    or ``url``.
failed
    with a code of ``inputs.InputError``, of the image reader in
    ``baking`` (such as ``multiple_payloads`` {count} for an image that
    contains two credentials), or of ``remote`` for a URL that could not be
    read. Nothing else is checked then, and ``required_checks`` is
    ``("input",)``.

A URL that returns 410 Gone is taken to be a revoked Open Badges 2.0
hosted assertion, as the specification prescribes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .environment import VerifierEnvironment
from .errors import OpenBadgesError
from .inputs import Payload, read_submission
from .remote import ANY_BADGE_ACCEPT, DocumentFetchError, DocumentHttpError, FetchedDocument, display_url
from .verify import FAILED, PASSED, Check, VerificationResult
from .verify_jwt import verify_vc_jwt_token
from .verify_ob2 import verify_ob2_json, verify_ob2_response, verify_ob2_signed
from .verify_ob3 import verify_ob3_document

# (payload, environment, URL the payload was fetched from or None) -> result
Verifier = Callable[[Payload, VerifierEnvironment, "str | None"], VerificationResult]

_VERIFIERS: dict[tuple[str, str], Verifier] = {
    ("ob3", "json"): lambda payload, env, url: verify_ob3_document(payload.document, env),
    ("ob3", "jws"): lambda payload, env, url: verify_vc_jwt_token(payload.text, env),
    ("ob2", "json"): lambda payload, env, url: verify_ob2_json(payload.document, env, fetched_from=url),
    ("ob2", "jws"): lambda payload, env, url: verify_ob2_signed(payload.text, env),
}


def verify_submission(data: bytes, env: VerifierEnvironment) -> VerificationResult:
    """Verify the badge that ``data`` contains and return every check; never raises on bad input."""
    try:
        payload = read_submission(data, max_image_bytes=env.max_image_bytes)
    except OpenBadgesError as error:
        return rejected_input(error.code, error.params)
    if payload.kind == "url":
        return _verify_url(payload.text, env, source=payload.source)
    return _dispatch(payload, env, fetched_from=None)


def rejected_input(reason: str, params: dict | None = None) -> VerificationResult:
    """Return the result for input that contains no readable badge."""
    return VerificationResult(checks=[Check("input", FAILED, reason, dict(params or {}))], required_checks=("input",))


def _verify_url(url: str, env: VerifierEnvironment, *, source: str) -> VerificationResult:
    try:
        response = env.fetch(url, accept=ANY_BADGE_ACCEPT, max_bytes=env.max_image_bytes)
    except DocumentFetchError as error:
        return rejected_input(error.code, error.params)
    if response.status == 410:
        return _with_input_check(verify_ob2_response(response, env, requested_url=url), source)
    if response.status != 200:
        return rejected_input(DocumentHttpError.code, {"url": display_url(url), "status": response.status})
    try:
        payload = read_submission(response.body, max_image_bytes=env.max_image_bytes, allow_url=False, source=source)
    except OpenBadgesError as error:
        return rejected_input(error.code, error.params)
    if payload.kind == "url":
        # An image at a URL that bakes another URL: following it could loop.
        return rejected_input("unrecognized_input")
    return _dispatch(payload, env, fetched_from=_fetched_from(payload, url, response))


def _fetched_from(payload: Payload, url: str, response: FetchedDocument) -> str | None:
    """Return the URL a fetched document came from when it is the document's own id."""
    document_id = payload.document.get("id") if payload.document is not None else None
    return document_id if document_id in (url, response.url) else None


def _dispatch(payload: Payload, env: VerifierEnvironment, *, fetched_from: str | None) -> VerificationResult:
    verifier = _VERIFIERS.get((payload.format, payload.kind))
    if verifier is None:
        # A URL baked into an image: the legacy Open Badges 2.0 hosted form.
        return _verify_url(payload.text, env, source=payload.source)
    return _with_input_check(verifier(payload, env, fetched_from), payload.source)


def _with_input_check(result: VerificationResult, source: str) -> VerificationResult:
    checks = [Check("input", PASSED, "ok", {"source": source}), *result.checks]
    return dataclasses.replace(result, checks=checks, required_checks=("input", *result.required_checks))
