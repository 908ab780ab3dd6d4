"""Shapes: which strings of a JSON-LD document only fill their own place."""

from __future__ import annotations

from typing import Any

import pytest

from credstack.core.crypto import compiled_shapes, shapes

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://example.org/context"]


def _credential(learner: str, name: str, kind: str = "AchievementSubject") -> dict[str, Any]:
    return {"@context": CONTEXTS, "type": ["VerifiableCredential"],
            "credentialSubject": {"id": learner, "type": [kind], "name": name,
                                  "credits": 2.0}}


def test_learners_of_one_programme_share_a_skeleton() -> None:
    """Other ids and names leave the key alike; the strings come out in document order."""
    first, first_leaves = shapes.skeleton(_credential("did:example:1", "Hanako"))
    second, second_leaves = shapes.skeleton(_credential("did:example:2", "Taro"))
    assert first == second
    assert first_leaves == ["did:example:1", "Hanako", shapes.Scalar("float", "2.0", 2.0)]
    assert second_leaves == ["did:example:2", "Taro", shapes.Scalar("float", "2.0", 2.0)]


def test_numbers_of_one_kind_share_a_skeleton() -> None:
    """Another graduate's credits (a float for a float) leave the key alike; the value comes
    out as a hole, compared by kind and text (0.0 and -0.0 apart)."""
    document = _credential("did:example:1", "Hanako")
    other = _credential("did:example:1", "Hanako")
    other["credentialSubject"]["credits"] = -0.0
    key, leaves = shapes.skeleton(document)
    other_key, other_leaves = shapes.skeleton(other)
    assert key == other_key
    assert other_leaves[-1] == shapes.Scalar("float", "-0.0", -0.0)
    assert other_leaves[-1] != shapes.Scalar("float", "0.0", 0.0)
    assert leaves[-1] != other_leaves[-1]


def test_number_sentinels_replace_numbers_and_booleans() -> None:
    """Each number or boolean candidate becomes its own negative subnormal; numbers under a
    structural key (a context's @version) stay."""
    document = {"@context": {"@version": 1.1}, "n": 3, "b": True, "f": 2.5}
    replaced = shapes.with_sentinels(document, frozenset({2}))
    assert replaced == {"@context": {"@version": 1.1}, "n": shapes.number_sentinel(0),
                        "b": shapes.number_sentinel(1), "f": 2.5}
    assert len({shapes.number_sentinel(index) for index in range(1000)}) == 1000
    assert all(-1e-300 < shapes.number_sentinel(index) < 0 for index in range(1000))


@pytest.mark.parametrize("change", [
    lambda d: d["credentialSubject"].update(type=["Profile"]),
    lambda d: d.update({"@context": [*CONTEXTS, "https://example.org/other"]}),
    lambda d: d["credentialSubject"].update(credits=2),
    lambda d: d["credentialSubject"].update(credits=True),
    lambda d: d["credentialSubject"].update(extra="x"),
    lambda d: d["credentialSubject"].update(name=["Hanako"]),
])
def test_what_shapes_the_expansion_is_in_the_key(change: Any) -> None:
    """Types, contexts, numbers (2.0, 2 and true apart), keys and nesting make other keys."""
    document = _credential("did:example:1", "Hanako")
    changed = _credential("did:example:1", "Hanako")
    change(changed)
    assert shapes.skeleton(document)[0] != shapes.skeleton(changed)[0]


def test_what_is_not_json_has_no_skeleton() -> None:
    """A tuple or a set is not a JSON value: no shape (the caller expands, PyLD decides)."""
    with pytest.raises(shapes.NotJsonError):
        shapes.skeleton({"name": ("a", "b")})


def test_sentinels_replace_all_but_the_kept_strings() -> None:
    """Each candidate string becomes its own sentinel unless kept; structure stays."""
    document = _credential("did:example:1", "Hanako")
    replaced = shapes.with_sentinels(document, frozenset({1}))
    assert replaced["credentialSubject"]["id"] == shapes.sentinel(0)
    assert replaced["credentialSubject"]["name"] == "Hanako"
    assert replaced["@context"] == CONTEXTS and replaced["type"] == ["VerifiableCredential"]
    assert ":" not in shapes.sentinel(0)


def test_holes_are_found_where_expansion_put_the_sentinels() -> None:
    """A sentinel as a @value is a value hole (with its language), as an @id an id hole;
    twice, in a type or inside a JSON literal, it shapes the document."""
    s = shapes.sentinel
    expanded = [{"@id": s(0), "@type": [s(1)],
                 "https://example.org/name": [{"@value": s(2), "@language": "ja"}],
                 "https://example.org/again": [{"@value": s(3)}, {"@id": s(3)}],
                 "https://example.org/data": [{"@value": {"k": s(4)}, "@type": "@json"}]}]
    holes = shapes.find_holes(expanded, frozenset(range(6)))
    assert holes.ids == {0}
    assert holes.values == {2: {"@language": "ja"}}
    assert holes.shaping == {1, 3, 4, 5}


def test_number_holes_are_found_where_expansion_put_their_sentinels() -> None:
    """A number sentinel as a @value is a value hole (with its datatype); inside a JSON
    literal, or twice, it shapes the document."""
    n = shapes.number_sentinel
    xsd_float = "http://www.w3.org/2001/XMLSchema#float"
    expanded = [{"@id": "https://learners.example/1",
                 "https://example.org/credits": [{"@value": n(0), "@type": xsd_float}],
                 "https://example.org/data": [{"@value": {"k": n(1)}, "@type": "@json"}],
                 "https://example.org/again": [{"@value": n(2)}, {"@value": n(2)}],
                 "https://example.org/listed": [{"@list": [{"@value": n(3)}]}]}]
    holes = shapes.find_holes(expanded, frozenset(range(4)))
    assert holes.values == {0: {"@type": xsd_float}, 3: {}}
    assert holes.shaping == {1, 2}


def test_context_terms_follow_every_context_the_document_uses() -> None:
    """Names defined in loaded, imported and scoped contexts all count."""
    contexts = {
        "https://example.org/a": {"@context": {"ex": "https://example.org/",
                                               "Thing": {"@id": "ex:Thing", "@context":
                                                         "https://example.org/b"}}},
        "https://example.org/b": {"@context": {"@import": "https://example.org/c",
                                               "scoped": "ex:scoped"}},
        "https://example.org/c": {"@context": {"imported": "ex:imported"}},
    }
    document = {"@context": ["https://example.org/a", {"inline": "ex:inline"}],
                "nested": {"@context": {"deep": "ex:deep"}}}
    terms = shapes.context_terms(document, lambda url: contexts[url])
    assert {"ex", "Thing", "scoped", "imported", "inline", "deep"} <= terms


def test_the_compiled_shapes_are_bounded() -> None:
    """However many skeletons pass, at most 256 are remembered."""
    def never(*_: Any) -> Any:
        raise AssertionError("a skeleton met once is not compiled")
    compiled = compiled_shapes.CompiledShapes(expand=never, reference=never, load=never)
    for index in range(300):
        assert compiled.canonicalize({f"term{index}": "value"}, "sha256") is None
    assert len(compiled) == 256
