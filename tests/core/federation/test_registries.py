"""The trust check's rules: what trusted registries say of an issuer, in three states.

The DCC's test fixtures are named after the registries their issuers are in; their outcomes
are reproduced from the registries' published contents — the DCC sandbox registry (read
from ``../shared/ref/wild/registries/``) and an OpenID Federation anchor in memory that
states what the DCC's OIDF test registry lists (the DIDs its README names).
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from credstack.core.crypto.keys import KeyType
from credstack.core.federation import chains, registries, statements, trust_marks
from credstack.core.said import Said
from credstack.errors import TrustChainError
from credstack.testing.federation import MemoryFederation
from credstack.words import words
from tests.conftest import SHARED_REF

WILD = SHARED_REF / "wild"
FIXTURES = WILD / "dcc-vc-test-fixtures"
SANDBOX = WILD / "registries" / "dcc-sandbox-registry.json"
NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
DCC_ANCHOR = "https://test.registry.dcconsortium.org"
OIDF = "DCC OIDF Test Registry"

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/ref/wild is absent")


def _registered() -> dict[str, set[str]]:
    """DID → the registries the fixtures' README says it is registered in."""
    text = (FIXTURES / "UPSTREAM-README.md").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for section in text.split("\n### ")[1:]:
        did = re.search(r"^- did: (\S+)", section, re.MULTILINE)
        if did:
            found[did.group(1)] = set(re.findall(r"^- \[([^\]]+)\]", section, re.MULTILINE))
    return found


def _issuer(path: str) -> str | None:
    """The fixture's issuer DID; None for one that is no JSON credential (a baked SVG, a
    deliberately broken file)."""
    try:
        credential = json.loads((FIXTURES / path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    issuer = credential["issuer"]
    return str(issuer["id"] if isinstance(issuer, dict) else issuer)


class DccAnchor:
    """The DCC's OIDF registry as its README describes it, answering ``?sub=<did>``."""

    def __init__(self, dids: set[str]) -> None:
        self.memory = MemoryFederation(NOW)
        self.memory.add(DCC_ANCHOR)
        self.dids = dids

    def fetch(self, did: str) -> str | None:
        if did not in self.dids:
            return None  # the DCC's fetch endpoint answers 404
        claims = {
            "iss": DCC_ANCHOR,
            "sub": did,
            **self.memory.times(),
            "jwks": self.memory.jwks(DCC_ANCHOR),
            "metadata": {"federation_entity": {"organization_name": f"Issuer {did[-6:]}"}},
        }
        return self.memory.sign(DCC_ANCHOR, claims)


def _verdict(
    did: str, legacy: dict[str, registries.Listing], anchor: DccAnchor
) -> registries.TrustVerdict:
    listings = []
    token = anchor.fetch(did)
    if token is not None:
        listings.append(
            registries.listing_from_statement(
                token,
                did=did,
                anchor=DCC_ANCHOR,
                anchor_jwks=anchor.memory.jwks(DCC_ANCHOR),
                now=NOW,
                registry=OIDF,
            )
        )
    if did in legacy:
        listings.append(legacy[did])
    return registries.judge(achievement=None, listings=listings)


#: What each fixture's name says of its issuer's registries.
EXPECTED = {
    "legacy": {"DCC Sandbox Registry"},
    "legacyRegistry": {"DCC Sandbox Registry"},
    "oidf": {OIDF},
    "mixedRegistry": {OIDF, "DCC Sandbox Registry"},
    "fourRegistry": {OIDF, "DCC Sandbox Registry"},
    "noRegistry": set(),
    "noRegsitry": set(),
}


#: Fixtures whose names and signers disagree upstream, with what the published registries
#: say of their signers: four "legacyRegistry" credentials are signed by the did:key the
#: README lists in the OIDF test registry only, and one "legacy" credential by a did:key the
#: sandbox registry does not list (it may be in the community registry, not copied here).
DISAGREEING = {
    "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus- noExpiry-credSubjName.json": {OIDF},
    "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json": {OIDF},
    "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credSubjName.json": {OIDF},
    "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json": {OIDF},
    "v2/ed25519/didKey/legacy-noStatus-noExpiry-lcwExperience.json": set(),
}


def test_the_dcc_fixtures_registry_outcomes_are_reproduced() -> None:
    """Every fixture whose name says a registry is listed in exactly those (of the two
    published here); a noRegistry fixture in none; the five that disagree with their
    names, as their signers are registered."""
    legacy = registries.read_legacy_registry(
        json.loads(SANDBOX.read_text(encoding="utf-8")), registry="DCC Sandbox Registry"
    )
    oidf = {did for did, names in _registered().items() if OIDF in names}
    anchor = DccAnchor(oidf)
    with (FIXTURES / "expected.tsv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    checked = 0
    for row in rows:
        kind = Path(row["path"]).name.split("-", 1)[0]
        issuer = _issuer(row["path"])
        if kind not in EXPECTED or issuer is None:
            continue
        verdict = _verdict(issuer, legacy, anchor)
        wanted = DISAGREEING.get(row["path"].removeprefix("verifiableCredentials/"), EXPECTED[kind])
        assert {listing.registry for listing in verdict.listings} == wanted, row["path"]
        assert verdict.state == ("listed" if wanted else "not-listed")
        checked += 1
    assert checked >= 80


def test_a_garbage_registry_is_refused() -> None:
    """Not an object of DIDs: refused with its reason, nothing listed."""
    for garbage in (
        [],
        {"registry": []},
        {"registry": {"not-a-did": {"name": "x"}}},
        {"registry": {"did:key:z6Mk": "a name"}},
        {"registry": {"did:key:z6Mk": {"name": 42}}},
    ):
        with pytest.raises(TrustChainError) as refused:
            registries.read_legacy_registry(garbage, registry="garbage")
        assert refused.value.reason == "registry-garbage"


def test_an_unreachable_registry_makes_the_verdict_unknown() -> None:
    """Listed nowhere but one registry could not be checked: unknown, never trusted."""
    verdict = registries.judge(
        achievement=None, listings=[], unchecked=[("DCC Sandbox Registry", "timed out")]
    )
    assert verdict.state == "unknown"
    assert words(verdict.said("ja"), "ja") == "登録簿を確認できませんでした"
    assert registries.judge(achievement=None, listings=[]).state == "not-listed"


def _dcc_statement(anchor: DccAnchor, did: str, **change: Any) -> str:
    token = anchor.fetch(did)
    assert token is not None
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(change)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def test_a_registry_answer_about_another_did_or_forged_is_refused() -> None:
    """The anchor's answer must be about the DID asked, and signed by the anchor's key."""
    did = "did:key:z6MkjoriXdbyWD25YXTed114F8hdJrLXQ567xxPHAUKxpKkS"
    anchor = DccAnchor({did, "did:key:z6MkOther"})
    jwks = anchor.memory.jwks(DCC_ANCHOR)
    other = anchor.fetch("did:key:z6MkOther")
    assert other is not None
    with pytest.raises(TrustChainError) as wrong:
        registries.listing_from_statement(
            other, did=did, anchor=DCC_ANCHOR, anchor_jwks=jwks, now=NOW, registry=OIDF
        )
    assert wrong.value.reason == "wrong-subject"
    with pytest.raises(TrustChainError) as forged:
        registries.listing_from_statement(
            _dcc_statement(
                anchor, did, metadata={"federation_entity": {"organization_name": "Forged"}}
            ),
            did=did,
            anchor=DCC_ANCHOR,
            anchor_jwks=jwks,
            now=NOW,
            registry=OIDF,
        )
    assert forged.value.reason == "bad-signature"


def test_a_recognised_provider_covers_its_programmes() -> None:
    """A provider's chain with a trust mark: recognised, and the programme covered or not."""
    anchor, leaf = "https://registry.example", "https://registry.example/organisations/x"
    memory = MemoryFederation(NOW)
    memory.add(anchor)
    achievement = "https://registry.example/achievements/1/v1"
    memory.add(
        leaf,
        authority_hints=[anchor],
        key_type=KeyType.ED25519,
        metadata={
            "federation_entity": {
                "organization_name": "X University",
                "organization_name#ja": "X 大学",
            },
            "micro_credential_provider": {"programmes": [{"achievement": achievement}]},
        },
    )
    memory.state(anchor, leaf)

    mark_type = trust_marks.provider_mark_type(anchor)
    claims = trust_marks.TrustMarkClaims(anchor, leaf, mark_type, NOW, None).to_claims()
    memory.configurations[leaf]["trust_marks"] = [
        trust_marks.mark_entry(memory.sign(anchor, claims, typ=statements.TRUST_MARK), mark_type)
    ]
    chain = chains.validate(
        memory.chain(leaf, anchor), anchor=anchor, anchor_jwks=memory.jwks(anchor), now=NOW
    )
    listing = registries.listing_from_chain(chain, registry="JMICRO 登録簿")
    covered = registries.judge(achievement=achievement, listings=[listing])
    assert covered.covers_programme is True
    assert words(covered.said("ja"), "ja") == "認定された提供機関：X 大学（JMICRO 登録簿）"
    assert words(covered.said("en"), "en") == "Recognised provider: X University (JMICRO 登録簿)"
    # A reader of another language reads the line in theirs, the issuer named as written in
    # it, else in English (not in Japanese).
    assert covered.said("ko") == Said("trust.line.recognised", issuer="X University",
                                      registries=("JMICRO 登録簿",))
    assert words(covered.said("ko"), "ko") == "인정 제공기관: X University (JMICRO 登録簿)"
    named = dataclasses.replace(listing, registry_names={"en": "JMICRO", "th": "ทะเบียน JMICRO"})
    assert registries.judge(achievement=achievement, listings=[named]).said("th") == Said(
        "trust.line.recognised", issuer="X University", registries=("ทะเบียน JMICRO",))
    other = registries.judge(achievement=f"{anchor}/achievements/2/v1", listings=[listing])
    assert other.covers_programme is False
