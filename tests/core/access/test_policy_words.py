"""Why the access policy allows or refuses says what it always said in English and Japanese,
word for word, and is said in every language a public page speaks.

``access_words.json`` holds what :func:`credstack.core.access.decide` gave before its words
moved into the catalogues (issue 53): for each principal (none, a learner, a token without
the scope, a person with no account, a committee member of the applicant …), action and
organisation, whether it was allowed and its reasons in English and Japanese. A decision's
reason is now a message key with its values; worded from the catalogues it must read the
same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.access import Action, Decision, Membership, Principal, Role, decide
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "access_words.json").read_text(encoding="utf-8"))
#: The languages the public pages speak beside Japanese and English.
OTHERS = ("ko", "zh-Hans", "th", "vi", "id", "ms")


def _decided(recorded: dict[str, Any]) -> Decision:
    spec = recorded["principal"]
    principal = None if spec is None else Principal(
        subject="user:1", user_id=spec.get("user_id", 1), email=spec.get("email"),
        memberships=frozenset(Membership(organisation, Role(role))
                              for organisation, role in spec["roles"]),
        scopes=None if spec.get("scopes") is None else frozenset(spec["scopes"]))
    return decide(principal, Action(recorded["action"]), recorded["organisation"],
                  recognition_body=recorded.get("recognition_body"),
                  owner=recorded.get("owner"))


@pytest.mark.parametrize("recorded", RECORDED,
                         ids=[f"{row['action']}-{number}" for number, row in enumerate(RECORDED)])
def test_a_decision_says_in_english_and_japanese_what_it_said(recorded: dict[str, Any]) -> None:
    """The same decision, its reason a message key (no words in the core) whose English and
    Japanese are the words it had."""
    decision = _decided(recorded)
    assert decision.allowed is recorded["allowed"]
    assert decision.reason.key.startswith("access.")
    assert words(decision.reason, "en") == recorded["en"]
    assert words(decision.reason, "ja") == recorded["ja"]


@pytest.mark.parametrize("language", OTHERS)
def test_a_decision_is_said_in_every_language_of_the_public_pages(language: str) -> None:
    """Each reason has words of its own in each language, with the scope and organisation it
    names."""
    for recorded in RECORDED:
        decision = _decided(recorded)
        said = words(decision.reason, language)
        assert said and said != recorded["en"] and "access." not in said, (language, said)
        assert "{" not in said
        if "scope" in decision.reason.params:
            assert recorded["action"] in said
        if "organisation" in decision.reason.params:
            assert recorded["organisation"] in said
