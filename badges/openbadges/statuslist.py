"""W3C Bitstring Status List v1.0: the revocation bits of many credentials in one list.

A credential points at one bit of a list with a ``credentialStatus`` entry::

    {"id": "https://merkit.example.fi/status/5f0c…#94567",
     "type": "BitstringStatusListEntry",
     "statusPurpose": "revocation",
     "statusListIndex": "94567",
     "statusListCredential": "https://merkit.example.fi/status/5f0c…"}

The list itself is a ``BitstringStatusListCredential`` whose subject contains
``encodedList``: the bitstring GZIP-compressed and written in multibase
base64url without padding (prefix ``u``). Bit 0 is the most significant
bit of the first byte. A list has at least 131,072 entries (16 KiB), so one
revoked credential hides among many others; indexes are assigned at
random for the same reason.
"""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .dates import format_datetime
from .errors import OpenBadgesError

MIN_LIST_SIZE = 131_072
# A list larger than this is refused when decoding: 16 Mbit decompressed
# is far beyond any real list and bounds the memory a hostile list can use.
MAX_LIST_BITS = 16 * 1024 * 1024
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
PURPOSES = ("revocation", "suspension")


class StatusListError(OpenBadgesError):
    """A status list or entry that cannot be read."""

    code = "invalid_status_list"


def encode_bitstring(set_indexes: Iterable[int], *, size: int = MIN_LIST_SIZE) -> str:
    """Return ``encodedList`` for a list of ``size`` bits with the given bits set.

    The GZIP header's modification time is fixed at zero, so the same bits
    always give the same string.
    """
    if size < MIN_LIST_SIZE or size % 8:
        raise ValueError(f"A status list has at least {MIN_LIST_SIZE} bits, in whole bytes; got {size}.")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"Status index {index} is outside the list of {size} entries.")
        bits[index // 8] |= 0x80 >> (index % 8)

    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as compressed:
        compressed.write(bytes(bits))
    return "u" + base64.urlsafe_b64encode(buffer.getvalue()).decode("ascii").rstrip("=")


def decode_bitstring(encoded_list: str) -> bytes:
    """Return the raw bitstring of ``encodedList``; raise ``StatusListError`` when it is unreadable."""
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url text starting with 'u'.", value=str(encoded_list)[:40])
    body = encoded_list[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        raise StatusListError("encodedList is not valid base64url.", value=encoded_list[:40]) from None

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            bits = stream.read(MAX_LIST_BITS // 8 + 1)
    except (OSError, EOFError):
        raise StatusListError("encodedList is not GZIP-compressed.", value=encoded_list[:40]) from None
    if len(bits) > MAX_LIST_BITS // 8:
        raise StatusListError(f"The status list is larger than {MAX_LIST_BITS} bits.", value=len(bits))
    if len(bits) * 8 < MIN_LIST_SIZE:
        raise StatusListError(
            f"The status list has {len(bits) * 8} entries; the minimum is {MIN_LIST_SIZE}.", value=len(bits)
        )
    return bits


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"Status index {index} is outside the list of {len(bits) * 8} entries.", value=index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def build_entry(*, list_url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    """Return the ``credentialStatus`` entry that points at bit ``index`` of the list at ``list_url``."""
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown status purpose {purpose!r}; use one of {PURPOSES}.")
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def build_list_credential(
    *,
    list_url: str,
    issuer_id: str,
    purpose: str,
    set_indexes: Iterable[int],
    size: int,
    valid_from: datetime,
) -> dict[str, Any]:
    """Return the unsigned ``BitstringStatusListCredential`` for the given set bits."""
    return {
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_bitstring(set_indexes, size=size),
        },
    }


def parse_entry(entry: Any) -> tuple[str, int, str]:
    """Return (list URL, index, purpose) of a ``BitstringStatusListEntry``; raise ``StatusListError`` otherwise."""
    if not isinstance(entry, dict) or entry.get("type") != ENTRY_TYPE:
        raise StatusListError("The credentialStatus entry is not a BitstringStatusListEntry.", value=entry)
    list_url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose")
    raw_index = entry.get("statusListIndex")
    if not isinstance(list_url, str) or not list_url:
        raise StatusListError("The entry has no statusListCredential URL.", value=entry)
    if purpose not in PURPOSES:
        raise StatusListError(f"Unknown statusPurpose {purpose!r}.", value=purpose)
    if not isinstance(raw_index, str) or not raw_index.isdigit():
        raise StatusListError("statusListIndex must be a string of digits.", value=raw_index)
    return list_url, int(raw_index), purpose
