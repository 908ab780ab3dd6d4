"""How what the verification page verified is secured, named for people (issue 58).

*Securing Verifiable Credentials using JOSE and COSE* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-jose-cose/: a credential or presentation is secured by a Data
Integrity proof in its JSON, or enveloped as a JWT (``vc+jwt``, ``vp+jwt``), an SD-JWT
(``vc+sd-jwt``, ``vp+sd-jwt``; RFC 9901, selective disclosure) or a ``COSE_Sign1``
(``vc+cose``, ``vp+cose``). The page says which in words (``verify.secured.…``), and for an
SD-JWT whose proof verified which of the claims its issuer made selectively disclosable it
shows (``verify.claim.…``); the media type or cryptosuite, and where each disclosed claim
sits, are technical details. Read from the ``parse`` and ``proof`` checks' details, of the
report or of a credential a presentation holds.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.verification import VerificationReport

__all__ = ["Claim", "Securing", "check_passed", "securing_in", "securing_of"]

#: How each form the ``parse`` check names is secured, as the page names it for people
#: (``verify.secured.{form}``): a Data Integrity proof in the JSON, or the JOSE and COSE
#: envelopes of *Securing Verifiable Credentials using JOSE and COSE* (a JWT, an SD-JWT, a
#: COSE_Sign1), for a credential and for a presentation alike.
SECURED_FORMS: Final = {"json-ld": "data-integrity", "vc+jwt": "jwt", "vc-jwt-1.1": "jwt",
                        "vp-jwt": "jwt", "vc+sd-jwt": "sd-jwt", "dc+sd-jwt": "sd-jwt",
                        "vp-sd-jwt": "sd-jwt", "vc+cose": "cose", "vp-cose": "cose"}
#: The media type each enveloped form has (a technical detail beside its name).
MEDIA_TYPES: Final = {"vc+jwt": "application/vc+jwt", "vc-jwt-1.1": "application/jwt",
                      "vp-jwt": "application/vp+jwt", "vc+sd-jwt": "application/vc+sd-jwt",
                      "dc+sd-jwt": "application/dc+sd-jwt",
                      "vp-sd-jwt": "application/vp+sd-jwt", "vc+cose": "application/vc+cose",
                      "vp-cose": "application/vp+cose"}
#: The claims an SD-JWT may disclose that the page names in words (``verify.claim.{name}``),
#: by their place with no array index; any other is shown as its place.
NAMED_CLAIMS: Final = {"name": "name", "description": "description", "image": "image",
                       "validFrom": "valid_from", "validUntil": "valid_until",
                       "awardedDate": "awarded_date", "evidence": "evidence",
                       "credentialSubject.name": "learner_name",
                       "credentialSubject.identifier": "learner_identifier",
                       "credentialSubject.achievement": "achievement",
                       "credentialSubject.result": "result",
                       "credentialSubject.creditsEarned": "credits",
                       "credentialSubject.activityStartDate": "activity_dates",
                       "credentialSubject.activityEndDate": "activity_dates"}


@dataclass(frozen=True, slots=True)
class Claim:
    """Claims an SD-JWT disclosed, under one name: the message naming them (``None``: the
    place is shown as written), how many and where."""

    key: str | None
    places: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Securing:
    """How what was verified is secured, named for people: the form (``data-integrity``,
    ``jwt``, ``sd-jwt`` or ``cose``), whether a holder secured a presentation with it, and
    for an SD-JWT the claims it discloses."""

    form: str
    presentation: bool
    #: The media type or the cryptosuite and algorithm: a technical detail.
    technical: str | None = None
    #: An SD-JWT's disclosed claims (``None``: not an SD-JWT, or its proof failed).
    disclosed: tuple[Claim, ...] | None = None

    @property
    def disclosed_count(self) -> int:
        """How many disclosed values (a learner's two identifiers are two)."""
        return sum(len(claim.places) for claim in self.disclosed or ())

    @property
    def key(self) -> str:
        """The message naming the form."""
        kind = "presentation" if self.presentation else "credential"
        return f"verify.secured.{kind}.{self.form}"


def check_passed(report: Mapping[str, Any], name: str) -> bool:
    """Whether a report as data (an enclosed credential's) has the check ``name`` passed."""
    return any(isinstance(found, Mapping) and found.get("check") == name
               and found.get("ok") is True for found in report.get("checks", ()))


def _claims(places: object) -> tuple[Claim, ...]:
    """Disclosed places grouped under the names the page gives them, in the order given."""
    grouped: dict[str, list[str]] = {}
    for place in places if isinstance(places, list | tuple) else ():
        if not isinstance(place, str):
            continue
        bare = re.sub(r"\[\d+\]", "", place)
        name = NAMED_CLAIMS.get(bare)
        grouped.setdefault(f"verify.claim.{name}" if name else place, []).append(place)
    return tuple(Claim(key if key.startswith("verify.claim.") else None, tuple(found))
                 for key, found in grouped.items())


def securing_of(parse: Mapping[str, Any] | None, proof: Mapping[str, Any] | None, *,
                passed: bool) -> Securing | None:
    """How a credential or presentation is secured, from its ``parse`` and ``proof``
    checks' details: an envelope's form whatever its signature's fate; a Data Integrity
    proof only when it verified (else nothing secures it); an SD-JWT's disclosures only when
    its proof verified them."""
    form = parse.get("format") if parse is not None else None
    if not isinstance(form, str) or form not in SECURED_FORMS:
        return None
    presentation = form.startswith("vp-")
    proofs = proof.get("proofs") if proof is not None else None
    suites = [str(item["suite"]) for item in proofs if isinstance(item, Mapping)
              and isinstance(item.get("suite"), str)] if isinstance(proofs, list) else []
    named = SECURED_FORMS[form]
    if named == "data-integrity":
        if not passed or not suites:
            return None
        return Securing(named, presentation, ", ".join(dict.fromkeys(suites)))
    algorithm = suites[0].rpartition(" ")[2] if suites else None
    technical = MEDIA_TYPES[form] + (f" ({algorithm})" if algorithm else "")
    disclosed = _claims(proof.get("disclosed")) if named == "sd-jwt" and passed \
        and proof is not None else None
    return Securing(named, presentation, technical, disclosed)


def securing_in(report: VerificationReport) -> Securing | None:
    """How the credential or presentation of ``report`` is secured (a JSON presentation
    tells itself by its ``presentation`` check)."""
    parse, proof = report.check("parse"), report.check("proof")
    found = securing_of(parse.details if parse else None, proof.details if proof else None,
                        passed=proof is not None and proof.ok is True)
    if found is not None and report.check("presentation") is not None:
        return dataclasses.replace(found, presentation=True)
    return found
