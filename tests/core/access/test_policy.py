"""The authorisation matrix: every role × every action × own / other organisation, tokens."""

from __future__ import annotations

import itertools

import pytest

from credstack.core.access import (
    PLATFORM,
    Action,
    Membership,
    Principal,
    Role,
    all_scopes,
    decide,
    usable_scopes,
)
from credstack.core.access.actors import operator_principal
from credstack.core.access.policy import EXCHANGE_SCOPES
from credstack.words import words

OWN, OTHER, BODY = "alpha", "beta", "alpha"

#: The matrix of spec6.md, written out independently of the implementation's RULES:
#: "own" — allowed on the role's own organisation only; "any" — on every organisation;
#: "body" — as a member of the recognition body, whatever the applicant organisation.
EXPECTED: dict[Action, dict[Role, str]] = {
    Action.ORGANISATION_WRITE: {Role.PROVIDER_ADMIN: "own", Role.REGISTRY_ADMIN: "any"},
    Action.PROGRAMME_WRITE: {Role.PROVIDER_ADMIN: "own", Role.REGISTRY_ADMIN: "any"},
    Action.KEYS_MANAGE: {Role.PROVIDER_ADMIN: "own", Role.REGISTRY_ADMIN: "any"},
    Action.CREDENTIAL_ISSUE: {Role.ISSUER: "own", Role.PROVIDER_ADMIN: "own",
                              Role.REGISTRY_ADMIN: "any"},
    Action.CREDENTIAL_STATUS: {Role.ISSUER: "own", Role.PROVIDER_ADMIN: "own",
                               Role.REGISTRY_ADMIN: "any"},
    Action.CREDENTIAL_READ: {Role.ISSUER: "own", Role.PROVIDER_ADMIN: "own",
                             Role.REGISTRY_ADMIN: "any"},
    Action.ACCOUNTS_MANAGE: {Role.PROVIDER_ADMIN: "own", Role.REGISTRY_ADMIN: "any"},
    Action.APPLICATION_MANAGE: {Role.PROVIDER_ADMIN: "own"},
    Action.APPLICATION_READ: {Role.PROVIDER_ADMIN: "own", Role.COMMITTEE_MEMBER: "body",
                              Role.EVALUATOR: "body", Role.REGISTRY_ADMIN: "any"},
    Action.APPLICATION_ASSIGN: {Role.COMMITTEE_MEMBER: "body"},
    Action.APPLICATION_REVIEW: {Role.EVALUATOR: "body"},
    Action.APPLICATION_DECIDE: {Role.COMMITTEE_MEMBER: "body"},
    Action.AUDIT_READ: {Role.REGISTRY_ADMIN: "any", Role.COMMITTEE_MEMBER: "any"},
    # Every user's own wallet, whatever the role; the organisation plays no part.
    Action.WALLET_READ: {role: "self" for role in Role},
    Action.WALLET_WRITE: {role: "self" for role in Role},
    # Every user's own credit bank account; deciding credit is the registrar's alone.
    Action.CREDITBANK_READ: {role: "self" for role in Role},
    Action.CREDITBANK_WRITE: {role: "self" for role in Role},
    Action.CREDITBANK_PUBLISH: {Role.REGISTRAR: "own", Role.PROVIDER_ADMIN: "own",
                                Role.REGISTRY_ADMIN: "any"},
    Action.CREDITBANK_DECIDE: {Role.REGISTRAR: "own"},
    # The academic records (issue 56): the certificate office's and the administrators'.
    Action.RECORDS_WRITE: {Role.REGISTRAR: "own", Role.PROVIDER_ADMIN: "own",
                           Role.REGISTRY_ADMIN: "any"},
    Action.RECORDS_READ: {Role.REGISTRAR: "own", Role.PROVIDER_ADMIN: "own",
                          Role.REGISTRY_ADMIN: "any"},
    # The Open Badges 3.0 and CLR 2.0 REST APIs: each user's own wallet and profile.
    Action.OB_CREDENTIAL_READ: {role: "self" for role in Role},
    Action.OB_CREDENTIAL_UPSERT: {role: "self" for role in Role},
    Action.OB_PROFILE_READ: {role: "self" for role in Role},
    Action.OB_PROFILE_UPDATE: {role: "self" for role in Role},
    Action.CLR_CREDENTIAL_READ: {role: "self" for role in Role},
    Action.CLR_CREDENTIAL_UPSERT: {role: "self" for role in Role},
    Action.CLR_PROFILE_READ: {role: "self" for role in Role},
    Action.CLR_PROFILE_UPDATE: {role: "self" for role in Role},
    # The shared competency frameworks and their labels (issue 17): the platform's.
    Action.SKILLS_MANAGE: {Role.REGISTRY_ADMIN: "any"},
}


def member(role: Role, organisation: str = OWN, *, scopes: frozenset[str] | None = None,
           email: str = "someone@example.org") -> Principal:
    where = PLATFORM if role is Role.REGISTRY_ADMIN else organisation
    return Principal(subject="user:1", user_id=1, email=email,
                     memberships=frozenset({Membership(where, role)}), scopes=scopes)


def expected(action: Action, role: Role, target: str | None) -> bool:
    rule = EXPECTED[action].get(role)
    if rule is None:
        return False
    if rule in {"any", "self"}:
        return True
    if rule == "own":
        return target == OWN
    # A recognition-body role: whatever the applicant, except deciding on one's own.
    return not (action is Action.APPLICATION_DECIDE and target == OWN)


def test_the_matrix_names_every_action() -> None:
    """The table above covers every action, so the parametrisation below is exhaustive."""
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize(("role", "action", "target"),
                         list(itertools.product(Role, Action, [OWN, OTHER, None])))
def test_every_role_against_every_action(role: Role, action: Action, target: str | None
                                         ) -> None:
    """Each role is allowed exactly what the matrix says, on its own and other organisations."""
    decision = decide(member(role), action, target)
    assert decision.allowed is expected(action, role, target), words(decision.reason, "en")
    assert words(decision.reason, "en") and words(decision.reason, "ja")


@pytest.mark.parametrize(("role", "action", "target"),
                         list(itertools.product(Role, Action, [OWN, OTHER])))
def test_a_token_needs_the_scope_and_the_role(role: Role, action: Action, target: str) -> None:
    """A token is allowed an action only with its scope and only if the roles allow it."""
    with_scope = decide(member(role, scopes=frozenset({action.value})), action, target)
    assert with_scope.allowed is expected(action, role, target)
    others = all_scopes() - {action.value}
    without = decide(member(role, scopes=frozenset(others)), action, target)
    assert not without.allowed
    assert action.value in words(without.reason, "en")


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_is_refused_everything(action: Action) -> None:
    """Without a principal nothing protected is allowed, and the reason says to sign in."""
    decision = decide(None, action, OWN)
    assert not decision.allowed
    assert "Sign in" in words(decision.reason, "en")


def test_creating_and_updating_organisations_share_one_scope() -> None:
    """organisation.create and .update are one scope; creating (no organisation yet) needs a
    registry admin, updating one's own organisation a provider admin."""
    assert Action.ORGANISATION_CREATE is Action.ORGANISATION_UPDATE is Action.ORGANISATION_WRITE
    assert not decide(member(Role.PROVIDER_ADMIN), Action.ORGANISATION_CREATE, None).allowed
    assert decide(member(Role.REGISTRY_ADMIN), Action.ORGANISATION_CREATE, None).allowed
    assert decide(member(Role.PROVIDER_ADMIN), Action.ORGANISATION_UPDATE, OWN).allowed


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.EVALUATOR])
def test_a_named_recognition_body_needs_a_membership_of_it(role: Role) -> None:
    """With the recognition body named, a member of another body is refused."""
    action = (Action.APPLICATION_ASSIGN if role is Role.COMMITTEE_MEMBER
              else Action.APPLICATION_REVIEW)
    assert decide(member(role, BODY), action, OTHER, recognition_body=BODY).allowed
    assert not decide(member(role, BODY), action, OTHER, recognition_body="gamma").allowed


def test_a_committee_member_of_the_applicant_never_decides() -> None:
    """A committee member who also belongs to the applicant organisation cannot decide."""
    principal = Principal(subject="user:1", user_id=1, email=None, memberships=frozenset({
        Membership(BODY, Role.COMMITTEE_MEMBER), Membership(OTHER, Role.ISSUER)}))
    assert not decide(principal, Action.APPLICATION_DECIDE, OTHER).allowed
    assert decide(principal, Action.APPLICATION_DECIDE, "gamma").allowed


def test_learners_read_their_own_credentials_only() -> None:
    """credential.read: the learner the credential names (any case), not another."""
    learner = member(Role.LEARNER, email="Learner@Example.org")
    assert decide(learner, Action.CREDENTIAL_READ, OWN, owner="learner@example.org").allowed
    assert not decide(learner, Action.CREDENTIAL_READ, OWN, owner="other@example.org").allowed
    assert not decide(learner, Action.CREDENTIAL_READ, OWN).allowed
    token = member(Role.LEARNER, email="learner@example.org", scopes=frozenset())
    assert not decide(token, Action.CREDENTIAL_READ, OWN, owner="learner@example.org").allowed


def test_a_refusal_names_the_action_and_the_organisation() -> None:
    """The reasons, in English and Japanese, say what was asked and where."""
    decision = decide(member(Role.ISSUER), Action.KEYS_MANAGE, OTHER)
    english, japanese = words(decision.reason, "en"), words(decision.reason, "ja")
    assert "keys:manage" in english and OTHER in english
    assert "keys:manage" in japanese and OTHER in japanese


def test_usable_scopes_follow_the_roles() -> None:
    """A token may carry only scopes some role of its owner can use (reading one's own
    credentials, the wallet and the credit bank account: everyone)."""
    wallet = {"wallet:read", "wallet:write", "creditbank:read", "creditbank:write",
              *(action.value for action in EXCHANGE_SCOPES)}
    assert usable_scopes([]) == {"credentials:read"} | wallet
    issuer = usable_scopes([Membership(OWN, Role.ISSUER)])
    assert issuer == {"credentials:issue", "credentials:status", "credentials:read"} | wallet
    assert usable_scopes([Membership(PLATFORM, Role.REGISTRY_ADMIN)]) == all_scopes() - {
        "recognition:apply", "recognition:assign", "recognition:review",
        "recognition:decide", "creditbank:decide"}
    assert "audit:read" in usable_scopes([Membership(BODY, Role.COMMITTEE_MEMBER)])


@pytest.mark.parametrize("action", [Action.WALLET_READ, Action.WALLET_WRITE,
                                    Action.CREDITBANK_READ, Action.CREDITBANK_WRITE,
                                    *sorted(EXCHANGE_SCOPES)])
def test_the_wallet_is_every_persons_own_and_no_operators(action: Action) -> None:
    """Any signed-in user, even one with no role at all, has a wallet; the console's
    operator (no user) has none, and a token still needs the wallet's scope."""
    nobody_special = Principal(subject="user:7", user_id=7, email="l@example.org",
                               memberships=frozenset())
    assert decide(nobody_special, action, None).allowed
    assert not decide(operator_principal("admin"), action, None).allowed
    token = Principal(subject="client:x", user_id=7, email="l@example.org",
                      memberships=frozenset(), scopes=frozenset({"credentials:read"}))
    assert not decide(token, action, None).allowed


def test_principal_has_role() -> None:
    """has_role with and without an organisation."""
    principal = member(Role.ISSUER)
    assert principal.has_role(Role.ISSUER) and principal.has_role(Role.ISSUER, OWN)
    assert not principal.has_role(Role.ISSUER, OTHER)
    assert not principal.has_role(Role.PROVIDER_ADMIN)
