"""Private signing keys: generation and encryption at rest.

Private keys are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256)
under the key-encryption keys in ``MERKKIPAJA_KEY_ENCRYPTION_KEYS``. The
first key encrypts and every listed key decrypts (``MultiFernet``), so the
key-encryption key can be rotated without touching the signing keys.
Decryption happens only in the signing path, never for display.
"""
from cryptography.fernet import InvalidToken, MultiFernet, Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings


class KeyDecryptionError(Exception):
    """The stored private key cannot be decrypted with any configured key."""


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.MERKKIPAJA_KEY_ENCRYPTION_KEYS])


def encrypt_private_key(raw: bytes) -> str:
    return _fernet().encrypt(raw).decode("ascii")


def decrypt_private_key(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as error:
        raise KeyDecryptionError(
            "The signing key cannot be decrypted: MERKKIPAJA_KEY_ENCRYPTION_KEYS does not "
            "contain the key it was encrypted with."
        ) from error


def generate_ed25519() -> tuple[bytes, bytes]:
    """Return a new Ed25519 key pair as (raw private seed, raw public key)."""
    private_key = Ed25519PrivateKey.generate()
    private_raw = private_key.private_bytes(
        encoding=serialization.Encoding.Raw,
        format=serialization.PrivateFormat.Raw,
        encryption_algorithm=serialization.NoEncryption(),
    )
    public_raw = private_key.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return private_raw, public_raw


# 2048-bit RSA is the size the Open Badges validators and most JOSE
# libraries expect, and NIST SP 800-57 accepts it until 2030.
RSA_KEY_BITS = 2048


def generate_rsa() -> tuple[bytes, str]:
    """Return a new RSA key pair as (PKCS#8 DER private key, SubjectPublicKeyInfo PEM)."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    private_der = private_key.private_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    public_pem = private_key.public_key().public_bytes(
        encoding=serialization.Encoding.PEM, format=serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    return private_der, public_pem


def load_rsa_private_key(token: str) -> rsa.RSAPrivateKey:
    key = serialization.load_der_private_key(decrypt_private_key(token), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyDecryptionError("The stored key is not an RSA key.")
    return key


def load_ed25519_private_key(token: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(decrypt_private_key(token))


def encrypt_text(text: str) -> str:
    """Encrypt a short secret other than a signing key, such as a claim code, under the same keys."""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise KeyDecryptionError(
            "The secret cannot be decrypted: MERKKIPAJA_KEY_ENCRYPTION_KEYS does not "
            "contain the key it was encrypted with."
        ) from error
