"""Trust chains: collected through the authority hints and validated link by link; every bad
statement refused with its reason."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from credstack.core.crypto.keys import KeyType
from credstack.core.federation import chains, statements, trust_marks
from credstack.errors import TrustChainError
from credstack.testing.federation import MemoryFederation

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
ANCHOR = "https://registry.example"
MIDDLE = "https://university.example"
LEAF = "https://university.example/faculties/engineering"


@pytest.fixture
def federation() -> MemoryFederation:
    """Anchor → intermediate → leaf, each with a key of its own (the leaf's Ed25519)."""
    memory = MemoryFederation(NOW)
    memory.add(ANCHOR, metadata={"federation_entity": {"organization_name": "Registry"}})
    memory.add(
        MIDDLE,
        authority_hints=[ANCHOR],
        metadata={"federation_entity": {"organization_name": "University"}},
    )
    memory.add(
        LEAF,
        authority_hints=[MIDDLE],
        key_type=KeyType.ED25519,
        metadata={
            "federation_entity": {"organization_name": "Engineering"},
            "micro_credential_provider": {"credential_types": ["A", "B", "C"]},
        },
    )
    memory.state(ANCHOR, MIDDLE)
    memory.state(MIDDLE, LEAF)
    return memory


def _validate(
    federation: MemoryFederation, tokens: list[str], **kwargs: object
) -> chains.ValidatedChain:
    return chains.validate(
        tokens, anchor=ANCHOR, anchor_jwks=federation.jwks(ANCHOR), now=NOW, **kwargs
    )  # type: ignore[arg-type]


def _refused(
    federation: MemoryFederation, tokens: list[str], reason: str, **kwargs: object
) -> TrustChainError:
    with pytest.raises(TrustChainError) as refused:
        _validate(federation, tokens, **kwargs)
    assert refused.value.reason == reason, refused.value.message
    return refused.value


def _tampered(token: str, change: dict[str, object]) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(change)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def test_a_chain_of_depth_three_is_collected_and_validated(federation: MemoryFederation) -> None:
    """Leaf, intermediate's statement, anchor's statement, anchor: four statements that hold."""
    tokens = chains.collect(LEAF, anchors=[ANCHOR], source=federation, now=NOW)
    assert len(tokens) == 4
    chain = _validate(federation, tokens)
    assert chain.subject == LEAF
    assert chain.metadata["federation_entity"]["organization_name"] == "Engineering"
    assert chain.expires == NOW + dt.timedelta(days=1)


def test_a_superiors_metadata_overrides_the_subjects(federation: MemoryFederation) -> None:
    """What the immediate superior states about the subject wins over the subject's own."""
    federation.state(
        MIDDLE,
        LEAF,
        metadata={"federation_entity": {"organization_name": "Faculty of Engineering"}},
    )
    chain = _validate(federation, federation.chain(LEAF, MIDDLE, ANCHOR))
    assert chain.metadata["federation_entity"]["organization_name"] == "Faculty of Engineering"


def test_policies_of_two_superiors_merge_and_apply(federation: MemoryFederation) -> None:
    """The anchor's subset_of and the intermediate's default merge, then apply."""
    kind = "micro_credential_provider"
    federation.state(
        ANCHOR, MIDDLE, metadata_policy={kind: {"credential_types": {"subset_of": ["A", "B"]}}}
    )
    federation.state(
        MIDDLE,
        LEAF,
        metadata_policy={
            kind: {"credential_types": {"subset_of": ["B", "C"]}, "level": {"default": "6"}}
        },
    )
    chain = _validate(federation, federation.chain(LEAF, MIDDLE, ANCHOR))
    assert chain.metadata[kind] == {"credential_types": ["B"], "level": "6"}


def test_conflicting_metadata_policies_are_refused(federation: MemoryFederation) -> None:
    """Two superiors giving a parameter different values: the chain is invalid."""
    kind = "micro_credential_provider"
    federation.state(ANCHOR, MIDDLE, metadata_policy={kind: {"level": {"value": "6"}}})
    federation.state(MIDDLE, LEAF, metadata_policy={kind: {"level": {"value": "7"}}})
    error = _refused(federation, federation.chain(LEAF, MIDDLE, ANCHOR), "policy-conflict")
    assert "level" in error.message


def test_disjoint_one_of_policies_are_refused(federation: MemoryFederation) -> None:
    """one_of lists with nothing in common cannot merge."""
    kind = "federation_entity"
    federation.state(ANCHOR, MIDDLE, metadata_policy={kind: {"country": {"one_of": ["JP"]}}})
    federation.state(MIDDLE, LEAF, metadata_policy={kind: {"country": {"one_of": ["MY"]}}})
    _refused(federation, federation.chain(LEAF, MIDDLE, ANCHOR), "policy-conflict")


def test_metadata_the_policy_refuses_break_the_chain(federation: MemoryFederation) -> None:
    """An essential parameter the subject lacks: policy violated."""
    federation.state(
        MIDDLE, LEAF, metadata_policy={"federation_entity": {"contacts": {"essential": True}}}
    )
    _refused(federation, federation.chain(LEAF, MIDDLE, ANCHOR), "policy-violated")


def test_a_statement_with_a_bad_signature_is_refused(federation: MemoryFederation) -> None:
    """The intermediate's statement about the leaf, its metadata changed after signing."""
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    tokens[1] = _tampered(
        tokens[1], {"metadata": {"federation_entity": {"organization_name": "Forged"}}}
    )
    error = _refused(federation, tokens, "bad-signature")
    assert MIDDLE in error.message and LEAF in error.message


def test_a_statement_signed_by_a_stranger_is_refused(federation: MemoryFederation) -> None:
    """Signed with a key the issuer's superior does not state: unknown key."""
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    federation.add("https://stranger.example")
    tokens[1] = federation.sign(
        "https://stranger.example", federation.subordinate_claims(MIDDLE, LEAF)
    )
    _refused(federation, tokens, "unknown-key")


def test_an_expired_statement_is_refused(federation: MemoryFederation) -> None:
    """A statement whose exp has passed."""
    claims = federation.subordinate_claims(MIDDLE, LEAF) | federation.times(
        issued=NOW - dt.timedelta(days=3), lifetime=dt.timedelta(days=1)
    )
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    tokens[1] = federation.sign(MIDDLE, claims)
    _refused(federation, tokens, "expired")


def test_a_statement_not_yet_valid_is_refused(federation: MemoryFederation) -> None:
    """A statement issued an hour from now."""
    claims = federation.subordinate_claims(ANCHOR, MIDDLE) | federation.times(
        issued=NOW + dt.timedelta(hours=1)
    )
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    tokens[2] = federation.sign(ANCHOR, claims)
    _refused(federation, tokens, "not-yet-valid")


def test_a_loop_in_the_authority_hints_is_refused(federation: MemoryFederation) -> None:
    """Two entities naming each other as superior, neither reaching the anchor."""
    federation.add("https://a.example", authority_hints=["https://b.example"])
    federation.add("https://b.example", authority_hints=["https://a.example"])
    with pytest.raises(TrustChainError) as refused:
        chains.collect("https://a.example", anchors=[ANCHOR], source=federation, now=NOW)
    assert refused.value.reason == "authority-loop"


def test_a_loop_beside_a_good_path_is_skipped(federation: MemoryFederation) -> None:
    """A hint leading back is not followed; the other hint still reaches the anchor."""
    federation.configurations[MIDDLE]["authority_hints"] = [LEAF, ANCHOR]
    tokens = chains.collect(LEAF, anchors=[ANCHOR], source=federation, now=NOW)
    assert _validate(federation, tokens).subject == LEAF


def test_a_chain_ending_elsewhere_is_refused(federation: MemoryFederation) -> None:
    """A chain that stops at the intermediate is not a chain to the anchor."""
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    _refused(federation, [tokens[0], tokens[1], federation.configuration(MIDDLE)], "wrong-anchor")


def test_a_chain_out_of_order_is_refused(federation: MemoryFederation) -> None:
    """The anchor's statement placed before the intermediate's."""
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    _refused(federation, [tokens[0], tokens[2], tokens[1], tokens[3]], "broken-chain")


def test_a_statement_of_another_type_is_refused(federation: MemoryFederation) -> None:
    """A trust mark's type is never read as an entity statement."""
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    tokens[1] = federation.sign(
        MIDDLE, federation.subordinate_claims(MIDDLE, LEAF), typ=statements.TRUST_MARK
    )
    _refused(federation, tokens, "wrong-type")


def test_the_anchors_configured_keys_decide(federation: MemoryFederation) -> None:
    """An anchor configuration signed by a key the verifier was not given: refused."""
    federation.add("https://other-anchor.example")
    with pytest.raises(TrustChainError) as refused:
        chains.validate(
            federation.chain(LEAF, MIDDLE, ANCHOR),
            anchor=ANCHOR,
            anchor_jwks=federation.jwks("https://other-anchor.example"),
            now=NOW,
        )
    assert refused.value.reason == "unknown-key"


def test_a_path_length_constraint_is_enforced(federation: MemoryFederation) -> None:
    """The anchor allows no intermediate below it: the leaf's chain breaks it."""
    federation.state(ANCHOR, MIDDLE, constraints={"max_path_length": 0})
    _refused(federation, federation.chain(LEAF, MIDDLE, ANCHOR), "constraint")


def _mark(
    federation: MemoryFederation, subject: str, *, expires: dt.datetime | None = None
) -> dict[str, str]:
    mark_type = trust_marks.provider_mark_type(ANCHOR)
    claims = trust_marks.TrustMarkClaims(
        ANCHOR, subject, mark_type, NOW - dt.timedelta(days=1), expires
    ).to_claims()
    token = federation.sign(ANCHOR, claims, typ=statements.TRUST_MARK)
    return trust_marks.mark_entry(token, mark_type)


def _with_marks(federation: MemoryFederation, marks: list[dict[str, str]]) -> list[str]:
    federation.configurations[LEAF]["trust_marks"] = marks
    return federation.chain(LEAF, MIDDLE, ANCHOR)


def test_a_trust_mark_of_the_anchor_is_accepted(federation: MemoryFederation) -> None:
    """Issued by the anchor to the subject, current: counted."""
    chain = _validate(federation, _with_marks(federation, [_mark(federation, LEAF)]))
    assert [mark.sub for mark in chain.trust_marks] == [LEAF]
    assert chain.refused_marks == ()


def test_a_trust_mark_for_another_subject_is_refused(federation: MemoryFederation) -> None:
    """A mark issued to the intermediate, shown by the leaf: refused, not counted."""
    chain = _validate(federation, _with_marks(federation, [_mark(federation, MIDDLE)]))
    assert chain.trust_marks == ()
    assert [error.reason for _, error in chain.refused_marks] == ["trust-mark-subject"]


def test_an_expired_trust_mark_is_refused(federation: MemoryFederation) -> None:
    """A mark whose recognition ended yesterday."""
    marks = [_mark(federation, LEAF, expires=NOW - dt.timedelta(days=1))]
    chain = _validate(federation, _with_marks(federation, marks))
    assert [error.reason for _, error in chain.refused_marks] == ["expired"]


def test_a_withdrawn_trust_mark_is_refused(federation: MemoryFederation) -> None:
    """The issuer says the mark was revoked: refused as withdrawn."""
    chain = _validate(
        federation,
        _with_marks(federation, [_mark(federation, LEAF)]),
        mark_status=lambda mark: "revoked",
    )
    assert chain.trust_marks == ()
    assert [error.reason for _, error in chain.refused_marks] == ["trust-mark-withdrawn"]


def test_a_trust_mark_with_a_bad_signature_is_refused(federation: MemoryFederation) -> None:
    """A mark whose subject was rewritten after signing."""
    entry = _mark(federation, MIDDLE)
    entry["trust_mark"] = _tampered(entry["trust_mark"], {"sub": LEAF})
    chain = _validate(federation, _with_marks(federation, [entry]))
    assert [error.reason for _, error in chain.refused_marks] == ["bad-signature"]


def test_a_trust_mark_from_an_untrusted_issuer_is_refused(federation: MemoryFederation) -> None:
    """The intermediate issuing the anchor's mark type, which the anchor did not allow it."""
    mark_type = trust_marks.provider_mark_type(ANCHOR)
    federation.configurations[ANCHOR]["trust_mark_issuers"] = {mark_type: [ANCHOR]}
    claims = trust_marks.TrustMarkClaims(MIDDLE, LEAF, mark_type, NOW, None).to_claims()
    entry = trust_marks.mark_entry(
        federation.sign(MIDDLE, claims, typ=statements.TRUST_MARK), mark_type
    )
    chain = _validate(federation, _with_marks(federation, [entry]))
    assert [error.reason for _, error in chain.refused_marks] == ["trust-mark-issuer"]


def test_cached_signatures_are_remembered_and_forgeries_still_refused(
        federation: MemoryFederation) -> None:
    """Each signature is remembered once (by token and key), a second validation adds
    none; a tampered copy is a new token, checked and refused."""
    verified = statements.VerifiedSignatures()
    tokens = chains.collect(LEAF, anchors=[ANCHOR], source=federation, now=NOW,
                            verified=verified)
    _validate(federation, tokens, verified=verified)
    # The three configurations under their own keys, the two statements under their
    # issuers', the anchor's under the configured keys (the same key: one entry).
    assert len(verified) == 5
    _validate(federation, tokens, verified=verified)
    assert len(verified) == 5
    forged = [tokens[0], _tampered(tokens[1], {"metadata": {}}), *tokens[2:]]
    _refused(federation, forged, "bad-signature", verified=verified)
    assert len(verified) == 5


def test_a_cached_signature_counts_only_for_its_key(federation: MemoryFederation) -> None:
    """The anchor's configuration verified under its key does not pass under another key
    published with the same kid."""
    verified = statements.VerifiedSignatures()
    tokens = federation.chain(LEAF, MIDDLE, ANCHOR)
    _validate(federation, tokens, verified=verified)
    impostor = federation.jwks(MIDDLE)
    impostor["keys"][0]["kid"] = federation.jwks(ANCHOR)["keys"][0]["kid"]
    with pytest.raises(TrustChainError) as refused:
        chains.validate(tokens, anchor=ANCHOR, anchor_jwks=impostor, now=NOW,
                        verified=verified)
    assert refused.value.reason == "bad-signature"


def test_a_status_answer_signed_with_an_unknown_key_is_refused_by_its_issuer() -> None:
    """A trust mark status answer has no subject: its refusal names its issuer (it was a
    KeyError that escaped the import's "invalid" standing)."""
    memory = MemoryFederation(NOW)
    memory.add("https://anchor.example")
    memory.add("https://impostor.example")
    token = memory.sign("https://impostor.example", {
        "iss": "https://anchor.example", "iat": int(NOW.timestamp()), "status": "active",
        "trust_mark": "x.y.z"}, typ=statements.TRUST_MARK_STATUS)
    answer = statements.read(token, typ=statements.TRUST_MARK_STATUS)
    with pytest.raises(TrustChainError) as refused:
        statements.verify(answer, memory.jwks("https://anchor.example"))
    assert refused.value.reason == "unknown-key"
    assert "https://anchor.example" in refused.value.message
