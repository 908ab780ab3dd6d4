"""The credential that records an approved credit decision (issues 16 and 51).

:func:`decision_credential` is the unsigned Open Badges 3.0 ``OpenBadgeCredential`` an
institution issues to the learner when its registrar approves an application. It is a
**credit recognition**, a kind of its own: its achievement's ``achievementType`` is
:data:`~credstack.core.credentials.openbadges_v3.profile.CREDIT_RECOGNITION_TYPE` and its id
is the target's address with the fragment ``#credit-recognition`` — never the target
programme's own achievement, which would read as the programme completed. The achievement
states the target's total (``creditsAvailable``, its credit system in the extension's
``creditsAvailableSystem``), the subject the credits granted (``creditsEarned``), and the
criteria narrate the decision: each credential counted, its route and credits, each cap used,
and every adjustment with its reason.

Its title says what was recognised toward what — "Credit recognised: 1 of 4 credits toward
…", 「単位認定：… に向けて 4 単位中 1 単位」 — in the credential's ``name`` and the
achievement's (English, one string each, as Open Badges 3.0 has them) and, by language, in
credstack's ``microCredential`` extension, as a programme's title travels: a Japanese wallet
shows the Japanese title, and nothing shows the programme's title alone.

The learner is named as in every credential credstack issues: their e-mail address hashed
with a salt (``identity_hash``), never in plain text; the issuing service keeps whom it was
issued to beside the credential, so that their wallet takes it in. The issuing service adds
the issuer, the dates, the status entries and the proof.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from credstack.core.credentials.openbadges_v3.profile import (
    CREDIT_RECOGNITION_TYPE,
    EXTENSION_CONTEXT_URL,
    OB_CONTEXT_URL,
    identity_hash,
)
from credstack.core.creditbank.conversion import figure, unit_of
from credstack.core.descriptors.achievement import EXTENSION_PROPERTY, EXTENSION_TYPE
from credstack.core.said import Said, Words

__all__ = ["decision_credential", "recognition_titles"]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
#: The fragment that makes a credit recognition's achievement id its own, beside the
#: target's address.
FRAGMENT = "#credit-recognition"
#: The keys of the credential's description and criteria narrative (in English, one string
#: each, as Open Badges 3.0 has them: the registrar's words, ja/en).
_NARRATIVE = "creditbank.ws.credential."
#: The languages a title is worded in; another, in English.
LANGUAGES = ("ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms")


def _number(value: str) -> int | float:
    amount = Decimal(value)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _narrative(decision: Mapping[str, Any]) -> list[Said]:
    system = decision["system"]
    counted = [*(c for r in decision["requirements"] for c in r["counted"]),
               *decision["general"]]
    return [Said(f"{_NARRATIVE}granted", granted=figure(Decimal(decision["granted"])),
                 total=figure(Decimal(decision["total"])), system=system,
                 day=str(decision["today"])),
            *(Said(f"{_NARRATIVE}counted", credential=c["credential"], route=c["route"],
                   credits=figure(Decimal(c["credits"])), system=system) for c in counted),
            *(Said(f"{_NARRATIVE}cap", rule=c["rule"], used=figure(Decimal(c["used"])),
                   limit=figure(Decimal(c["limit"])), source=c["source"])
              for c in decision["caps"])]


def recognition_titles(title: Mapping[str, str], *, granted: Decimal, total: Decimal,
                       system: str, words: Words) -> dict[str, str]:
    """The credential's title by language: what was recognised toward the target whose
    ``title`` (by language) is given, worded (``creditbank.recognised.title``) in that
    language where ``words`` speak it, else in English. Japanese names the credit system's
    unit (単位, ECTS …); English says "credits" (the system travels beside it)."""
    found: dict[str, str] = {}
    for language, name in title.items():
        if not isinstance(name, str) or not name.strip():
            continue
        said = Said("creditbank.recognised.title", target=name.strip(),
                    granted=figure(granted), total=figure(total), unit=unit_of(system))
        found[language] = words(said, language if language in LANGUAGES else "en")
    return found


def decision_credential(*, target_url: str, title: Mapping[str, str], email: str, salt: str,
                        decision: Mapping[str, Any], adjustments: Sequence[Mapping[str, Any]],
                        words: Words) -> dict[str, Any]:
    """The unsigned credential for an approved ``decision`` (its JSON data, adjusted), to the
    learner whose address is ``email`` (hashed with ``salt``); ``words`` word its texts (the
    names, description and criteria in English, as Open Badges 3.0 has one string each; the
    titles by language)."""
    system = decision["system"]
    lines = [words(line, "en") for line in (*_narrative(decision), *(
        Said(f"{_NARRATIVE}adjusted", deposit=item["deposit"],
             credits=figure(Decimal(item["credits"])), system=system, reason=item["reason"])
        for item in adjustments))]
    target = title.get("en") or next(iter(title.values()), decision["target"])
    def titled(titles: Mapping[str, str]) -> dict[str, str]:
        return recognition_titles(titles, granted=Decimal(decision["granted"]),
                                  total=Decimal(decision["total"]), system=system, words=words)

    titles = titled(title) or titled({"en": target})
    # The standard's one-string names are English, the target's English title in them.
    name = titled({"en": target})["en"]
    return {
        "@context": [VC_V2, OB_CONTEXT_URL, EXTENSION_CONTEXT_URL],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": True, "salt": salt,
                            "identityHash": identity_hash(email, salt)}],
            "creditsEarned": _number(decision["granted"]),
            "achievement": {
                "id": f"{target_url}{FRAGMENT}",
                "type": ["Achievement"],
                "achievementType": CREDIT_RECOGNITION_TYPE,
                "name": name,
                "description": words(Said(f"{_NARRATIVE}description", target=target,
                                          id=decision["target"], system=system), "en"),
                "creditsAvailable": _number(decision["total"]),
                "criteria": {"narrative": "\n".join(lines)},
                EXTENSION_PROPERTY: {"type": EXTENSION_TYPE, "title": titles,
                                     "creditsAvailableSystem": system},
            },
        },
    }
