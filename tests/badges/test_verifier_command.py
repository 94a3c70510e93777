"""manage.py verify_badge: files, standard input and URLs, and the same results as the /verify page."""
import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from badges.openbadges import baking
from tests.openbadges.verifier_fakes import itxt, png_image, png_with_chunks

from .verifier_server import forbid_dns, server, url_map  # noqa: F401 - fixtures


def run_command(*args, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, dict]:
    output = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    try:
        call_command("verify_badge", *args, stdout=output)
        status = 0
    except SystemExit as exit_status:
        status = exit_status.code
    return status, json.loads(output.getvalue())


def write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def without_messages(data: dict) -> dict:
    """Drop the translated texts, which depend on the active language, not on the verification."""
    data = dict(data)
    data.pop("format_label", None)
    data["checks"] = [
        {key: value for key, value in check.items() if key not in ("label", "message")} for check in data["checks"]
    ]
    return data


def test_json_file(credential, tmp_path):
    status, result = run_command(write(tmp_path, "badge.json", credential.document.encode()))

    assert status == 0
    assert (result["valid"], result["format"]) == (True, "ob3")
    assert result["summary"]["badge_name"] == "Digitaalinen tiedonhaku"
    assert all(check["message"] for check in result["checks"])


def test_baked_png_file(credential, tmp_path):
    image = baking.bake_png(png_image(), keyword="openbadgecredential", text=credential.jwt)

    status, result = run_command(write(tmp_path, "badge.png", image))

    assert (status, result["format"]) == (0, "ob3-jwt")


def test_stdin(credential, monkeypatch):
    status, result = run_command("-", stdin=credential.ob2_jws.encode(), monkeypatch=monkeypatch)

    assert (status, result["format"]) == (0, "ob2-signed")


def test_url(credential):
    status, result = run_command(json.loads(credential.ob2_assertion)["id"])

    assert (status, result["format"]) == (0, "ob2-hosted")


def test_email_yes_and_no(credential, tmp_path):
    path = write(tmp_path, "badge.json", credential.document.encode())

    status, result = run_command(path, "--email", "maija.meikalainen@example.fi")
    assert (status, result["checks"][-1]["code"], result["checks"][-1]["outcome"]) == (0, "recipient", "passed")

    status, result = run_command(path, "--email", "other@example.fi")
    assert (status, result["checks"][-1]["reason"]) == (1, "recipient_mismatch")
    assert "maija" not in json.dumps(result["checks"][-1]).lower()


def test_invalid_email(credential, tmp_path):
    with pytest.raises(CommandError, match="not a valid email"):
        call_command("verify_badge", write(tmp_path, "b.json", b"{}"), "--email", "nope")


def test_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_badge", str(tmp_path / "missing.json"))


def test_unrecognised_input(db, tmp_path):
    status, result = run_command(write(tmp_path, "x.bin", b"\x00\x01 not a badge"))

    assert status == 1
    assert result["checks"] == [
        {
            "code": "input",
            "outcome": "failed",
            "reason": "unrecognized_input",
            "params": {},
            "label": result["checks"][0]["label"],
            "message": result["checks"][0]["message"],
        }
    ]


def test_huge_file_not_read_whole(db, tmp_path, settings):
    settings.MERKKIPAJA_MAX_IMAGE_BYTES = 100_000
    path = write(tmp_path, "huge.png", png_image() + b"\x00" * 5_000_000)

    status, result = run_command(path)

    assert (status, result["checks"][0]["reason"]) == (1, "input_too_large")


def test_url_redirecting_to_private_address(db, server, url_map):
    url_map("https://issuer.example/", server.url("/"))
    server.redirect("/badge", server.url("/private"))

    status, result = run_command("https://issuer.example/badge")

    assert (status, result["checks"][0]["reason"]) == (1, "fetch_refused")
    assert server.paths() == ["/badge"]


def test_page_and_command_give_identical_results(client, credential, tmp_path):
    """One function serves both, so the same bytes give the same checks, reasons and summary."""
    document = json.loads(credential.document)
    tampered = json.dumps({**document, "name": document["name"] + "!"})
    inputs = {
        "json": credential.document.encode(),
        "tampered": tampered.encode(),
        "jwt": credential.jwt.encode(),
        "ob2-signed": credential.ob2_jws.encode(),
        "png": baking.bake_png(png_image(), keyword="openbadgecredential", text=credential.document),
        "two-credentials": png_with_chunks(itxt("openbadgecredential", credential.document), itxt("openbadges", credential.ob2_jws)),
        "garbage": b"\xff\xfe",
    }
    for name, content in inputs.items():
        path = write(tmp_path, f"{name}.bin", content)
        _status, from_command = run_command(path, "--email", "maija.meikalainen@example.fi")
        with open(path, "rb") as handle:
            response = client.post("/verify", {"file": handle, "email": "maija.meikalainen@example.fi"})

        from_page = response.context["result"].to_dict()
        assert without_messages(from_command) == from_page, name


def test_page_and_command_identical_for_url(client, credential):
    url = json.loads(credential.ob2_assertion)["id"]

    _status, from_command = run_command(url)
    from_page = client.post("/verify", {"credential": url}).context["result"].to_dict()

    assert without_messages(from_command) == from_page
