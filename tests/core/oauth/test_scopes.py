"""The scopes a learner may grant an application, and their words."""

from __future__ import annotations

from credstack.core.oauth.scopes import DELEGABLE, OFFLINE_ACCESS, describe, joined, split


def test_a_learner_delegates_their_own_records_only():
    """The OB 3.0 and CLR 2.0 scopes, the wallet's, offline_access; nothing of a provider's
    staff."""
    assert "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly" in DELEGABLE
    assert "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.update" in DELEGABLE
    assert {"wallet:read", OFFLINE_ACCESS} <= DELEGABLE
    assert not {"credentials:issue", "keys:manage", "audit:read"} & DELEGABLE


def test_scopes_are_split_once_each_and_described_in_both_languages():
    """A scope parameter's scopes in order without repeats; each described as (ja, en)."""
    assert split(" b a  b ") == ["b", "a"] and split(None) == []
    assert joined(["b", "a", "b"]) == "a b"
    ja, en = describe("wallet:read")
    assert "ウォレット" in ja and "wallet" in en
    assert describe("unknown:scope") == ("unknown:scope", "unknown:scope")
    assert "refresh token" in describe(OFFLINE_ACCESS)[1]
