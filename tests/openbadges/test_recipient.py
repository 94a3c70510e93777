import pytest

from badges.openbadges.recipient import hash_identity, identity_matches, normalize_email

SPEC_EMAIL_HASH = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
MAYZE_HASH = "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"


def test_ob3_spec_email_vector():
    assert hash_identity("a@example.com", "Kosher") == SPEC_EMAIL_HASH


def test_ob2_spec_unsalted_vector():
    assert hash_identity("mayze", "") == MAYZE_HASH


def test_mayze_vector_matches_published_ends():
    assert MAYZE_HASH.startswith("sha256$7a1a1b3f")
    assert MAYZE_HASH.endswith("c60c6")


def test_hash_is_lowercase_hex():
    digest = hash_identity("Someone@Example.COM", "salt").removeprefix("sha256$")

    assert digest == digest.lower()
    assert len(digest) == 64


def test_hash_identity_does_not_normalise():
    assert hash_identity("A@example.com", "Kosher") != SPEC_EMAIL_HASH


def test_normalize_email_strips_and_lowercases():
    assert normalize_email("  Maija.Meikalainen@Example.FI \n") == "maija.meikalainen@example.fi"


def test_match_spec_vector():
    assert identity_matches(SPEC_EMAIL_HASH, "a@example.com", "Kosher")


def test_match_normalises_email_case():
    assert identity_matches(SPEC_EMAIL_HASH, " A@Example.com ", "Kosher")


def test_match_accepts_uppercase_hex():
    upper = "sha256$" + SPEC_EMAIL_HASH.removeprefix("sha256$").upper()

    assert identity_matches(upper, "a@example.com", "Kosher")


def test_match_wrong_salt_fails():
    assert not identity_matches(SPEC_EMAIL_HASH, "a@example.com", "kosher")


def test_match_wrong_identity_fails():
    assert not identity_matches(SPEC_EMAIL_HASH, "b@example.com", "Kosher")


def test_match_md5_hash():
    # MD5 of "a@example.comKosher", computed with md5sum.
    md5_hash = "md5$ddd142639a792e74751ee7e129237efa"

    assert identity_matches(md5_hash, "a@example.com", "Kosher")


def test_match_unsalted_with_none():
    assert identity_matches(MAYZE_HASH, "mayze", None, identity_type="name")


def test_match_non_email_keeps_case():
    assert not identity_matches(MAYZE_HASH, "MAYZE", "", identity_type="name")


def test_match_rejects_unknown_algorithm():
    with pytest.raises(ValueError, match="sha256"):
        identity_matches("sha1$" + "0" * 40, "a@example.com", "Kosher")


def test_match_rejects_plain_text():
    with pytest.raises(ValueError):
        identity_matches("a@example.com", "a@example.com", "")


def test_match_non_ascii_hash_is_false():
    assert not identity_matches("sha256$ä" + "0" * 63, "a@example.com", "Kosher")
