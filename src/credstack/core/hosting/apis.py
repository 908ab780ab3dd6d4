"""The two REST APIs credstack hosts: Open Badges 3.0 (§6, https://www.imsglobal.org/spec/ob/
v3p0/#api) and CLR 2.0 (§6, https://www.imsglobal.org/spec/clr/v2p0/#api). They have the same
operations — ``getCredentials``, ``upsertCredential``, ``getProfile``, ``putProfile``,
``getServiceDescription`` — under their own base path, each with its scopes and the kind of
credential it carries (OB: ``OpenBadgeCredential``/``AchievementCredential``; CLR:
``ClrCredential``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from credstack.core.access.policy import Action


class Operation(StrEnum):
    READ_CREDENTIALS = "getCredentials"
    UPSERT_CREDENTIAL = "upsertCredential"
    READ_PROFILE = "getProfile"
    UPDATE_PROFILE = "putProfile"


@dataclass(frozen=True, slots=True)
class Api:
    name: str
    title: str
    #: Under the public URL.
    base_path: str
    version: str
    #: The credential types it carries (any one of them).
    credential_types: frozenset[str]
    #: The wallet's kind of credential (:func:`credstack.services.formats.detect`): ``vc`` or
    #: ``clr``.
    wallet_kind: str
    actions: dict[Operation, Action]
    #: The response schema's name in the OpenAPI document.
    response_schema: str

    def scope(self, operation: Operation) -> str:
        return self.actions[operation].value


OPEN_BADGES = Api(
    name="ob", title="Open Badges 3.0", base_path="/ims/ob/v3p0", version="3.0",
    credential_types=frozenset({"OpenBadgeCredential", "AchievementCredential"}),
    wallet_kind="vc", response_schema="GetOpenBadgeCredentialsResponse",
    actions={Operation.READ_CREDENTIALS: Action.OB_CREDENTIAL_READ,
             Operation.UPSERT_CREDENTIAL: Action.OB_CREDENTIAL_UPSERT,
             Operation.READ_PROFILE: Action.OB_PROFILE_READ,
             Operation.UPDATE_PROFILE: Action.OB_PROFILE_UPDATE})

CLR = Api(
    name="clr", title="Comprehensive Learner Record 2.0", base_path="/ims/clr/v2p0",
    version="2.0", credential_types=frozenset({"ClrCredential"}), wallet_kind="clr",
    response_schema="GetClrCredentialsResponse",
    actions={Operation.READ_CREDENTIALS: Action.CLR_CREDENTIAL_READ,
             Operation.UPSERT_CREDENTIAL: Action.CLR_CREDENTIAL_UPSERT,
             Operation.READ_PROFILE: Action.CLR_PROFILE_READ,
             Operation.UPDATE_PROFILE: Action.CLR_PROFILE_UPDATE})

APIS = (OPEN_BADGES, CLR)
