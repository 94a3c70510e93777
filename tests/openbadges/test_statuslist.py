import base64
import datetime
import gzip

import pytest

from badges.openbadges import statuslist
from badges.openbadges.statuslist import StatusListError


def test_empty_list_known_answer():
    encoded = statuslist.encode_bitstring([])

    # 16 KiB of zero bytes, GZIP with mtime 0: the same text every time.
    assert encoded == "uH4sIAAAAAAAC_-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    assert statuslist.decode_bitstring(encoded) == bytes(16384)


def test_bit_order_is_most_significant_first():
    bits = statuslist.decode_bitstring(statuslist.encode_bitstring([0, 9, 131071]))

    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert bits[-1] == 0b0000_0001


def test_round_trip_and_lookup():
    indexes = {5, 77, 1000, 131_000}
    bits = statuslist.decode_bitstring(statuslist.encode_bitstring(indexes))

    for index in range(0, 131_072, 997):
        assert statuslist.bit_is_set(bits, index) == (index in indexes)
    for index in indexes:
        assert statuslist.bit_is_set(bits, index)


def test_encoding_is_deterministic():
    assert statuslist.encode_bitstring([3, 4]) == statuslist.encode_bitstring([4, 3])


def test_multibase_is_base64url_without_padding():
    encoded = statuslist.encode_bitstring([1])
    assert encoded[0] == "u"
    assert "=" not in encoded
    assert "+" not in encoded
    assert "/" not in encoded


@pytest.mark.parametrize("size", [8, 131_071, 131_072 - 8])
def test_small_lists_rejected(size):
    with pytest.raises(ValueError):
        statuslist.encode_bitstring([], size=size)


def test_index_outside_list_rejected():
    with pytest.raises(ValueError):
        statuslist.encode_bitstring([131_072])


@pytest.mark.parametrize("value", ["", "zabc", "u!!!", "u" + base64.urlsafe_b64encode(b"not gzip").decode()])
def test_unreadable_lists(value):
    with pytest.raises(StatusListError):
        statuslist.decode_bitstring(value)


def test_too_short_list_rejected():
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(100))).decode().rstrip("=")
    with pytest.raises(StatusListError):
        statuslist.decode_bitstring(encoded)


def test_oversized_list_rejected_without_full_inflation():
    bomb = gzip.compress(bytes(statuslist.MAX_LIST_BITS // 8 + 1024))
    encoded = "u" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    with pytest.raises(StatusListError):
        statuslist.decode_bitstring(encoded)


def test_entry_round_trip():
    entry = statuslist.build_entry(list_url="https://example.org/status/1", index=94567)

    assert entry == {
        "id": "https://example.org/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://example.org/status/1",
    }
    assert statuslist.parse_entry(entry) == ("https://example.org/status/1", 94567, "revocation")


@pytest.mark.parametrize(
    "entry",
    [
        None,
        {"type": "StatusList2021Entry"},
        {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": 5, "statusListCredential": "x"},
        {"type": "BitstringStatusListEntry", "statusPurpose": "other", "statusListIndex": "5", "statusListCredential": "x"},
        {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "5"},
    ],
)
def test_bad_entries(entry):
    with pytest.raises(StatusListError):
        statuslist.parse_entry(entry)


def test_list_credential_shape():
    document = statuslist.build_list_credential(
        list_url="https://example.org/status/1",
        issuer_id="did:web:example.org",
        purpose="revocation",
        set_indexes=[7],
        size=131_072,
        valid_from=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    )

    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["validFrom"] == "2026-01-01T00:00:00Z"
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    bits = statuslist.decode_bitstring(document["credentialSubject"]["encodedList"])
    assert statuslist.bit_is_set(bits, 7)
