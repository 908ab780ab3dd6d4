"""Security Assertion Markup Language (SAML) V2.0, OASIS Standard, 15 March 2005
(https://docs.oasis-open.org/security/saml/v2.0/), as the GakuNin federation profiles it
(its technical guide, https://meatwiki.nii.ac.jp/confluence/display/GakuNinShibInstall/): the
checks a service provider makes of an assertion whose signature was verified and which was
decrypted (Profiles §4.1.4.3, Core §2.5.1), the attribute names GakuNin's identity providers
send, and which of them is the person's stable identifier.

Nothing here reads XML, a clock or a key: the adapter (:mod:`credstack.adapters.saml`) gives
an :class:`Assertion` of plain values, the service gives ``now``. Every refusal is an
:class:`~credstack.errors.AuthenticationRequiredError` of code ``sso.refused.<reason>``
(:func:`credstack.core.sso.oidc.refusal`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from credstack.core.sso.oidc import refusal

__all__ = ["GAKUNIN", "LEEWAY", "Assertion", "LogoutAnswer", "NameId", "attributes_of", "check",
           "check_logout", "subject_of"]

#: Clocks of the identity provider and credstack may differ by this much.
LEEWAY: Final = dt.timedelta(seconds=60)

#: GakuNin's attributes (urn:oid names, NameFormat ``uri``) by the names rules use. The
#: ``ja*`` attributes are in NII's arc 1.3.6.1.4.1.32264.
GAKUNIN: Final[Mapping[str, str]] = {
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "eduPersonPrincipalName",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.10": "eduPersonTargetedID",
    "urn:oasis:names:tc:SAML:attribute:pairwise-id": "pairwise-id",
    "urn:oasis:names:tc:SAML:attribute:subject-id": "subject-id",
    "urn:oid:0.9.2342.19200300.100.1.3": "mail",
    "urn:oid:2.16.840.1.113730.3.1.241": "displayName",
    "urn:oid:1.3.6.1.4.1.32264.1.1.3": "jaDisplayName",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "eduPersonAffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": "eduPersonScopedAffiliation",
    "urn:oid:2.5.4.10": "organizationName",
    "urn:oid:1.3.6.1.4.1.32264.1.1.4": "jaOrganizationName",
    "urn:oid:2.5.4.11": "organizationalUnitName",
    "urn:oid:1.3.6.1.4.1.32264.1.1.5": "jaOrganizationalUnitName",
    "urn:oid:1.3.6.1.4.1.5923.1.5.1.1": "isMemberOf",
}
#: The stable identifier of a person, best first: a pairwise id is the federation's
#: recommendation (one per service provider, never reassigned); an eduPersonPrincipalName may
#: be reassigned after years, so it comes last before a persistent NameID.
_SUBJECT_ORDER: Final = ("pairwise-id", "eduPersonTargetedID", "subject-id",
                         "eduPersonPrincipalName")
PERSISTENT: Final = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


@dataclass(frozen=True, slots=True)
class NameId:
    """A NameID as an assertion gave it (Core §2.2.3): a LogoutRequest names the person by it,
    every part as it came."""

    text: str
    format: str = ""
    name_qualifier: str = ""
    sp_name_qualifier: str = ""


@dataclass(frozen=True, slots=True)
class LogoutAnswer:
    """What a LogoutResponse whose signature was verified says (Core §3.7.2)."""

    id: str
    issuer: str
    in_response_to: str | None
    #: The top-level StatusCode's value, and the second-level one's (or "").
    status: str
    substatus: str = ""


#: Core §3.2.2.2: the request succeeded.
SUCCESS: Final = "urn:oasis:names:tc:SAML:2.0:status:Success"
#: Core §3.7.3.2: the logout did not end every session (under Success too, as some say it).
PARTIAL_LOGOUT: Final = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout"


@dataclass(frozen=True, slots=True)
class Assertion:
    """What a verified, decrypted assertion says (Core §2.3-2.7), as plain values."""

    id: str
    issuer: str
    in_response_to: str | None
    audiences: tuple[str, ...]
    recipients: tuple[str, ...]
    not_before: dt.datetime | None
    not_on_or_after: dt.datetime | None
    confirmation_ends: tuple[dt.datetime | None, ...]
    name_id: str
    name_id_format: str
    session_index: str | None
    #: attribute Name (or FriendlyName) → values, as sent.
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    name_qualifier: str = ""
    sp_name_qualifier: str = ""

    @property
    def name(self) -> NameId:
        """The subject's NameID, whole."""
        return NameId(self.name_id, self.name_id_format, self.name_qualifier,
                      self.sp_name_qualifier)


def attributes_of(sent: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The attributes under GakuNin's names (an ``urn:oid`` name or its friendly name); an
    attribute of another name is kept under its own."""
    named: dict[str, list[str]] = {}
    for name, values in sent.items():
        key = GAKUNIN.get(name, name)
        named.setdefault(key, []).extend(str(v) for v in values if str(v))
    return named


def subject_of(attributes: Mapping[str, Sequence[str]], *, name_id: str,
               name_id_format: str) -> str:
    """The person's stable identifier at their identity provider (see ``_SUBJECT_ORDER``);
    a persistent NameID when no attribute gives one. ``sso.refused.subject`` otherwise (a
    transient NameID names a session, not a person)."""
    for name in _SUBJECT_ORDER:
        values = attributes.get(name) or []
        if values and values[0].strip():
            return f"{name}:{values[0].strip()}"[:500]
    if name_id_format == PERSISTENT and name_id.strip():
        return f"persistent:{name_id.strip()}"[:500]
    raise refusal("subject", "pairwise-id|eduPersonTargetedID|subject-id|"
                  "eduPersonPrincipalName|persistent-NameID")


def check(assertion: Assertion, *, issuer: str, audience: str, recipient: str,
          request_id: str, now: dt.datetime) -> None:
    """Refuse ``assertion`` unless ``issuer`` made it for ``audience`` (our entity id), to be
    delivered at ``recipient`` (our assertion consumer service), in answer to our request
    ``request_id``, and it is valid at ``now`` (± :data:`LEEWAY`)."""
    if assertion.issuer != issuer:
        raise refusal("issuer", assertion.issuer)
    if audience not in assertion.audiences:
        raise refusal("audience", ", ".join(assertion.audiences) or "-")
    if assertion.recipients and recipient not in assertion.recipients:
        raise refusal("audience", f"Recipient {', '.join(assertion.recipients)}")
    if assertion.not_before is not None and now + LEEWAY < assertion.not_before:
        raise refusal("expired", f"NotBefore {assertion.not_before.isoformat()}")
    ends = [e for e in (assertion.not_on_or_after, *assertion.confirmation_ends)
            if e is not None]
    if not ends:
        raise refusal("claims", "NotOnOrAfter")
    if any(now - LEEWAY >= end for end in ends):
        raise refusal("expired", f"NotOnOrAfter {min(ends).isoformat()}")
    if assertion.in_response_to != request_id:
        raise refusal("state", f"InResponseTo {assertion.in_response_to!r}")



def check_logout(answer: LogoutAnswer, *, issuer: str, request_id: str) -> None:
    """Refuse the LogoutResponse ``answer`` unless ``issuer`` sent it in answer to our
    LogoutRequest ``request_id`` and says the logout succeeded (``sso.refused.denied`` naming
    its status: a partial logout, or none, is not hidden)."""
    if answer.issuer != issuer:
        raise refusal("issuer", answer.issuer or "-")
    if answer.in_response_to != request_id:
        raise refusal("state", f"InResponseTo {answer.in_response_to!r}")
    if answer.status != SUCCESS or answer.substatus == PARTIAL_LOGOUT:
        raise refusal("denied", " ".join(s.rsplit(":", 1)[-1]
                                         for s in (answer.status, answer.substatus) if s))
