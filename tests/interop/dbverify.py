"""Run the Node.js verifier (``verify-ob3.mjs``) from pytest.

The verifier is a Node.js CLI built on ``@digitalbazaar/vc``. This module
installs its npm packages when needed, writes the inputs to temporary files
and returns the CLI's JSON result::

    result = verify_with_digitalbazaar(signed_credential)
    assert result["verified"], result["errors"]

A result has ``verified``, ``errors`` (``[{"name", "message"}]``),
``statusResult``, ``warnings`` and ``exit_code`` (0 verified, 1 not).
Harness failures (exit code 2, no JSON, a timeout) raise
``DigitalBazaarHarnessError`` instead, so that a test expecting
``verified: False`` cannot pass because the verifier never ran.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

INTEROP_DIR = Path(__file__).resolve().parent
VERIFIER_SCRIPT = INTEROP_DIR / "verify-ob3.mjs"
SIGNER_SCRIPT = INTEROP_DIR / "sign-fixture.mjs"
NODE_MODULES_DIR = INTEROP_DIR / "node_modules"
# npm writes this file last, so it exists only after a complete install.
INSTALLED_LOCKFILE = NODE_MODULES_DIR / ".package-lock.json"
PACKAGE_LOCKFILE = INTEROP_DIR / "package-lock.json"

MINIMUM_NODE_MAJOR_VERSION = 20
NPM_CI_TIMEOUT_SECONDS = 600
EXIT_HARNESS_ERROR = 2


class DigitalBazaarHarnessError(RuntimeError):
    """The verifier could not run: Node.js, npm, inputs or its server failed."""


def node_available() -> bool:
    """Return whether ``node`` 20 or newer is on PATH."""
    node = shutil.which("node")
    if node is None:
        return False
    try:
        completed = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return False

    # `node --version` prints e.g. "v20.20.2".
    major_text = completed.stdout.strip().lstrip("v").split(".", 1)[0]
    return major_text.isdigit() and int(major_text) >= MINIMUM_NODE_MAJOR_VERSION


def _node_modules_current() -> bool:
    if not INSTALLED_LOCKFILE.is_file():
        return False
    # A package-lock.json changed after the last install (a version bump
    # pulled from git) leaves node_modules out of date.
    return INSTALLED_LOCKFILE.stat().st_mtime >= PACKAGE_LOCKFILE.stat().st_mtime


def ensure_node_modules() -> None:
    """Install the verifier's npm packages with ``npm ci`` unless present.

    Raises ``DigitalBazaarHarnessError`` when npm is missing, fails or takes
    longer than ten minutes.
    """
    if _node_modules_current():
        return

    npm = shutil.which("npm")
    if npm is None:
        raise DigitalBazaarHarnessError(
            f"npm not found on PATH. Install Node.js {MINIMUM_NODE_MAJOR_VERSION} or newer "
            f"with npm, or run `npm ci` in {INTEROP_DIR}."
        )
    command = [npm, "ci", "--no-audit", "--no-fund"]
    try:
        completed = subprocess.run(
            command,
            cwd=INTEROP_DIR,
            capture_output=True,
            text=True,
            timeout=NPM_CI_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        raise DigitalBazaarHarnessError(
            f"`npm ci` in {INTEROP_DIR} timed out after {NPM_CI_TIMEOUT_SECONDS} s."
        ) from exc
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).strip()
        raise DigitalBazaarHarnessError(
            f"`npm ci` in {INTEROP_DIR} failed with exit code {completed.returncode}:\n"
            f"{output[-4000:]}"
        )


def _write_json(path: Path, document: Mapping[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise DigitalBazaarHarnessError(
            f"node not found on PATH. Install Node.js {MINIMUM_NODE_MAJOR_VERSION} or newer."
        )
    return node


def _build_command(
    input_option: str,
    input_file: Path,
    did_document_files: list[Path],
    did_web_origin: str | None,
    contexts_dir: str | os.PathLike[str] | None,
) -> list[str]:
    command = [_node_executable(), str(VERIFIER_SCRIPT), input_option, str(input_file)]
    if contexts_dir is not None:
        command += ["--contexts", str(contexts_dir)]
    for did_document_file in did_document_files:
        command += ["--did-document", str(did_document_file)]
    if did_web_origin is not None:
        command += ["--did-web-origin", did_web_origin]
    return command


def verify_with_digitalbazaar(
    credential: Mapping[str, Any],
    *,
    did_documents: Iterable[Mapping[str, Any]] = (),
    did_web_origin: str | None = None,
    contexts_dir: str | os.PathLike[str] | None = None,
    timeout: float = 60,
) -> dict[str, Any]:
    """Verify ``credential`` with ``verify-ob3.mjs`` and return its result.

    ``did_documents`` are did:web DID documents given to the CLI as
    ``--did-document`` files. ``did_web_origin`` (``http://127.0.0.1:PORT``)
    lets the CLI fetch other did:web documents from a local server.
    ``contexts_dir`` overrides the CLI's default, the project's
    ``badges/openbadges/contexts/``. ``timeout`` is in seconds.

    Returns the CLI's JSON object plus ``exit_code``. Raises
    ``DigitalBazaarHarnessError`` when the CLI exits with status 2, prints
    no JSON object or times out.
    """
    content = json.dumps(credential, ensure_ascii=False).encode("utf-8")
    return _verify_file(
        "--credential",
        "credential.json",
        content,
        did_documents=did_documents,
        did_web_origin=did_web_origin,
        contexts_dir=contexts_dir,
        timeout=timeout,
    )


def verify_jwt_with_jose(
    token: str, *, did_web_origin: str | None = None, timeout: float = 60
) -> dict[str, Any]:
    """Verify a VC-JWT with ``verify-ob3.mjs --jwt``: ``jose`` checks the signature.

    The CLI fetches the JWK from the header's ``kid`` URL, which must be on
    127.0.0.1 or localhost. ``did_web_origin`` is needed when the credential
    has a status list, whose proof names a did:web key. Returns and raises
    as ``verify_with_digitalbazaar``.
    """
    return _verify_file(
        "--jwt", "credential.jwt", token.encode("ascii"), did_web_origin=did_web_origin, timeout=timeout
    )


def verify_baked_image(
    image: bytes, *, suffix: str, did_web_origin: str | None = None, timeout: float = 60
) -> dict[str, Any]:
    """Verify the credential baked into a PNG or SVG (``suffix`` ".png" or ".svg") with ``--baked``.

    The CLI extracts the credential with its own reader and verifies JSON
    with Digital Bazaar's libraries or a VC-JWT with ``jose``. Returns and
    raises as ``verify_with_digitalbazaar``.
    """
    return _verify_file(
        "--baked", f"badge{suffix}", image, did_web_origin=did_web_origin, timeout=timeout
    )


def _verify_file(
    input_option: str,
    file_name: str,
    content: bytes,
    *,
    did_documents: Iterable[Mapping[str, Any]] = (),
    did_web_origin: str | None = None,
    contexts_dir: str | os.PathLike[str] | None = None,
    timeout: float = 60,
) -> dict[str, Any]:
    ensure_node_modules()

    with tempfile.TemporaryDirectory(prefix="dbverify-") as temporary:
        directory = Path(temporary)
        input_file = directory / file_name
        input_file.write_bytes(content)
        did_document_files = [
            _write_json(directory / f"did-document-{index}.json", document)
            for index, document in enumerate(did_documents)
        ]
        command = _build_command(input_option, input_file, did_document_files, did_web_origin, contexts_dir)
        try:
            completed = subprocess.run(
                command, cwd=INTEROP_DIR, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise DigitalBazaarHarnessError(
                f"verify-ob3.mjs timed out after {timeout} s: {' '.join(command)}"
            ) from exc

    try:
        result = json.loads(completed.stdout)
    except json.JSONDecodeError as exc:
        raise DigitalBazaarHarnessError(
            f"verify-ob3.mjs exited with code {completed.returncode} and printed no JSON object.\n"
            f"stdout: {completed.stdout[-2000:]}\nstderr: {completed.stderr[-4000:]}"
        ) from exc
    if not isinstance(result, dict):
        raise DigitalBazaarHarnessError(
            f"verify-ob3.mjs printed {type(result).__name__} instead of a JSON object: {completed.stdout[-2000:]}"
        )

    result["exit_code"] = completed.returncode
    if completed.returncode == EXIT_HARNESS_ERROR:
        messages = "; ".join(f"{error['name']}: {error['message']}" for error in result.get("errors", []))
        raise DigitalBazaarHarnessError(f"verify-ob3.mjs could not verify the credential: {messages}")
    if completed.returncode not in (0, 1):
        raise DigitalBazaarHarnessError(
            f"verify-ob3.mjs exited with unexpected code {completed.returncode}.\n"
            f"stderr: {completed.stderr[-4000:]}"
        )
    return result


def sign_with_digitalbazaar(
    credential: Mapping[str, Any],
    *,
    did_web: str | None = None,
    contexts_dir: str | os.PathLike[str] | None = None,
    timeout: float = 60,
) -> dict[str, Any]:
    """Sign ``credential`` with Digital Bazaar's libraries and a new key.

    Runs ``sign-fixture.mjs``, which replaces the issuer id with the key's
    did:key DID, or with ``did_web`` and the key as ``did_web#key-1``.
    Returns ``{"credential", "didDocument", "verificationMethod"}``, where
    ``didDocument`` is None for did:key. Raises ``DigitalBazaarHarnessError``
    when signing fails, for example on a term that safe mode rejects.
    """
    ensure_node_modules()

    with tempfile.TemporaryDirectory(prefix="dbsign-") as temporary:
        credential_file = _write_json(Path(temporary) / "credential.json", credential)
        command = [_node_executable(), str(SIGNER_SCRIPT), "--credential", str(credential_file)]
        command += ["--did-web", did_web] if did_web is not None else ["--did-key"]
        if contexts_dir is not None:
            command += ["--contexts", str(contexts_dir)]
        try:
            completed = subprocess.run(
                command, cwd=INTEROP_DIR, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise DigitalBazaarHarnessError(f"sign-fixture.mjs timed out after {timeout} s.") from exc

    if completed.returncode != 0:
        raise DigitalBazaarHarnessError(
            f"sign-fixture.mjs failed with exit code {completed.returncode}: {completed.stderr.strip()[-4000:]}"
        )
    return json.loads(completed.stdout)
