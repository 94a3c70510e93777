"""The ``schema`` check: an Open Badges 3.0 credential against 1EdTech's JSON schema.

The bundled schema (``schemas/ob_v3p0_achievementcredential_schema.json``,
draft 2019-09) is the ``json-ld`` variant, in which ``type``, ``proof``,
``evidence`` and ``credentialSchema`` are arrays. It describes the VC
Data Model 2.0 form only.

Each failure reason has two params. ``path`` is the dotted location of
the failing value, such as ``credentialSubject.achievement.name`` or
``evidence[0].type``, and empty for the document itself. ``errors`` is the
number of schema errors found. Reason codes:

``ok``
    the credential matches the schema.
``schema_missing_property`` {path, errors}
    a required property is missing; ``path`` ends with its name.
``schema_wrong_type`` {path, expected, errors}
    a value has the wrong JSON type; ``expected`` names the type(s).
``schema_invalid_value`` {path, rule, errors}
    a value breaks another rule; ``rule`` is the JSON Schema keyword
    (``enum``, ``pattern``, ``minItems``, ``oneOf``, ``contains`` …).
``schema_not_applicable`` (skipped)
    a VCDM 1.1 credential, which the schema does not describe.

Only the most relevant error is reported (``jsonschema.exceptions.best_match``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError, best_match

from .verify import FAILED, PASSED, SKIPPED, Check

SCHEMA_FILE = "ob_v3p0_achievementcredential_schema.json"


@functools.lru_cache(maxsize=1)
def _validator() -> Draft201909Validator:
    text = resources.files(__package__).joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    schema = json.loads(text)
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def check_schema(document: Any, *, applicable: bool = True) -> Check:
    """Validate ``document`` and return the ``schema`` check.

    ``applicable=False`` (for a VCDM 1.1 credential) skips the check.
    """
    if not applicable:
        return Check("schema", SKIPPED, "schema_not_applicable")
    errors = list(_validator().iter_errors(document))
    if not errors:
        return Check("schema", PASSED, "ok")
    error = best_match(errors)
    reason, params = _describe(error)
    return Check("schema", FAILED, reason, {**params, "errors": len(errors)})


def _describe(error: ValidationError) -> tuple[str, dict[str, Any]]:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = _missing_property(error)
        return "schema_missing_property", {"path": format_path([*path, missing] if missing else path)}
    if error.validator == "type":
        expected = error.validator_value
        expected_text = " or ".join(expected) if isinstance(expected, list) else str(expected)
        return "schema_wrong_type", {"path": format_path(path), "expected": expected_text}
    return "schema_invalid_value", {"path": format_path(path), "rule": str(error.validator)}


def _missing_property(error: ValidationError) -> str | None:
    """Return the name of the missing property of a ``required`` error."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    for name in error.validator_value or ():
        if name not in instance:
            return name
    return None


def format_path(path: Iterable[Any]) -> str:
    """Format a JSON path as ``credentialSubject.achievement.alignment[0].targetUrl``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
