"""The service provider's checks of a verified assertion and of the identity provider's
LogoutResponse to our LogoutRequest, GakuNin's attribute names and the choice of a person's
stable identifier (credstack.core.sso.saml)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from credstack.core.sso.saml import (
    LEEWAY,
    SUCCESS,
    Assertion,
    LogoutAnswer,
    attributes_of,
    check,
    check_logout,
    subject_of,
)
from credstack.errors import AuthenticationRequiredError

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
IDP = "https://idp.hokuto.ac.jp/idp/shibboleth"
SP = "https://credstack.example/sso/saml/hokuto/metadata"
ACS = "https://credstack.example/sso/saml/acs"
GOOD = Assertion(id="_a1", issuer=IDP, in_response_to="id-r1", audiences=(SP,),
                 recipients=(ACS,), not_before=NOW - dt.timedelta(seconds=5),
                 not_on_or_after=NOW + dt.timedelta(minutes=5),
                 confirmation_ends=(NOW + dt.timedelta(minutes=5),), name_id="t-1",
                 name_id_format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
                 session_index="s-1")


def _reason(assertion: Assertion, *, now: dt.datetime = NOW) -> str | None:
    try:
        check(assertion, issuer=IDP, audience=SP, recipient=ACS, request_id="id-r1", now=now)
    except AuthenticationRequiredError as exc:
        return str(exc.params["reason"])
    return None


def test_a_good_assertion_passes() -> None:
    """Issuer, audience, recipient, times and the request all as expected."""
    assert _reason(GOOD) is None


@pytest.mark.parametrize(("changes", "reason"), [
    ({"issuer": "https://other.example/idp"}, "issuer"),
    ({"audiences": ("https://credstack.example/sso/saml/other/metadata",)}, "audience"),
    ({"audiences": ()}, "audience"),
    ({"recipients": ("https://elsewhere.example/acs",)}, "audience"),
    ({"in_response_to": "id-another"}, "state"),
    ({"in_response_to": None}, "state"),
    ({"not_on_or_after": None, "confirmation_ends": ()}, "claims"),
    ({"confirmation_ends": (NOW - LEEWAY,)}, "expired"),
    ({"not_before": NOW + LEEWAY + dt.timedelta(seconds=1)}, "expired"),
])
def test_each_wrong_part_is_refused_with_its_reason(changes: dict[str, object], reason: str
                                                    ) -> None:
    """One part wrong: refused, naming it."""
    assert _reason(dataclasses.replace(GOOD, **changes)) == reason  # type: ignore[arg-type]


def test_clocks_may_differ_by_the_leeway() -> None:
    """An assertion ended less than the leeway ago still passes; at the leeway it has ended."""
    ended = dataclasses.replace(GOOD, not_on_or_after=NOW, confirmation_ends=(NOW,))
    assert _reason(ended, now=NOW + LEEWAY - dt.timedelta(seconds=1)) is None
    assert _reason(ended, now=NOW + LEEWAY) == "expired"


def test_gakunin_names_are_read_from_their_oids() -> None:
    """urn:oid names become the friendly names rules use; others keep their own."""
    named = attributes_of({
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff", "member"],
        "urn:oid:1.3.6.1.4.1.32264.1.1.3": ["佐藤 花子"],
        "urn:oid:1.3.6.1.4.1.32264.1.1.4": ["北斗大学"],
        "urn:oid:2.5.4.10": ["Hokuto University"],
        "urn:oid:0.9.2342.19200300.100.1.3": ["hanako@hokuto.ac.jp"],
        "mail": ["second@hokuto.ac.jp"],
        "urn:example:other": ["x"]})
    assert named == {"eduPersonAffiliation": ["staff", "member"],
                     "jaDisplayName": ["佐藤 花子"], "jaOrganizationName": ["北斗大学"],
                     "organizationName": ["Hokuto University"],
                     "mail": ["hanako@hokuto.ac.jp", "second@hokuto.ac.jp"],
                     "urn:example:other": ["x"]}


@pytest.mark.parametrize(("attributes", "expected"), [
    ({"pairwise-id": ["p@hokuto.ac.jp"], "eduPersonPrincipalName": ["e@hokuto.ac.jp"]},
     "pairwise-id:p@hokuto.ac.jp"),
    ({"eduPersonTargetedID": ["tid-1"], "eduPersonPrincipalName": ["e@hokuto.ac.jp"]},
     "eduPersonTargetedID:tid-1"),
    ({"eduPersonPrincipalName": ["e@hokuto.ac.jp"]}, "eduPersonPrincipalName:e@hokuto.ac.jp"),
])
def test_the_stable_identifier_is_the_best_one_sent(attributes: dict[str, list[str]],
                                                    expected: str) -> None:
    """pairwise-id before eduPersonTargetedID before eduPersonPrincipalName."""
    assert subject_of(attributes, name_id="t", name_id_format="transient") == expected


def test_a_transient_name_id_alone_names_nobody() -> None:
    """A persistent NameID is a subject; a transient one alone is refused."""
    persistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    assert subject_of({}, name_id="abc", name_id_format=persistent) == "persistent:abc"
    with pytest.raises(AuthenticationRequiredError) as refused:
        subject_of({}, name_id="abc", name_id_format=GOOD.name_id_format)
    assert refused.value.params["reason"] == "subject"


ANSWERED = LogoutAnswer(id="_l1", issuer=IDP, in_response_to="id-o1", status=SUCCESS)
STATUS = "urn:oasis:names:tc:SAML:2.0:status:"


def _logout_refusal(answer: LogoutAnswer) -> tuple[str, str] | None:
    try:
        check_logout(answer, issuer=IDP, request_id="id-o1")
    except AuthenticationRequiredError as exc:
        assert exc.code == f"sso.refused.{exc.params['reason']}"
        return str(exc.params["reason"]), str(exc.params["detail"])
    return None


def test_a_successful_logout_response_to_our_request_passes() -> None:
    assert _logout_refusal(ANSWERED) is None


def test_a_logout_response_from_another_issuer_is_refused() -> None:
    """Core §3.2.2: the Issuer is the identity provider the request went to."""
    other = dataclasses.replace(ANSWERED, issuer="https://idp.elsewhere.example/idp")
    assert _logout_refusal(other) == ("issuer", "https://idp.elsewhere.example/idp")
    assert _logout_refusal(dataclasses.replace(ANSWERED, issuer="")) == ("issuer", "-")


@pytest.mark.parametrize("in_response_to", ["id-o2", None, ""])
def test_a_logout_response_to_another_request_is_refused(in_response_to: str | None) -> None:
    """Core §3.2.2: InResponseTo names our LogoutRequest; none, or another's, is not ours."""
    refused = _logout_refusal(dataclasses.replace(ANSWERED, in_response_to=in_response_to))
    assert refused == ("state", f"InResponseTo {in_response_to!r}")


@pytest.mark.parametrize(("status", "substatus", "said"), [
    (STATUS + "Responder", "", "Responder"),
    (STATUS + "Success", STATUS + "PartialLogout", "Success PartialLogout"),
    (STATUS + "Requester", STATUS + "RequestDenied", "Requester RequestDenied"),
    ("", "", ""),
])
def test_a_logout_response_not_saying_success_is_refused(status: str, substatus: str,
                                                         said: str) -> None:
    """Core §3.7.3.2: only Success ends the session there; the status is named, a partial
    logout not hidden."""
    answer = dataclasses.replace(ANSWERED, status=status, substatus=substatus)
    assert _logout_refusal(answer) == ("denied", said)
