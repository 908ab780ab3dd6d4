"""The credential that records an approved credit decision (issue 16).

:func:`decision_credential` is the unsigned Open Badges 3.0 ``OpenBadgeCredential`` an
institution issues to the learner when its registrar approves an application: its
achievement is the target (``creditsAvailable``: the target's total), the subject is the
learner (their e-mail address, in plain text, so that their wallet takes it in) with the
``creditsEarned`` granted, and the criteria narrate the decision: each credential counted,
its route and credits, each cap used, and every adjustment with its reason. The achievement's
``name`` is one string (Open Badges 3.0 has no language map for it), so its title in every
language the target has travels in credstack's ``microCredential`` extension, as a
programme's does: a Japanese wallet shows the Japanese title. The issuing service adds the
issuer, the dates, the status entries and the proof.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from credstack.core.credentials.openbadges_v3.profile import EXTENSION_CONTEXT_URL, OB_CONTEXT_URL
from credstack.core.creditbank.conversion import figure
from credstack.core.descriptors.achievement import EXTENSION_PROPERTY, EXTENSION_TYPE

__all__ = ["decision_credential"]

VC_V2 = "https://www.w3.org/ns/credentials/v2"


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


def decision_credential(*, target_url: str, title: Mapping[str, str], email: str,
                        decision: Mapping[str, Any], adjustments: Sequence[Mapping[str, Any]]
                        ) -> dict[str, Any]:
    """The unsigned credential for an approved ``decision`` (its JSON data, adjusted)."""
    system = decision["system"]
    lines = [*_narrative(decision), *(
        f"Adjusted: deposit {item['deposit']} counts {figure(Decimal(item['credits']))} "
        f"{system} — {item['reason']}" for item in adjustments)]
    name = title.get("en") or next(iter(title.values()), decision["target"])
    titles = {language: text for language, text in title.items()
              if isinstance(text, str) and text.strip()}
    return {
        "@context": [VC_V2, OB_CONTEXT_URL, *([EXTENSION_CONTEXT_URL] if titles else [])],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Credit recognised toward {name}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": email,
                            "identityType": "emailAddress", "hashed": False}],
            "creditsEarned": _number(decision["granted"]),
            "achievement": {
                "id": target_url,
                "type": ["Achievement"],
                "name": name,
                "description": f"Credit recognised toward {name} ({decision['target']}), "
                               f"in {system}.",
                "creditsAvailable": _number(decision["total"]),
                "criteria": {"narrative": "\n".join(lines)},
                **({EXTENSION_PROPERTY: {"type": EXTENSION_TYPE, "title": titles}}
                   if titles else {}),
            },
        },
    }
