import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization

from issuers import keystore
from issuers.models import SigningKey


def test_private_key_round_trip():
    private_raw, public_raw = keystore.generate_ed25519()
    token = keystore.encrypt_private_key(private_raw)

    key = keystore.load_ed25519_private_key(token)
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    assert public == public_raw
    assert private_raw.hex() not in token
    assert keystore.decrypt_private_key(token) == private_raw


def test_wrong_encryption_key_fails(settings):
    private_raw, _public = keystore.generate_ed25519()
    token = keystore.encrypt_private_key(private_raw)
    settings.MERKKIPAJA_KEY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt_private_key(token)


def test_old_encryption_key_still_decrypts(settings):
    private_raw, _public = keystore.generate_ed25519()
    old_key = settings.MERKKIPAJA_KEY_ENCRYPTION_KEYS[0]
    token = keystore.encrypt_private_key(private_raw)
    settings.MERKKIPAJA_KEY_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    assert keystore.decrypt_private_key(token) == private_raw


def test_stored_key_is_encrypted(organisation):
    key = SigningKey.objects.get(organisation=organisation, algorithm="Ed25519")

    private_raw = keystore.decrypt_private_key(key.encrypted_private_key)

    assert len(private_raw) == 32
    assert private_raw.hex() not in key.encrypted_private_key
    assert key.public_key.startswith("z6Mk")
    assert key.key_id == "key-1"
