"""Run 1EdTech's Open Badges 2.0 validator (badgecheck) from pytest.

badgecheck 1.2.0 imports only on Python 3.9 or older, so it runs in its
own virtual environment, ``tests/interop/badgecheck/.venv``, created on
first use from the pinned ``requirements.txt`` with a Python 3.9 found on
this machine. The validator itself runs offline through
``badgecheck/run_badgecheck.py``::

    result = verify_with_badgecheck(f"{live_server.url}/ob2/assertions/{credential.id}")
    assert result["report"]["errorCount"] == 0, error_messages(result)

``data`` is a URL, assertion JSON, a compact JWS or a ``Path`` to a baked
PNG/SVG or text file. The result is badgecheck's own (``graph``,
``input``, ``report``). Harness failures (no Python 3.9, a failed
install, a crash, no JSON output, a timeout) raise
``BadgecheckHarnessError``, so a test that expects an invalid badge cannot
pass because the validator never ran.

``python -m tests.interop.badgecheck_runner`` only creates the
environment; the Makefile's ``badgecheck`` target calls it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

BADGECHECK_DIR = Path(__file__).resolve().parent / "badgecheck"
VENV_DIR = BADGECHECK_DIR / ".venv"
VENV_PYTHON = VENV_DIR / "bin" / "python"
REQUIREMENTS = BADGECHECK_DIR / "requirements.txt"
RUNNER_SCRIPT = BADGECHECK_DIR / "run_badgecheck.py"
# Written last by a complete install. It contains the SHA-256 of the
# requirements it installed, so an edited requirements.txt triggers a fresh install.
INSTALLED_MARKER = VENV_DIR / ".installed-requirements"

REQUIRED_PYTHON = (3, 9)
# Compiling pycryptodome takes most of the install time.
INSTALL_TIMEOUT_SECONDS = 900
RUN_TIMEOUT_SECONDS = 120
EXIT_HARNESS_ERROR = 2


class BadgecheckHarnessError(RuntimeError):
    """badgecheck could not run: no Python 3.9, a failed install, a crash or unreadable output."""


def find_python39() -> str:
    """Return the path of a Python 3.9 interpreter, or raise ``BadgecheckHarnessError``.

    Looks at ``$BADGECHECK_PYTHON``, then ``pyenv prefix 3.9``, then
    ``$PYENV_ROOT/versions/3.9.*`` (default ``~/.pyenv``), then
    ``python3.9`` on PATH.
    """
    for candidate in _python39_candidates():
        if _python_version(candidate) == REQUIRED_PYTHON:
            return candidate
    raise BadgecheckHarnessError(
        "badgecheck needs Python 3.9, and none was found: set BADGECHECK_PYTHON to a python3.9 "
        "executable, or install one with `pyenv install 3.9` (or the python3.9 package)."
    )


def _python39_candidates():
    explicit = os.environ.get("BADGECHECK_PYTHON")
    if explicit:
        yield explicit
    pyenv = shutil.which("pyenv")
    if pyenv:
        prefix = _output([pyenv, "prefix", "3.9"])
        if prefix:
            yield str(Path(prefix.splitlines()[0]) / "bin" / "python3.9")
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    for version_dir in sorted(pyenv_root.glob("versions/3.9.*"), reverse=True):
        yield str(version_dir / "bin" / "python3.9")
    on_path = shutil.which("python3.9")
    if on_path:
        yield on_path


def _python_version(executable: str) -> tuple[int, int] | None:
    output = _output([executable, "-c", "import sys; print(*sys.version_info[:2])"])
    if output is None:
        return None
    major, minor = output.split()
    return int(major), int(minor)


def _output(command: list[str]) -> str | None:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None


def _requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_venv() -> Path:
    """Create or refresh the badgecheck environment when needed; return its python."""
    digest = _requirements_digest()
    if VENV_PYTHON.exists() and INSTALLED_MARKER.is_file() and INSTALLED_MARKER.read_text().strip() == digest:
        return VENV_PYTHON

    python39 = find_python39()
    _run_install_step([python39, "-m", "venv", "--clear", str(VENV_DIR)])
    # --no-deps: badgecheck's published requirements conflict with each
    # other (see requirements.txt), so every package is pinned there.
    _run_install_step([
        str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-deps", "-r", str(REQUIREMENTS),
    ])
    _run_install_step([str(VENV_PYTHON), "-c", "import openbadges.verifier"])
    INSTALLED_MARKER.write_text(digest + "\n")
    return VENV_PYTHON


def _run_install_step(command: list[str]) -> None:
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BadgecheckHarnessError(f"Creating the badgecheck environment failed at {command}: {error}") from error
    if completed.returncode != 0:
        raise BadgecheckHarnessError(
            f"Creating the badgecheck environment failed at {command} with exit status "
            f"{completed.returncode}. Delete {VENV_DIR} and retry; output:\n"
            f"{completed.stdout[-2000:]}{completed.stderr[-4000:]}"
        )


def verify_with_badgecheck(data: str | Path, *, origins: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return badgecheck's result for ``data``, adding ``exit_code`` (0 valid, 1 not valid).

    ``origins`` maps a public origin to a local one (for example
    ``{"https://merkit.example.fi": live_server.url}``) for badges issued
    under a base URL that is not the test server's own.
    """
    python = ensure_venv()
    command = [str(python), str(RUNNER_SCRIPT), "--data", str(data)]
    for public, local in (origins or {}).items():
        command += ["--origin", f"{public}={local}"]
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise BadgecheckHarnessError(f"badgecheck did not finish within {RUN_TIMEOUT_SECONDS} s.") from error

    if completed.returncode == EXIT_HARNESS_ERROR:
        raise BadgecheckHarnessError(f"badgecheck crashed:\n{completed.stderr[-4000:]}")
    try:
        result = json.loads(completed.stdout)
    except ValueError as error:
        raise BadgecheckHarnessError(
            f"badgecheck printed no JSON (exit status {completed.returncode}):\n"
            f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}"
        ) from error
    result["exit_code"] = completed.returncode
    return result


def error_messages(result: Mapping[str, Any]) -> list[str]:
    """Return the text of every ERROR message in a badgecheck result."""
    return [
        f"{message.get('name')}: {message.get('result')}"
        for message in result["report"]["messages"]
        if message.get("messageLevel") == "ERROR"
    ]


if __name__ == "__main__":
    try:
        print(f"badgecheck environment ready: {ensure_venv()}")
    except BadgecheckHarnessError as error:
        sys.exit(str(error))
