from datetime import UTC, datetime

import pytest

from badges.openbadges import statuslist
from badges.openbadges.dataintegrity import sign
from badges.openbadges.keys import resolve_did_key
from badges.openbadges.multikey import did_key_for
from badges.openbadges.status_check import check_credential_status

from .samples import ISSUED_AT
from .verifier_fakes import FakeFetcher

LIST_URL = "https://issuer.example/status/1"
REVOCATION_LIST_URL = "https://issuer.example/revocations"


def resolve(method, issuer_id):
    return resolve_did_key(method)


def signed_list(private_key, verification_method, issuer_id, set_indexes=(), purpose="revocation"):
    document = statuslist.build_list_credential(
        list_url=LIST_URL,
        issuer_id=issuer_id,
        purpose=purpose,
        set_indexes=set_indexes,
        size=statuslist.MIN_LIST_SIZE,
        valid_from=datetime(2026, 12, 1, tzinfo=UTC),
    )
    return sign(document, private_key=private_key, verification_method=verification_method, created=ISSUED_AT)


def with_entry(credential, index=94567, purpose="revocation"):
    return {**credential, "credentialStatus": statuslist.build_entry(list_url=LIST_URL, index=index, purpose=purpose)}


def outcome(check):
    return check.outcome, check.reason, check.params


def test_no_status(signed_credential):
    assert outcome(check_credential_status(signed_credential, fetch=FakeFetcher(), resolve_key=resolve)) == (
        "skipped", "no_status", {},
    )


def test_bit_clear_passes(signed_credential, private_key, verification_method, issuer_did):
    fetcher = FakeFetcher({LIST_URL: signed_list(private_key, verification_method, issuer_did, [5])})

    check = check_credential_status(with_entry(signed_credential), fetch=fetcher, resolve_key=resolve)

    assert outcome(check) == ("passed", "ok", {})


def test_bit_set_is_revoked(signed_credential, private_key, verification_method, issuer_did):
    fetcher = FakeFetcher({LIST_URL: signed_list(private_key, verification_method, issuer_did, [94567])})

    check = check_credential_status(with_entry(signed_credential), fetch=fetcher, resolve_key=resolve)

    assert outcome(check) == ("failed", "status_revoked", {"reason": ""})


def test_suspension_bit(signed_credential, private_key, verification_method, issuer_did):
    fetcher = FakeFetcher({LIST_URL: signed_list(private_key, verification_method, issuer_did, [7], purpose="suspension")})

    check = check_credential_status(with_entry(signed_credential, 7, "suspension"), fetch=fetcher, resolve_key=resolve)

    assert outcome(check) == ("failed", "status_suspended", {})


def test_list_signed_by_another_issuer(signed_credential, other_private_key):
    other_did = did_key_for(other_private_key.public_key().public_bytes_raw())
    other_method = f"{other_did}#{other_did.removeprefix('did:key:')}"
    fetcher = FakeFetcher({LIST_URL: signed_list(other_private_key, other_method, other_did)})

    check = check_credential_status(with_entry(signed_credential), fetch=fetcher, resolve_key=resolve)

    assert outcome(check) == ("failed", "status_list_invalid", {"url": LIST_URL})


def test_tampered_list(signed_credential, private_key, verification_method, issuer_did):
    status_list = signed_list(private_key, verification_method, issuer_did, [94567])
    status_list["credentialSubject"]["encodedList"] = statuslist.encode_bitstring([])

    check = check_credential_status(with_entry(signed_credential), fetch=FakeFetcher({LIST_URL: status_list}), resolve_key=resolve)

    assert outcome(check) == ("failed", "status_list_invalid", {"url": LIST_URL})


def test_list_unavailable_is_warning(signed_credential):
    check = check_credential_status(with_entry(signed_credential), fetch=FakeFetcher(), resolve_key=resolve)

    assert outcome(check) == ("warning", "status_unavailable", {"url": LIST_URL})


def test_list_url_query_not_shown(signed_credential):
    credential = with_entry(signed_credential)
    credential["credentialStatus"]["statusListCredential"] = LIST_URL + "?token=secret"

    check = check_credential_status(credential, fetch=FakeFetcher(), resolve_key=resolve)

    assert check.params == {"url": LIST_URL}


def test_malformed_entry(signed_credential):
    credential = with_entry(signed_credential)
    credential["credentialStatus"]["statusListIndex"] = "-1"

    assert check_credential_status(credential, fetch=FakeFetcher(), resolve_key=resolve).reason == "status_list_invalid"


def test_unsupported_type_is_warning(signed_credential):
    credential = {**signed_credential, "credentialStatus": {"type": "StatusList2021Entry"}}

    assert outcome(check_credential_status(credential, fetch=FakeFetcher(), resolve_key=resolve)) == (
        "warning", "status_type_unsupported", {"type": "StatusList2021Entry"},
    )


@pytest.mark.parametrize("key", ["revokedCredentials", "revokedCredential"])
def test_1edtech_revocation_list(signed_credential, key):
    credential = {**signed_credential, "credentialStatus": {"id": REVOCATION_LIST_URL, "type": "1EdTechRevocationList"}}
    revocations = {key: [{"id": signed_credential["id"], "revoked": True, "revocationReason": "Väärä saaja"}]}

    check = check_credential_status(credential, fetch=FakeFetcher({REVOCATION_LIST_URL: revocations}), resolve_key=resolve)

    assert outcome(check) == ("failed", "status_revoked", {"reason": "Väärä saaja"})


def test_1edtech_revocation_list_other_credentials(signed_credential):
    credential = {**signed_credential, "credentialStatus": {"id": REVOCATION_LIST_URL, "type": "1EdTechRevocationList"}}
    revocations = {"revokedCredentials": [{"id": "urn:uuid:other"}, {"id": signed_credential["id"], "revoked": False}]}

    check = check_credential_status(credential, fetch=FakeFetcher({REVOCATION_LIST_URL: revocations}), resolve_key=resolve)

    assert outcome(check) == ("passed", "ok", {})


def test_worst_entry_wins(signed_credential, private_key, verification_method, issuer_did):
    credential = with_entry(signed_credential)
    credential["credentialStatus"] = [credential["credentialStatus"], {"type": "StatusList2021Entry"}]
    fetcher = FakeFetcher({LIST_URL: signed_list(private_key, verification_method, issuer_did, [94567])})

    assert check_credential_status(credential, fetch=fetcher, resolve_key=resolve).reason == "status_revoked"
