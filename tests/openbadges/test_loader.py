from pathlib import Path

import pytest

from badges.openbadges import loader
from badges.openbadges.errors import ContextNotBundledError

CONTEXT_DIR = Path(loader.__file__).parent / "contexts"


def test_every_mapped_file_exists():
    for url, filename in loader.CONTEXT_FILES.items():
        assert (CONTEXT_DIR / filename).is_file(), url


def test_every_bundled_file_is_mapped():
    bundled = {path.name for path in CONTEXT_DIR.iterdir() if path.suffix in (".json", ".jsonld")}
    assert bundled == set(loader.CONTEXT_FILES.values())


def test_every_context_has_context_object():
    for url in loader.CONTEXT_FILES:
        assert isinstance(loader.load_context(url)["@context"], dict), url


def test_required_urls_are_mapped():
    required = [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "https://w3id.org/openbadges/v2",
        "https://w3id.org/security/data-integrity/v2",
        "https://w3id.org/security/multikey/v1",
        "https://www.w3.org/ns/did/v1",
        "https://www.w3.org/ns/credentials/status/v1",
        "https://w3id.org/security/suites/ed25519-2020/v1",
    ]
    for url in required:
        assert url in loader.CONTEXT_FILES, url


def test_load_context_returns_private_copy():
    url = "https://www.w3.org/ns/credentials/v2"
    first = loader.load_context(url)
    first["@context"]["injected"] = "https://attacker.example/"

    assert "injected" not in loader.load_context(url)["@context"]


def test_document_loader_shape():
    url = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"

    remote = loader.document_loader(url, {"headers": {}})

    assert remote["contextUrl"] is None
    assert remote["documentUrl"] == url
    assert "1EdTechJsonSchemaValidator2019" in remote["document"]["@context"]


def test_unknown_url_raises_not_bundled():
    url = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"

    with pytest.raises(ContextNotBundledError) as caught:
        loader.document_loader(url)

    assert caught.value.url == url
    assert caught.value.code == "context_not_bundled"
    assert caught.value.params == {"url": url}


def test_trailing_slash_variant_not_bundled():
    with pytest.raises(ContextNotBundledError):
        loader.load_context("https://www.w3.org/ns/credentials/v2/")
