"""Fakes for the verifier of any badge: a fetcher that serves a dict, keys, images and an environment."""

from __future__ import annotations

import io
import json
import struct
import zlib
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from PIL import Image

from badges.openbadges import remote_keys
from badges.openbadges.environment import VerifierEnvironment
from badges.openbadges.keys import ResolvedKey
from badges.openbadges.remote import FetchedDocument, FetchRefusedError

from .samples import NOW

# One RSA key for every JWS test: generating keys is slow.
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(private_key) -> str:
    return private_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")


@dataclass
class FakeFetcher:
    """Serves ``documents`` (URL -> JSON value, bytes or (status, body)) and records every request."""

    documents: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def __call__(self, url, *, accept, max_bytes=None):
        self.requests.append(url)
        if url not in self.documents:
            if url.startswith("https://refused.example"):
                raise FetchRefusedError("refused for the test", url=url)
            return FetchedDocument(url, 404, "text/plain", b"not found")
        value = self.documents[url]
        status = 200
        if isinstance(value, tuple):
            status, value = value
        body = value if isinstance(value, bytes) else json.dumps(value).encode("utf-8")
        return FetchedDocument(url, status, "application/json", body)


def make_env(fetcher=None, *, now=NOW, email=None, resolve_key=None, resolve_jwk=None) -> VerifierEnvironment:
    """Return an environment whose resolvers use ``remote_keys`` with the fake fetcher."""
    fetcher = fetcher if fetcher is not None else FakeFetcher()

    def default_resolve_key(method: str, issuer_id: str | None) -> ResolvedKey:
        return remote_keys.resolve_verification_method(method, issuer_id=issuer_id, fetch=fetcher)

    def default_resolve_jwk(kid: str, issuer_id: str | None):
        return remote_keys.resolve_jwk(kid, issuer_id=issuer_id, fetch=fetcher)

    return VerifierEnvironment(
        now=now,
        fetch=fetcher,
        resolve_key=resolve_key or default_resolve_key,
        resolve_jwk=resolve_jwk or default_resolve_jwk,
        email=email,
    )


def png_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#0b4f8a").save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def png_with_chunks(*chunks: bytes) -> bytes:
    """Return a PNG with ``chunks`` inserted right after IHDR."""
    image = png_image()
    ihdr_end = 8 + 8 + 13 + 4
    return image[:ihdr_end] + b"".join(chunks) + image[ihdr_end:]


def itxt(keyword: str, text: str) -> bytes:
    return png_chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode("utf-8"))


SVG_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
