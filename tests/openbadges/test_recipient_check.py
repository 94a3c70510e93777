import hashlib
import json

import pytest

from badges.openbadges.recipient import hash_identity
from badges.openbadges.recipient_check import check_ob2_recipient, check_ob3_recipient

# The OB 3.0 specification's example: a@example.com with salt Kosher.
SPEC_HASH = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"


def ob3(*identifiers):
    return {"credentialSubject": {"identifier": list(identifiers)}}


def email_identity(identity_hash=SPEC_HASH, salt="Kosher", hashed=True):
    return {"type": "IdentityObject", "identityType": "emailAddress", "identityHash": identity_hash, "hashed": hashed, "salt": salt}


NAME = {"type": "IdentityObject", "identityType": "name", "identityHash": "Maija Meikäläinen", "hashed": False}


def outcome(check):
    return check.code, check.outcome, check.reason, check.params


def test_ob3_match():
    assert outcome(check_ob3_recipient(ob3(NAME, email_identity()), "a@example.com")) == ("recipient", "passed", "ok", {})


def test_ob3_match_ignores_case_and_spaces():
    assert check_ob3_recipient(ob3(email_identity()), "  A@Example.COM ").outcome == "passed"


def test_ob3_upper_case_hex_matches():
    assert check_ob3_recipient(ob3(email_identity("sha256$" + SPEC_HASH[7:].upper())), "a@example.com").outcome == "passed"


def test_ob3_mismatch():
    assert outcome(check_ob3_recipient(ob3(email_identity()), "b@example.com")) == (
        "recipient", "failed", "recipient_mismatch", {},
    )


def test_ob3_mismatch_reveals_nothing():
    check = check_ob3_recipient(ob3(email_identity()), "b@example.com")

    text = json.dumps(check.to_dict())
    assert "b5809d8a" not in text
    assert "Kosher" not in text
    assert "example.com" not in text


def test_ob3_unhashed_email():
    assert check_ob3_recipient(ob3(email_identity("A@example.com", None, False)), "a@example.com").outcome == "passed"


def test_ob3_md5_hash():
    identity = "md5$" + hashlib.md5(b"a@example.comx").hexdigest()

    assert check_ob3_recipient(ob3(email_identity(identity, "x")), "a@example.com").outcome == "passed"


def test_ob3_name_only_not_checkable():
    assert outcome(check_ob3_recipient(ob3(NAME), "a@example.com")) == (
        "recipient", "skipped", "recipient_not_checkable", {},
    )


@pytest.mark.parametrize(
    "subject",
    [{}, {"credentialSubject": "x"}, {"credentialSubject": {"identifier": "x"}}, "not a credential"],
)
def test_ob3_no_identifiers_not_checkable(subject):
    assert check_ob3_recipient(subject, "a@example.com").reason == "recipient_not_checkable"


def test_ob3_unknown_algorithm_not_checkable():
    assert check_ob3_recipient(ob3(email_identity("sha512$abc")), "a@example.com").reason == "recipient_not_checkable"


def test_ob3_single_identifier_object():
    credential = {"credentialSubject": {"identifier": email_identity()}}

    assert check_ob3_recipient(credential, "a@example.com").outcome == "passed"


def test_ob2_hashed():
    assertion = {"recipient": {"type": "email", "hashed": True, "salt": "s", "identity": hash_identity("maija@example.fi", "s")}}

    assert check_ob2_recipient(assertion, "Maija@example.fi").outcome == "passed"
    assert check_ob2_recipient(assertion, "other@example.fi").reason == "recipient_mismatch"


def test_ob2_unsalted_spec_vector():
    # Open Badges 2.0 example: "mayze" without a salt.
    identity = "sha256$" + hashlib.sha256(b"mayze").hexdigest()
    assertion = {"recipient": {"type": "email", "hashed": True, "identity": identity}}

    assert check_ob2_recipient(assertion, "mayze").outcome == "passed"


def test_ob2_url_recipient_not_checkable():
    assertion = {"recipient": {"type": "url", "hashed": False, "identity": "https://maija.example"}}

    assert check_ob2_recipient(assertion, "a@example.com").reason == "recipient_not_checkable"
