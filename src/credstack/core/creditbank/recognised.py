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
from credstack.core.creditbank.conversion import credit_rates, figure
from credstack.core.descriptors.achievement import EXTENSION_PROPERTY, EXTENSION_TYPE

__all__ = ["decision_credential", "recognition_titles"]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
#: The fragment that makes a credit recognition's achievement id its own, beside the
#: target's address.
FRAGMENT = "#credit-recognition"


def _number(value: str) -> int | float:
    amount = Decimal(value)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _narrative(decision: Mapping[str, Any]) -> list[str]:
    system = decision["system"]
    counted = [*(c for r in decision["requirements"] for c in r["counted"]),
               *decision["general"]]
    return [f"Granted {figure(Decimal(decision['granted']))} of "
            f"{figure(Decimal(decision['total']))} {system} on {decision['today']}.",
            *(f"Counted: {c['credential']} ({c['route']}): "
              f"{figure(Decimal(c['credits']))} {system}" for c in counted),
            *(f"Cap {c['rule']}: {figure(Decimal(c['used']))} of "
              f"{figure(Decimal(c['limit']))} used ({c['source']})"
              for c in decision["caps"])]


def recognition_titles(title: Mapping[str, str], *, granted: Decimal, total: Decimal,
                       system: str) -> dict[str, str]:
    """The credential's title by language: what was recognised toward the target whose
    ``title`` (by language) is given. Japanese names the credit system's unit (単位, ECTS …);
    English says "credits" (the system travels beside it)."""
    rate = credit_rates().get(system)
    unit = rate.unit("ja") if rate is not None else system
    given, whole = figure(granted), figure(total)
    found: dict[str, str] = {}
    for language, name in title.items():
        if not isinstance(name, str) or not name.strip():
            continue
        found[language] = (f"単位認定：{name.strip()} に向けて {whole} {unit}中 {given} {unit}"
                           if language == "ja" else
                           f"Credit recognised: {given} of {whole} credits toward "
                           f"{name.strip()}")
    return found


def decision_credential(*, target_url: str, title: Mapping[str, str], email: str, salt: str,
                        decision: Mapping[str, Any], adjustments: Sequence[Mapping[str, Any]]
                        ) -> dict[str, Any]:
    """The unsigned credential for an approved ``decision`` (its JSON data, adjusted), to the
    learner whose address is ``email`` (hashed with ``salt``)."""
    system = decision["system"]
    lines = [*_narrative(decision), *(
        f"Adjusted: deposit {item['deposit']} counts {figure(Decimal(item['credits']))} "
        f"{system} — {item['reason']}" for item in adjustments)]
    target = title.get("en") or next(iter(title.values()), decision["target"])
    figures = {"granted": Decimal(decision["granted"]), "total": Decimal(decision["total"]),
               "system": system}
    titles = recognition_titles(title, **figures) or recognition_titles({"en": target},
                                                                        **figures)
    # The standard's one-string names are English, the target's English title in them.
    name = recognition_titles({"en": target}, **figures)["en"]
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
                "description": f"Credit recognised toward {target} ({decision['target']}), "
                               f"in {system}: a credit bank's decision, not the programme's "
                               "completion.",
                "creditsAvailable": _number(decision["total"]),
                "criteria": {"narrative": "\n".join(lines)},
                EXTENSION_PROPERTY: {"type": EXTENSION_TYPE, "title": titles,
                                     "creditsAvailableSystem": system},
            },
        },
    }
