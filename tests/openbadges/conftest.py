"""Fixtures shared by the Open Badges core tests."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.openbadges.dataintegrity import sign
from badges.openbadges.multikey import did_key_for

from .samples import ISSUED_AT, OTHER_SEED, RFC8032_PUBLIC_KEY, RFC8032_SEED, build_sample_credential


@pytest.fixture
def private_key():
    return Ed25519PrivateKey.from_private_bytes(RFC8032_SEED)


@pytest.fixture
def other_private_key():
    return Ed25519PrivateKey.from_private_bytes(OTHER_SEED)


@pytest.fixture
def issuer_did():
    return did_key_for(RFC8032_PUBLIC_KEY)


@pytest.fixture
def verification_method(issuer_did):
    return issuer_did + "#" + issuer_did.removeprefix("did:key:")


@pytest.fixture
def unsigned_credential(issuer_did):
    return build_sample_credential(issuer_did)


@pytest.fixture
def signed_credential(unsigned_credential, private_key, verification_method):
    return sign(
        unsigned_credential,
        private_key=private_key,
        verification_method=verification_method,
        created=ISSUED_AT,
    )
