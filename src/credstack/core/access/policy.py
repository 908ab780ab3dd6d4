"""Who may do what, to which organisation's records: roles, actions, principals, decisions.

Pure data and one function. :func:`decide` reads a :class:`Principal` (a signed-in user, or an
API client acting for its owner with a token's scopes), an :class:`Action` and the
organisation the target record belongs to, and returns a :class:`Decision` whose reason (a
message key and its values, worded by the entrypoints in the reader's language) says why.
Nothing here reads a database: the adapters load the principal's memberships, and checks
that need stored facts — is this evaluator assigned to this application, is this e-mail
address the credential's learner — are either passed in (``owner``) or made by the service
after the role check passes.

The matrix (``org``: the organisation the target record belongs to; for the recognition
process, the *applicant*):

=========================  =====================  ============================================
action                     scope (the value)      allowed
=========================  =====================  ============================================
organisation.create        organisations:write    registry-admin
organisation.update        organisations:write    provider-admin(org), registry-admin
programme.write            programmes:write       provider-admin(org), registry-admin
keys.manage                keys:manage            provider-admin(org), registry-admin
credential.issue           credentials:issue      issuer(org), provider-admin(org),
                                                  registry-admin
credential.status          credentials:status     issuer(org), provider-admin(org),
                                                  registry-admin
credential.read            credentials:read       issuer(org), provider-admin(org),
                                                  registry-admin; the learner (``owner``)
accounts.manage            accounts:manage        provider-admin(org), registry-admin
application.manage         recognition:apply      provider-admin(org)
application.read           recognition:read       provider-admin(org), committee-member(body),
                                                  evaluator(body) (service: assigned),
                                                  registry-admin
application.assign         recognition:assign     committee-member(body)
application.review         recognition:review     evaluator(body) (service: assigned)
application.decide         recognition:decide     committee-member(body), never a member of org
audit.read                 audit:read             registry-admin, committee-member(any body)
wallet.read                wallet:read            every user, on their own wallet only
wallet.write               wallet:write           every user, on their own wallet only
creditbank.read            creditbank:read        every user, on their own credit bank account
creditbank.write           creditbank:write       every user, on their own credit bank account
creditbank.publish         creditbank:publish     registrar(org), provider-admin(org),
                                                  registry-admin
creditbank.decide          creditbank:decide      registrar(org)
records.write              records:write          registrar(org), provider-admin(org),
                                                  registry-admin
records.read               records:read           registrar(org), provider-admin(org),
                                                  registry-admin
ob.credential.read         …/ob/v3p0/scope/       every user, on their own wallet only
                           credential.readonly
ob.credential.upsert       …/credential.upsert    every user, on their own wallet only
ob.profile.read            …/profile.readonly     every user, their own profile only
ob.profile.update          …/profile.update       every user, their own profile only
clr.*                      …/clr/v2p0/scope/…     as the four ``ob.*`` above
=========================  =====================  ============================================

The ``ob.*`` and ``clr.*`` actions are the scopes of the Open Badges 3.0 and CLR 2.0 REST
APIs (``https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly`` …): what a
learner lets an application do with their wallet and profile through the authorization code
grant. They are self-service like the wallet's own scopes.

The credit bank's learner actions are self-service like the wallet's (an account is only ever
its owner's). ``creditbank.decide`` — reading, adjusting, approving and refusing the
applications for credit into an organisation's targets — is the registrar's alone: an
approval withdraws a learner's credits irrevocably, so no administrator role stands in.

The wallet actions are self-service: every signed-in user (not the console's operator, who is
no person) has a wallet, and a wallet is only ever its owner's — the services look it up by
the principal's user, so there is no organisation to ask about and no role that reaches
another learner's wallet, a registry admin's included.

Creating and updating an organisation share one scope, so :attr:`Action.ORGANISATION_CREATE`
and :attr:`Action.ORGANISATION_UPDATE` are two names of one member,
:attr:`Action.ORGANISATION_WRITE`; what tells them apart is the organisation: creating has
none yet. In general, an action asked about *no* organisation (``organisation=None``) is
allowed only to the roles that hold on every organisation (registry-admin) — a provider admin
administers *their* organisation, never "some" organisation.

``body``: the recognition body running the review. Evaluator and committee-member are roles
of recognition bodies only (the accounts service refuses them elsewhere), so when the caller
does not name the body (``recognition_body=None``), holding the role in any organisation
counts; with one, only a membership of that body does.

A token (``Principal.scopes`` not None) is allowed an action only if it carries the action's
scope *and* its owner's roles allow it; a web session (``scopes=None``) has every scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum

from credstack.core import vocabularies
from credstack.core.said import Named, Said


class Role(StrEnum):
    """What a user is in an organisation."""

    #: The organisation's administrator (any kind of organisation, the recognition body too).
    PROVIDER_ADMIN = "provider-admin"
    ISSUER = "issuer"
    EVALUATOR = "evaluator"
    COMMITTEE_MEMBER = "committee-member"
    #: The platform operator: allowed on every organisation.
    REGISTRY_ADMIN = "registry-admin"
    LEARNER = "learner"
    EMPLOYER = "employer"
    #: Decides applications for credit transfer into the organisation's programmes.
    REGISTRAR = "registrar"


#: Roles that only a recognition body's members may hold.
RECOGNITION_BODY_ROLES = frozenset({Role.EVALUATOR, Role.COMMITTEE_MEMBER})
#: The organisation of a membership that is not tied to one (a registry admin's).
PLATFORM = "*"


class Action(StrEnum):
    """Something a principal asks to do; the value is the OAuth scope that grants it."""

    ORGANISATION_WRITE = "organisations:write"
    #: Create an organisation (asked about no organisation): the same scope and member as
    #: :attr:`ORGANISATION_WRITE`.
    ORGANISATION_CREATE = "organisations:write"
    #: Update an organisation's profile: the same scope and member as :attr:`ORGANISATION_WRITE`.
    ORGANISATION_UPDATE = "organisations:write"
    PROGRAMME_WRITE = "programmes:write"
    KEYS_MANAGE = "keys:manage"
    CREDENTIAL_ISSUE = "credentials:issue"
    CREDENTIAL_STATUS = "credentials:status"
    CREDENTIAL_READ = "credentials:read"
    ACCOUNTS_MANAGE = "accounts:manage"
    APPLICATION_MANAGE = "recognition:apply"
    APPLICATION_READ = "recognition:read"
    APPLICATION_ASSIGN = "recognition:assign"
    APPLICATION_REVIEW = "recognition:review"
    APPLICATION_DECIDE = "recognition:decide"
    AUDIT_READ = "audit:read"
    WALLET_READ = "wallet:read"
    WALLET_WRITE = "wallet:write"
    CREDITBANK_READ = "creditbank:read"
    CREDITBANK_WRITE = "creditbank:write"
    CREDITBANK_PUBLISH = "creditbank:publish"
    CREDITBANK_DECIDE = "creditbank:decide"
    #: Import the students' academic records from the student-information system (issue 56).
    RECORDS_WRITE = "records:write"
    #: Read the students' academic records, their figures and history (issue 56).
    RECORDS_READ = "records:read"
    #: Import competency frameworks and edit their Japanese labels (issue 17).
    SKILLS_MANAGE = "skills:manage"
    OB_CREDENTIAL_READ = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
    OB_CREDENTIAL_UPSERT = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert"
    OB_PROFILE_READ = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
    OB_PROFILE_UPDATE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update"
    CLR_CREDENTIAL_READ = "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly"
    CLR_CREDENTIAL_UPSERT = "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.upsert"
    CLR_PROFILE_READ = "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.readonly"
    CLR_PROFILE_UPDATE = "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.update"

    @property
    def scope(self) -> str:
        """The OAuth 2.0 scope that grants this action to a token (the value)."""
        return self.value

    @property
    def description_en(self) -> str:
        return DESCRIPTIONS[self][1]

    @property
    def description_ja(self) -> str:
        return DESCRIPTIONS[self][0]


#: What each action is, for messages, as (ja, en).
DESCRIPTIONS: dict[Action, tuple[str, str]] = {
    Action(value): names
    for value, names in vocabularies.pairs("access-action", "ja", "en").items()}

#: The Open Badges 3.0 and CLR 2.0 REST API scopes (self-service: one's own wallet and
#: profile).
EXCHANGE_SCOPES: frozenset[Action] = frozenset({
    Action.OB_CREDENTIAL_READ, Action.OB_CREDENTIAL_UPSERT, Action.OB_PROFILE_READ,
    Action.OB_PROFILE_UPDATE, Action.CLR_CREDENTIAL_READ, Action.CLR_CREDENTIAL_UPSERT,
    Action.CLR_PROFILE_READ, Action.CLR_PROFILE_UPDATE})

#: Actions every user may take on their own records, whatever their roles.
SELF_SERVICE: frozenset[Action] = frozenset({Action.WALLET_READ, Action.WALLET_WRITE,
                                             Action.CREDITBANK_READ, Action.CREDITBANK_WRITE,
                                             *EXCHANGE_SCOPES})

#: The roles' names for messages, as (ja, en).
ROLE_NAMES: dict[Role, tuple[str, str]] = {
    Role(value): names for value, names in vocabularies.pairs("access-role", "ja", "en").items()}


@dataclass(frozen=True, slots=True)
class Membership:
    """A role in an organisation (its slug; :data:`PLATFORM` for a registry admin's)."""

    organisation: str
    role: Role


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a signed-in user, or an API client acting for its owner."""

    #: ``user:<id>`` or ``client:<client_id>`` — the audit log's actor.
    subject: str
    #: The user (an API client acts for its owner user).
    user_id: int | None
    email: str | None
    memberships: frozenset[Membership]
    #: A token's scopes; None for a web session (which may use all its roles allow).
    scopes: frozenset[str] | None = None

    def has_role(self, role: Role, organisation: str | None = None) -> bool:
        """Whether the principal holds ``role`` (in ``organisation``, when one is named)."""
        return any(m.role is role and (organisation is None or m.organisation == organisation)
                   for m in self.memberships)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(m.role for m in self.memberships)

    def organisations(self, role: Role | None = None) -> frozenset[str]:
        """The organisations the principal belongs to (with ``role``, when one is named)."""
        return frozenset(m.organisation for m in self.memberships
                         if m.organisation != PLATFORM and (role is None or m.role is role))


@dataclass(frozen=True, slots=True)
class Decision:
    """Allowed or not, and why (for the refusal message and the audit log): a message key
    and its values (``access.refused.role``), which the entrypoints word."""

    allowed: bool
    reason: Said

    def __bool__(self) -> bool:
        return self.allowed


class _Where(Enum):
    OWN = "own"          # a membership of the target organisation
    ANYWHERE = "any"     # the role, whatever the organisation (registry admin)
    BODY = "body"        # a membership of the recognition body (any one, if not named)


_R = Role
_W = _Where
#: Which role, held where, allows each action.
RULES: dict[Action, tuple[tuple[Role, _Where], ...]] = {
    Action.ORGANISATION_WRITE: ((_R.PROVIDER_ADMIN, _W.OWN), (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.PROGRAMME_WRITE: ((_R.PROVIDER_ADMIN, _W.OWN), (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.KEYS_MANAGE: ((_R.PROVIDER_ADMIN, _W.OWN), (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.CREDENTIAL_ISSUE: ((_R.ISSUER, _W.OWN), (_R.PROVIDER_ADMIN, _W.OWN),
                              (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.CREDENTIAL_STATUS: ((_R.ISSUER, _W.OWN), (_R.PROVIDER_ADMIN, _W.OWN),
                               (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.CREDENTIAL_READ: ((_R.ISSUER, _W.OWN), (_R.PROVIDER_ADMIN, _W.OWN),
                             (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.ACCOUNTS_MANAGE: ((_R.PROVIDER_ADMIN, _W.OWN), (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.APPLICATION_MANAGE: ((_R.PROVIDER_ADMIN, _W.OWN),),
    Action.APPLICATION_READ: ((_R.PROVIDER_ADMIN, _W.OWN), (_R.COMMITTEE_MEMBER, _W.BODY),
                              (_R.EVALUATOR, _W.BODY), (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.APPLICATION_ASSIGN: ((_R.COMMITTEE_MEMBER, _W.BODY),),
    Action.APPLICATION_REVIEW: ((_R.EVALUATOR, _W.BODY),),
    Action.APPLICATION_DECIDE: ((_R.COMMITTEE_MEMBER, _W.BODY),),
    Action.AUDIT_READ: ((_R.REGISTRY_ADMIN, _W.ANYWHERE), (_R.COMMITTEE_MEMBER, _W.ANYWHERE)),
    # Self-service (see SELF_SERVICE): no role reaches someone else's wallet.
    Action.WALLET_READ: (),
    Action.WALLET_WRITE: (),
    Action.CREDITBANK_READ: (),
    Action.CREDITBANK_WRITE: (),
    Action.CREDITBANK_PUBLISH: ((_R.REGISTRAR, _W.OWN), (_R.PROVIDER_ADMIN, _W.OWN),
                                (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.CREDITBANK_DECIDE: ((_R.REGISTRAR, _W.OWN),),
    Action.RECORDS_WRITE: ((_R.REGISTRAR, _W.OWN), (_R.PROVIDER_ADMIN, _W.OWN),
                           (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.RECORDS_READ: ((_R.REGISTRAR, _W.OWN), (_R.PROVIDER_ADMIN, _W.OWN),
                          (_R.REGISTRY_ADMIN, _W.ANYWHERE)),
    Action.SKILLS_MANAGE: ((_R.REGISTRY_ADMIN, _W.ANYWHERE),),
    **{action: () for action in EXCHANGE_SCOPES},
}


def roles_allowing(action: Action) -> frozenset[Role]:
    """The roles that can be allowed ``action`` on some organisation."""
    return frozenset(role for role, _ in RULES[action])


def usable_scopes(memberships: Iterable[Membership]) -> frozenset[str]:
    """The scopes a user with ``memberships`` can put to use (what their tokens may carry).

    ``credentials:read`` and the wallet's scopes are always among them: any user may read
    their own credentials and keep a wallet.
    """
    roles = {membership.role for membership in memberships}
    usable = {action.value for action, rules in RULES.items()
              if any(role in roles for role, _ in rules)}
    return frozenset(usable | {Action.CREDENTIAL_READ.value}
                     | {action.value for action in SELF_SERVICE})


def all_scopes() -> frozenset[str]:
    return frozenset(action.value for action in Action)


def decide(principal: Principal | None, action: Action, organisation: str | None, *,
           recognition_body: str | None = None, owner: str | None = None) -> Decision:
    """Whether ``principal`` may do ``action`` to a record of ``organisation``.

    ``recognition_body``: the body running the review (the ``application.*`` actions), when
    the caller knows it. ``owner``: the e-mail address of the learner a credential was issued
    to (``credential.read``: learners may read their own).
    """
    what = {"action": Named("access-action", action.value), "scope": action.value}
    where = {"organisation": organisation} if organisation else {}
    at = "_at" if organisation else ""
    if principal is None:
        return Decision(False, Said(f"access.refused.sign_in{at}", **what, **where))
    if principal.scopes is not None and action.value not in principal.scopes:
        return Decision(False, Said(f"access.refused.token_scope{at}", **what, **where))
    if (action is Action.CREDENTIAL_READ and owner and principal.email
            and principal.email.casefold() == owner.casefold()):
        return Decision(True, Said("access.allowed.issued_to_you"))
    if action in SELF_SERVICE:
        if principal.user_id is None:
            return Decision(False, Said("access.refused.own_account_only", **what))
        if action in (Action.CREDITBANK_READ, Action.CREDITBANK_WRITE):
            return Decision(True, Said("access.allowed.own_creditbank"))
        if action in EXCHANGE_SCOPES and action.value.endswith(("profile.readonly",
                                                                "profile.update")):
            return Decision(True, Said("access.allowed.own_profile"))
        return Decision(True, Said("access.allowed.own_wallet"))
    if (action is Action.APPLICATION_DECIDE and organisation
            and organisation in principal.organisations()):
        return Decision(False, Said("access.refused.applicant_member",
                                    organisation=organisation))
    for role, where_held in RULES[action]:
        if _holds(principal, role, where_held, organisation, recognition_body):
            return Decision(True, Said("access.allowed.role",
                                       role=Named("access-role", role.value)))
    return Decision(False, Said(f"access.refused.role{at}", **what, **where,
                                roles=_either(RULES[action])))


def _either(rules: tuple[tuple[Role, _Where], ...]) -> Said | Named:
    """The roles of ``rules``, each where it is held, said as alternatives ("a or b")."""
    (role, where), *rest = rules
    named = Named("access-role", role.value)
    held: Said | Named = named if where is _Where.ANYWHERE else Said(
        "access.role.of_organisation" if where is _Where.OWN else "access.role.of_body",
        role=named)
    return Said("access.role.or", first=held, then=_either(tuple(rest))) if rest else held


def _holds(principal: Principal, role: Role, where: _Where, organisation: str | None,
           recognition_body: str | None) -> bool:
    if where is _Where.ANYWHERE:
        return principal.has_role(role)
    if where is _Where.BODY:
        return principal.has_role(role, recognition_body)
    return organisation is not None and principal.has_role(role, organisation)
