"""SQLAlchemy tables of the programme store.

A programme is identified by its awarding organisation and its code; its content lives in
versions. A published version never changes (enforced here, in the repositories, and by a
database trigger); an edit of a published programme creates the next version, so the whole
history is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeEngine

JsonDocument: TypeEngine[Any] = JSON().with_variant(JSONB(), "postgresql")
#: A moment: date and time with its offset (stored in UTC), as every table keeps its times.
STAMP: Final[DateTime] = DateTime(timezone=True)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SealedSecret:
    """The columns of a private key kept sealed in the key store: which master key sealed it (a
    fingerprint derived from it, never the key), the AES-256-GCM ciphertext and tag of the
    raw secret or PKCS #8 DER private key, its 12-byte nonce, and when it was made."""

    master_key_id: Mapped[str] = mapped_column(String(32))
    encrypted_secret: Mapped[bytes] = mapped_column(LargeBinary)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


def one_active(name: str, *columns: str) -> Index:
    """A unique index over ``columns`` among the rows not retired: at most one active key
    (or certificate) per owner, a partial index on SQLite and PostgreSQL alike."""
    active = text("retired_at IS NULL")
    return Index(name, *columns, unique=True, sqlite_where=active, postgresql_where=active)


class OrganisationRow(Base):
    __tablename__ = "organisations"
    #: One organisation per corporate number (since 0043); organisations without one are many.
    __table_args__ = (Index("uq_organisations_corporate_number", "corporate_number",
                            unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    country: Mapped[str] = mapped_column(String(2))
    url: Mapped[str | None] = mapped_column(String(2048))
    #: The public contact address and description (a text per language), since 0016.
    email: Mapped[str | None] = mapped_column(String(320))
    description: Mapped[dict[str, str] | None] = mapped_column(JsonDocument)
    #: The corporate number (法人番号), since 0040.
    corporate_number: Mapped[str | None] = mapped_column(String(13))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)

    programmes: Mapped[list[ProgrammeRow]] = relationship(back_populates="organisation")


class ProgrammeRow(Base):
    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("organisation_id", "code", name="organisation_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    #: The newest version's number. Kept on the programme (updated in the same transaction
    #: as the version insert) so that lists need no per-programme MAX() subquery.
    latest_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)

    organisation: Mapped[OrganisationRow] = relationship(back_populates="programmes")
    versions: Mapped[list[ProgrammeVersionRow]] = relationship(
        back_populates="programme", order_by="ProgrammeVersionRow.version"
    )


class ProgrammeVersionRow(Base):
    __tablename__ = "programme_versions"
    __table_args__ = (
        UniqueConstraint("programme_id", "version", name="programme_version"),
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_programme_versions_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    descriptors: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: SHA-256 of the canonical JSON of ``descriptors``: identical re-imports are no-ops.
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    published_at: Mapped[dt.datetime | None] = mapped_column(STAMP)

    programme: Mapped[ProgrammeRow] = relationship(back_populates="versions")


class IssuerKeyRow(SealedSecret, Base):
    """An organisation's signing key; its secret only ever stored sealed (see ``keystore``).

    Keys are never deleted: a rotation sets ``retired_at`` so that credentials the key signed
    keep verifying. At most one key per organisation and key type is active (not retired),
    which a partial unique index holds on SQLite and PostgreSQL alike.
    """

    __tablename__ = "issuer_keys"
    __table_args__ = (
        UniqueConstraint("organisation_id", "fragment",
                         name="uq_issuer_keys_organisation_fragment"),
        CheckConstraint("key_type IN ('Ed25519', 'P-256', 'P-384', 'P-521')", name="key_type"),
        CheckConstraint("length(nonce) = 12", name="nonce_length"),
        one_active("uq_issuer_keys_active", "organisation_id", "key_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    key_type: Mapped[str] = mapped_column(String(16))
    #: The verification method's fragment (``key-1``, ``key-2``…), stable for the key's life.
    fragment: Mapped[str] = mapped_column(String(32))
    public_multibase: Mapped[str] = mapped_column(String(128))
    retired_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class StatusListRow(Base):
    """One slot of an organisation's status lists: a revocation and a suspension list.

    Both lists of a slot have the same size, and an index names the same credential in
    both, so a credential gets one allocation for its two status entries. ``allocated`` is
    a bitmap of the indexes given out (never reused); ``revocation`` and ``suspension`` are
    the bitstrings the signed list credentials publish. The signed credentials are cached in
    ``published``, keyed by purpose, and re-signed when ``changed_at`` is newer.
    """

    __tablename__ = "status_lists"
    __table_args__ = (
        UniqueConstraint("organisation_id", "number", name="uq_status_lists_organisation_number"),
        CheckConstraint("size > 0 AND size % 8 = 0", name="size"),
        CheckConstraint("used >= 0 AND used <= size", name="used"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: 1, 2, … per organisation: the list's place in its URL.
    number: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    #: How many indexes have been given out (the bits set in ``allocated``).
    used: Mapped[int] = mapped_column(Integer)
    allocated: Mapped[bytes] = mapped_column(LargeBinary)
    revocation: Mapped[bytes] = mapped_column(LargeBinary)
    suspension: Mapped[bytes] = mapped_column(LargeBinary)
    published: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    changed_at: Mapped[dt.datetime] = mapped_column(STAMP)
    published_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class IssuedCredentialRow(Base):
    """A credential credstack signed, as it was handed out, with its place in the status lists.

    ``request_key`` makes issuance idempotent: bulk issuance derives it from the
    organisation, programme version, learner and batch, so issuing the same cohort twice
    finds the stored credentials instead of signing new ones.
    """

    __tablename__ = "issued_credentials"
    __table_args__ = (
        UniqueConstraint("status_list_id", "status_index", name="uq_issued_credentials_status"),
        CheckConstraint("state IN ('active', 'suspended', 'revoked')", name="state"),
        Index("ix_issued_credentials_batch", "organisation_id", "batch"),
        # The workspace's list: an organisation's credentials newest first, and its filters.
        Index("ix_issued_credentials_listing", "organisation_id", "id"),
        Index("ix_issued_credentials_search", "organisation_id", "state",
              "programme_version_id", "issued_on", "batch", "learner", "learner_name"),
        # The daily expiry notices: an organisation's credentials ending soon.
        Index("ix_issued_credentials_valid_until", "organisation_id", "valid_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The credential's own ``id`` (``urn:uuid:…``).
    credential_id: Mapped[str] = mapped_column(String(2048), unique=True)
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    programme_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_versions.id"), index=True)
    #: The learner as the issuer named them (an e-mail address, a student number…).
    learner: Mapped[str | None] = mapped_column(String(500), index=True)
    batch: Mapped[str | None] = mapped_column(String(200))
    #: ``eddsa-rdfc-2022``, ``eddsa-jcs-2022`` or ``vc-jwt``.
    securing: Mapped[str] = mapped_column(String(32))
    #: The secured credential exactly as issued: JSON text, or a compact JWS for VC-JWT.
    document: Mapped[str] = mapped_column(String)
    status_list_id: Mapped[int] = mapped_column(ForeignKey("status_lists.id"))
    status_index: Mapped[int] = mapped_column(Integer)
    #: The purposes the credential has an entry for, comma-separated (``revocation,suspension``).
    purposes: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    #: When it was signed and stored.
    issued_at: Mapped[dt.datetime] = mapped_column(STAMP)
    state_changed_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The learner's name as the issuer gave it (names in several languages joined by " / "),
    #: for finding the credential; none for credentials issued from a VC-API request.
    learner_name: Mapped[str | None] = mapped_column(String(500))
    #: When the credential stops being valid, as its document says (``validUntil``,
    #: ``expirationDate`` or a VC-JWT's ``exp``); none: never.
    valid_until: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: Its date of issue, as its document says (``validFrom``: a cohort row's ``issued_on``,
    #: which may be before it was signed), else the day it was signed: the day people read.
    #: Always written; nullable only so that a SQLite store gains it without copying the
    #: table (which would cascade to the rows that refer to its credentials).
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=True)


class OrganisationCertificateRow(Base):
    """An organisation's X.509 certificate for signed PDFs (see ``adapters/pki.py``).

    ``role`` is ``authority`` — the organisation's certificate authority: a self-signed root
    credstack made, or an ``external`` CA certificate whose key credstack never keeps — or
    ``signing``, the document-signing certificate that authority issued. A key credstack
    holds is sealed like an issuer key (``keystore``): ``key_fragment`` names it in the
    sealed data. Certificates are never deleted: a replaced one is retired and stays a
    trust anchor for the PDFs it signed. One active certificate per organisation and role.

    A signing certificate can also be *revoked* (``revoked_at``, ``revocation_reason``, an
    RFC 5280 reason name), which retires it too. An authority credstack holds the key of
    keeps its current certificate revocation list (``crl``, DER) and the number of the last
    one it signed (``crl_number``, increasing, RFC 5280 §5.2.3).
    """

    __tablename__ = "organisation_certificates"
    __table_args__ = (
        UniqueConstraint("fingerprint", name="uq_organisation_certificates_fingerprint"),
        UniqueConstraint("organisation_id", "key_fragment",
                         name="uq_organisation_certificates_organisation_key_fragment"),
        CheckConstraint("role IN ('authority', 'signing')", name="role"),
        CheckConstraint("(key_fragment IS NULL) = (encrypted_secret IS NULL) AND "
                        "(key_fragment IS NULL) = (nonce IS NULL) AND "
                        "(key_fragment IS NULL) = (public_multibase IS NULL) AND "
                        "(key_fragment IS NULL) = (master_key_id IS NULL)",
                        name="sealed_key"),
        CheckConstraint("nonce IS NULL OR length(nonce) = 12", name="nonce_length"),
        Index("ix_organisation_certificates_subject_key_id", "subject_key_id"),
        one_active("uq_organisation_certificates_active", "organisation_id", "role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    #: The certificate, DER.
    certificate: Mapped[bytes] = mapped_column(LargeBinary)
    #: Hex of the subjectKeyIdentifier: how a signer's certificate finds its authority.
    subject_key_id: Mapped[str] = mapped_column(String(128))
    authority_key_id: Mapped[str | None] = mapped_column(String(128))
    #: SHA-256 of the DER, hex.
    fingerprint: Mapped[str] = mapped_column(String(64))
    not_before: Mapped[dt.datetime] = mapped_column(STAMP)
    not_after: Mapped[dt.datetime] = mapped_column(STAMP)
    #: An authority provided from outside: credstack has its certificate, never its key.
    external: Mapped[bool] = mapped_column(Boolean)
    key_fragment: Mapped[str | None] = mapped_column(String(32))
    public_multibase: Mapped[str | None] = mapped_column(String(128))
    master_key_id: Mapped[str | None] = mapped_column(String(32))
    encrypted_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    nonce: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    retired_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    revocation_reason: Mapped[str | None] = mapped_column(String(32))
    crl: Mapped[bytes | None] = mapped_column(LargeBinary)
    crl_number: Mapped[int | None] = mapped_column(Integer)



# Each domain's tables stand in a module of their own (which needs Base, defined above);
# the names are re-exported here.
from credstack.adapters.db.tables.accounts import AccessTokenRow as AccessTokenRow  # noqa: E402
from credstack.adapters.db.tables.accounts import ApiClientRow as ApiClientRow  # noqa: E402
from credstack.adapters.db.tables.accounts import LoginAttemptRow as LoginAttemptRow  # noqa: E402
from credstack.adapters.db.tables.accounts import MembershipRow as MembershipRow  # noqa: E402
from credstack.adapters.db.tables.accounts import PasswordResetRequestRow as PasswordResetRequestRow  # noqa: E402
from credstack.adapters.db.tables.accounts import PasswordResetRow as PasswordResetRow  # noqa: E402
from credstack.adapters.db.tables.accounts import UserRow as UserRow  # noqa: E402
from credstack.adapters.db.tables.accounts import WebSessionRow as WebSessionRow  # noqa: E402
from credstack.adapters.db.tables.activity import BatchActivityRow as BatchActivityRow  # noqa: E402
from credstack.adapters.db.tables.activity import CredentialActivityRow as CredentialActivityRow  # noqa: E402
from credstack.adapters.db.tables.activity import (  # noqa: E402
    OrganisationActivityRow as OrganisationActivityRow,
)
from credstack.adapters.db.tables.activity import (  # noqa: E402
    OrganisationNoticesRow as OrganisationNoticesRow,
)
from credstack.adapters.db.tables.audit import AuditEntryRow as AuditEntryRow  # noqa: E402
from credstack.adapters.db.tables.audit import AuditHeadRow as AuditHeadRow  # noqa: E402
from credstack.adapters.db.tables.console import (  # noqa: E402
    OrganisationSuspensionRow as OrganisationSuspensionRow,
)
from credstack.adapters.db.tables.console import PlatformCounterRow as PlatformCounterRow  # noqa: E402
from credstack.adapters.db.tables.console import (  # noqa: E402
    ProgrammeHidingRow as ProgrammeHidingRow,
)
from credstack.adapters.db.tables.console import (  # noqa: E402
    ProgrammeReportRow as ProgrammeReportRow,
)
from credstack.adapters.db.tables.console import (  # noqa: E402
    ProviderApplicationRow as ProviderApplicationRow,
)
from credstack.adapters.db.tables.console import (  # noqa: E402
    ProviderDocumentRow as ProviderDocumentRow,
)
from credstack.adapters.db.tables.creditbank import CreditAccountRow as CreditAccountRow  # noqa: E402
from credstack.adapters.db.tables.creditbank import CreditApplicationRow as CreditApplicationRow  # noqa: E402
from credstack.adapters.db.tables.creditbank import CreditDepositRow as CreditDepositRow  # noqa: E402
from credstack.adapters.db.tables.creditbank import CreditLedgerRow as CreditLedgerRow  # noqa: E402
from credstack.adapters.db.tables.creditbank import CreditTargetRow as CreditTargetRow  # noqa: E402
from credstack.adapters.db.tables.federation import (  # noqa: E402
    FederationIntermediateRow as FederationIntermediateRow,
)
from credstack.adapters.db.tables.federation import FederationKeyRow as FederationKeyRow  # noqa: E402
from credstack.adapters.db.tables.federation_imports import (  # noqa: E402
    FederationListingDidRow as FederationListingDidRow,
)
from credstack.adapters.db.tables.federation_imports import (  # noqa: E402
    FederationListingRow as FederationListingRow,
)
from credstack.adapters.db.tables.federation_imports import (  # noqa: E402
    FederationSourceRow as FederationSourceRow,
)
from credstack.adapters.db.tables.invitations import InvitationRow as InvitationRow  # noqa: E402
from credstack.adapters.db.tables.jobs import JobFileRow as JobFileRow  # noqa: E402
from credstack.adapters.db.tables.jobs import JobRow as JobRow  # noqa: E402
from credstack.adapters.db.tables.logos import OrganisationLogoRow as OrganisationLogoRow  # noqa: E402
from credstack.adapters.db.tables.logos import (  # noqa: E402
    ProgrammeBadgeStyleRow as ProgrammeBadgeStyleRow,
)
from credstack.adapters.db.tables.lti import LtiDeploymentRow as LtiDeploymentRow  # noqa: E402
from credstack.adapters.db.tables.lti import LtiIdentityRow as LtiIdentityRow  # noqa: E402
from credstack.adapters.db.tables.lti import LtiLaunchRow as LtiLaunchRow  # noqa: E402
from credstack.adapters.db.tables.lti import LtiLearnerRow as LtiLearnerRow  # noqa: E402
from credstack.adapters.db.tables.lti import LtiLinkRow as LtiLinkRow  # noqa: E402
from credstack.adapters.db.tables.lti import LtiLoginRow as LtiLoginRow  # noqa: E402
from credstack.adapters.db.tables.lti import LtiPlatformRow as LtiPlatformRow  # noqa: E402
from credstack.adapters.db.tables.lti import (  # noqa: E402
    LtiRegistrationTokenRow as LtiRegistrationTokenRow,
)
from credstack.adapters.db.tables.lti import LtiToolKeyRow as LtiToolKeyRow  # noqa: E402
from credstack.adapters.db.tables.mail import MailOutboxRow as MailOutboxRow  # noqa: E402
from credstack.adapters.db.tables.mail import MailSenderRow as MailSenderRow  # noqa: E402
from credstack.adapters.db.tables.oauth import OAuthClientRow as OAuthClientRow  # noqa: E402
from credstack.adapters.db.tables.oauth import OAuthCodeRow as OAuthCodeRow  # noqa: E402
from credstack.adapters.db.tables.oauth import (  # noqa: E402
    OAuthPushedRequestRow as OAuthPushedRequestRow,
)
from credstack.adapters.db.tables.oauth import OAuthTokenRow as OAuthTokenRow  # noqa: E402
from credstack.adapters.db.tables.oid4vc import Oid4vciNonceRow as Oid4vciNonceRow  # noqa: E402
from credstack.adapters.db.tables.oid4vc import Oid4vciOfferRow as Oid4vciOfferRow  # noqa: E402
from credstack.adapters.db.tables.oid4vc import Oid4vpRequestRow as Oid4vpRequestRow  # noqa: E402
from credstack.adapters.db.tables.passkeys import PasskeyChallengeRow as PasskeyChallengeRow  # noqa: E402
from credstack.adapters.db.tables.passkeys import PasskeyRow as PasskeyRow  # noqa: E402
from credstack.adapters.db.tables.passkeys import PasswordsOffRow as PasswordsOffRow  # noqa: E402
from credstack.adapters.db.tables.public_profiles import (  # noqa: E402
    PublicProfileItemRow as PublicProfileItemRow,
)
from credstack.adapters.db.tables.public_profiles import PublicProfileRow as PublicProfileRow  # noqa: E402
from credstack.adapters.db.tables.recognitions import RecognitionRow as RecognitionRow  # noqa: E402
from credstack.adapters.db.tables.registrar import (  # noqa: E402
    RegistrarRecordVersionRow as RegistrarRecordVersionRow,
)
from credstack.adapters.db.tables.registrar import RegistrarResultRow as RegistrarResultRow  # noqa: E402
from credstack.adapters.db.tables.registrar import RegistrarStudentRow as RegistrarStudentRow  # noqa: E402
from credstack.adapters.db.tables.registrar_documents import (  # noqa: E402
    RegistrarDocumentRow as RegistrarDocumentRow,
)
from credstack.adapters.db.tables.registrar_documents import (  # noqa: E402
    RegistrarDocumentStatusRow as RegistrarDocumentStatusRow,
)
from credstack.adapters.db.tables.registrar_requests import (  # noqa: E402
    RegistrarDeliveryEventRow as RegistrarDeliveryEventRow,
)
from credstack.adapters.db.tables.registrar_requests import (  # noqa: E402
    RegistrarRecordHolderRow as RegistrarRecordHolderRow,
)
from credstack.adapters.db.tables.registrar_requests import (  # noqa: E402
    RegistrarRequestRow as RegistrarRequestRow,
)
from credstack.adapters.db.tables.registrar_requests import (  # noqa: E402
    RegistrarRequestRuleRow as RegistrarRequestRuleRow,
)
from credstack.adapters.db.tables.review import ApplicationRow as ApplicationRow  # noqa: E402
from credstack.adapters.db.tables.review import AssignmentRow as AssignmentRow  # noqa: E402
from credstack.adapters.db.tables.review import DecisionRow as DecisionRow  # noqa: E402
from credstack.adapters.db.tables.review import EvidenceFileRow as EvidenceFileRow  # noqa: E402
from credstack.adapters.db.tables.review import MessageRow as MessageRow  # noqa: E402
from credstack.adapters.db.tables.review import NotificationRow as NotificationRow  # noqa: E402
from credstack.adapters.db.tables.review import ReviewRow as ReviewRow  # noqa: E402
from credstack.adapters.db.tables.sign_ups import SignUpRow as SignUpRow  # noqa: E402
from credstack.adapters.db.tables.skills import EmployerRoleRow as EmployerRoleRow  # noqa: E402
from credstack.adapters.db.tables.skills import SkillAlignmentRow as SkillAlignmentRow  # noqa: E402
from credstack.adapters.db.tables.skills import SkillAssociationRow as SkillAssociationRow  # noqa: E402
from credstack.adapters.db.tables.skills import SkillFrameworkRow as SkillFrameworkRow  # noqa: E402
from credstack.adapters.db.tables.skills import SkillItemRow as SkillItemRow  # noqa: E402
from credstack.adapters.db.tables.skills import SkillLabelRow as SkillLabelRow  # noqa: E402
from credstack.adapters.db.tables.sso import SsoIdentityRow as SsoIdentityRow  # noqa: E402
from credstack.adapters.db.tables.sso import SsoPendingLinkRow as SsoPendingLinkRow  # noqa: E402
from credstack.adapters.db.tables.sso import SsoProviderRow as SsoProviderRow  # noqa: E402
from credstack.adapters.db.tables.sso import SsoRoleRuleRow as SsoRoleRuleRow  # noqa: E402
from credstack.adapters.db.tables.sso import SsoSamlSessionRow as SsoSamlSessionRow  # noqa: E402
from credstack.adapters.db.tables.sso import SsoSpentStateRow as SsoSpentStateRow  # noqa: E402
from credstack.adapters.db.tables.wallet import HolderKeyRow as HolderKeyRow  # noqa: E402
from credstack.adapters.db.tables.wallet import WalletCollectionItemRow as WalletCollectionItemRow  # noqa: E402
from credstack.adapters.db.tables.wallet import WalletCollectionRow as WalletCollectionRow  # noqa: E402
from credstack.adapters.db.tables.wallet import WalletCredentialRow as WalletCredentialRow  # noqa: E402
from credstack.adapters.db.tables.wallet import WalletDismissedRow as WalletDismissedRow  # noqa: E402
from credstack.adapters.db.tables.wallet import WalletIdentifierRow as WalletIdentifierRow  # noqa: E402
from credstack.adapters.db.tables.wallet import WalletShareRow as WalletShareRow  # noqa: E402
from credstack.adapters.db.tables.wallet import WalletTagRow as WalletTagRow  # noqa: E402
