import pytest

from badges.openbadges.schema import check_schema, format_path


def outcome(check):
    return check.outcome, check.reason, check.params


def test_signed_sample_passes(signed_credential):
    assert outcome(check_schema(signed_credential)) == ("passed", "ok", {})


def test_missing_achievement_name(signed_credential):
    del signed_credential["credentialSubject"]["achievement"]["name"]

    assert outcome(check_schema(signed_credential)) == (
        "failed",
        "schema_missing_property",
        {"path": "credentialSubject.achievement.name", "errors": 1},
    )


def test_missing_valid_from(signed_credential):
    del signed_credential["validFrom"]

    assert outcome(check_schema(signed_credential)) == (
        "failed",
        "schema_missing_property",
        {"path": "validFrom", "errors": 1},
    )


def test_wrong_type(signed_credential):
    signed_credential["credentialSubject"]["achievement"]["description"] = 5

    assert outcome(check_schema(signed_credential)) == (
        "failed",
        "schema_wrong_type",
        {"path": "credentialSubject.achievement.description", "expected": "string", "errors": 1},
    )


def test_proof_must_be_array_in_json_ld_variant(signed_credential):
    signed_credential["proof"] = signed_credential["proof"][0]

    check = check_schema(signed_credential)

    assert (check.outcome, check.reason, check.params["path"]) == ("failed", "schema_wrong_type", "proof")


def test_invalid_value_names_rule(signed_credential):
    signed_credential["@context"][0] = "https://www.w3.org/2018/credentials/v1"

    check = check_schema(signed_credential)

    assert (check.reason, check.params["path"], check.params["rule"]) == ("schema_invalid_value", "@context[0]", "enum")


def test_counts_every_error(signed_credential):
    del signed_credential["validFrom"]
    del signed_credential["credentialSubject"]["achievement"]["name"]

    assert check_schema(signed_credential).params["errors"] == 2


def test_not_applicable_is_skipped(signed_credential):
    assert outcome(check_schema(signed_credential, applicable=False)) == ("skipped", "schema_not_applicable", {})


@pytest.mark.parametrize(
    ("path", "text"),
    [([], ""), (["a"], "a"), (["a", "b"], "a.b"), (["evidence", 0, "type"], "evidence[0].type"), ([0], "[0]")],
)
def test_format_path(path, text):
    assert format_path(path) == text
