import copy

import pytest

from badges.openbadges.canonical import canonicalize, find_undefined_terms
from badges.openbadges.errors import CanonicalizationError, ContextNotBundledError, UndefinedTermError

from .samples import VECTOR_DIR, load_vector_json


@pytest.fixture
def credential():
    return load_vector_json("unsigned-credential.json")


def test_vector_document_canonical_form(credential):
    expected = (VECTOR_DIR / "document-canon.nq").read_text("utf-8")

    assert canonicalize(credential) == expected


def test_vector_has_no_undefined_terms(credential):
    assert find_undefined_terms(credential) == []


def test_made_up_key_is_undefined(credential):
    credential["foo"] = 1

    assert find_undefined_terms(credential) == ["foo"]


def test_made_up_type_is_undefined(credential):
    credential["type"].append("MadeUpCredential")

    assert find_undefined_terms(credential) == ["MadeUpCredential"]


def test_nested_undefined_key_is_found(credential):
    credential["credentialSubject"]["achievement"]["criteria"]["level"] = "expert"

    assert find_undefined_terms(credential) == ["level"]


def test_nested_made_up_type_is_found(credential):
    credential["credentialSubject"]["achievement"]["type"] = ["Achievement", "Merkki"]

    assert find_undefined_terms(credential) == ["Merkki"]


def test_relative_id_is_reported(credential):
    credential["credentialSubject"]["id"] = "learner-42"

    assert find_undefined_terms(credential) == ["learner-42"]


def test_keyword_like_key_is_reported(credential):
    credential["@comment"] = "not a JSON-LD keyword"

    assert find_undefined_terms(credential) == ["@comment"]


def test_several_problems_sorted(credential):
    credential["foo"] = 1
    credential["type"].append("MadeUpCredential")
    credential["issuer"]["motto"] = "Learning for life"

    assert find_undefined_terms(credential) == ["MadeUpCredential", "foo", "motto"]


def test_term_defined_by_inline_context(credential):
    credential["@context"] = credential["@context"] + [{"motto": "https://merkit.example/vocab#motto"}]
    credential["motto"] = "Learning for life"

    assert find_undefined_terms(credential) == []


def test_canonicalize_rejects_undefined_terms(credential):
    credential["foo"] = 1
    credential["type"].append("MadeUpCredential")

    with pytest.raises(UndefinedTermError) as caught:
        canonicalize(credential)

    assert caught.value.terms == ["MadeUpCredential", "foo"]
    assert caught.value.params == {"terms": ["MadeUpCredential", "foo"]}


def test_unbundled_context_raises(credential):
    credential["@context"].append("https://contexts.example/badge-extras.json")

    with pytest.raises(ContextNotBundledError) as caught:
        canonicalize(credential)

    assert caught.value.url == "https://contexts.example/badge-extras.json"


def test_unbundled_nested_context_raises(credential):
    credential["credentialSubject"]["@context"] = "https://contexts.example/subject.json"

    with pytest.raises(ContextNotBundledError):
        find_undefined_terms(credential)


def test_unbundled_import_raises(credential):
    credential["@context"].append({"@import": "https://contexts.example/imported.json"})

    with pytest.raises(ContextNotBundledError):
        find_undefined_terms(credential)


def test_invalid_json_ld_raises(credential):
    credential["type"] = [{"not": "a string"}]

    with pytest.raises(CanonicalizationError) as caught:
        canonicalize(credential)

    assert caught.value.code == "canonicalization_failed"
    assert "@type" in str(caught.value)


def test_non_object_document_raises():
    for document in (["https://www.w3.org/ns/credentials/v2"], "https://www.w3.org/ns/credentials/v2", None):
        with pytest.raises(CanonicalizationError):
            canonicalize(document)


def test_canonicalize_leaves_input_unchanged(credential):
    original = copy.deepcopy(credential)

    canonicalize(credential)

    assert credential == original


def _blank_node_clique(size: int) -> dict:
    """A graph of ``size`` blank nodes that all know each other: alike under RDFC-1.0."""
    knows = "http://schema.org/knows"
    return {
        "@graph": [
            {"@id": f"_:b{i}", knows: [{"@id": f"_:b{j}"} for j in range(size) if j != i]}
            for i in range(size)
        ]
    }


def test_small_graph_of_alike_blank_nodes_is_canonicalised():
    nquads = canonicalize(_blank_node_clique(3))

    assert nquads.count("_:c14n") == 12
    assert "_:b0" not in nquads


def test_poison_graph_rejected():
    with pytest.raises(CanonicalizationError) as raised:
        canonicalize(_blank_node_clique(9))

    assert raised.value.value == "too_complex"
