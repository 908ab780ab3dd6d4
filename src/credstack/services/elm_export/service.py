"""A credential credstack issued, as a sealed European Digital Credential; a published
programme as an ELM dataset.

The EDC is made on request from the stored Open Badges 3.0 credential (what it says, and no
more: :mod:`credstack.core.elm.conversion`), with the credential's badge image for Europass
to show, and sealed as JAdES-B with the key and certificate chain the organisation signs its
PDF certificates with (:mod:`credstack.services.certificates`; made on first use). Revoked
and suspended credentials get none, as they get no PDF. Nothing is stored: the same
credential gives the same EDC but for the seal's time and signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.certificates import read_credential
from credstack.core.descriptors.elm.datasets import dataset, public_pages
from credstack.core.descriptors.elm.export import PROFILE_31, Profile
from credstack.core.descriptors.elm.register import register_dataset
from credstack.core.elm import sealing
from credstack.core.elm.conversion import edc_of_openbadge
from credstack.errors import ConflictError, NotFoundError, Problem
from credstack.services import badges, certificates, skills, wallet
from credstack.services.runtime import Runtime

__all__ = ["EdcFile", "credential_edc", "programme_dataset", "wallet_edc"]

MEDIA_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class EdcFile:
    filename: str
    data: bytes


def _filename(credential_id: str, language: str) -> str:
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", credential_id.rsplit(":", 1)[-1]).strip("-.")
    return f"edc-{tail or 'credential'}-{language}.json"


def _sealed(session: Session, runtime: Runtime, credential_id: str, language: str,
            profile: Profile) -> EdcFile:
    stored = credential_store.get_credential(session, credential_id=credential_id)
    if stored.state != "active":
        raise ConflictError(f"{credential_id} is {stored.state}: credstack makes EDCs of "
                            f"active credentials only. / {stored.state} の証明からは EDC を"
                            "作成しません。")
    row = organisation_store.find_row(session, stored.organisation)
    if row is None:
        raise NotFoundError(f"No organisation {stored.organisation!r}. / 組織がありません。")
    settings = runtime.settings
    now = runtime.now()
    image = badges.render_badge_png(badges.design_for_stored(
        session, stored, public_url=settings.public_url)).png
    credential = edc_of_openbadge(
        read_credential(stored.document), organisation=organisation_store.to_organisation(row),
        issued=now, images={"ja": image, "en": image}, primary_language=language,
        profile=profile, public_url=settings.public_url)
    identity = certificates.signing_identity(session, organisation=stored.organisation,
                                    secret=runtime.key(), now=now,
                                    public_url=settings.public_url)
    sealed = sealing.seal_credential(credential, key=identity.private_key,
                                     certificate=identity.certificate, chain=identity.chain,
                                     signing_time=now)
    return EdcFile(_filename(credential_id, language), orjson.dumps(sealed))


def credential_edc(runtime: Runtime, *, actor: Actor, credential_id: str,
                   language: str = "ja", profile: Profile = PROFILE_31) -> EdcFile:
    """The sealed EDC of a credential credstack issued, for its issuer's staff or its
    learner (``language``: the primary language Europass shows it in)."""
    actor.user()
    with runtime.transaction() as session:
        stored = credential_store.get_credential(session, credential_id=credential_id)
        actor.require(Action.CREDENTIAL_READ, stored.organisation, owner=stored.learner)
        return _sealed(session, runtime, credential_id, language, profile)


def wallet_edc(runtime: Runtime, *, actor: Actor, public_id: str, language: str = "ja",
               profile: Profile = PROFILE_31) -> EdcFile:
    """The sealed EDC of the caller's wallet credential ``public_id``, issued on this
    platform to one of the caller's identifiers."""
    principal = wallet.wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        credential_id = wallet.issued_here(session, principal.user_id, public_id)
        if credential_id is None:
            raise NotFoundError(
                "This credential was not issued on this platform to one of your identifiers, "
                "so credstack cannot make its EDC; ask its issuer. / この証明はこのプラット"
                "フォームで発行されたものではないため、EDC を作成できません。")
        return _sealed(session, runtime, credential_id, language, profile)


def programme_dataset(runtime: Runtime, *, programme_id: int, register: bool = False
                      ) -> dict[str, Any]:
    """The newest published version of a programme as an ELM dataset: its organisation, its
    specification and its learning opportunities (every descriptor in the extension; the
    offers' homepage the programme's public page when it names none). ``register``: the
    Register profile (docs/elm-export.md), refused (409) with the reasons, in English and
    Japanese, when the Register would not take the programme."""
    with runtime.transaction() as session:
        stored = programme_store.get_published_programme(session, programme_id=programme_id)
        row = organisation_store.find_row(session, stored.organisation_slug)
        organisations = [organisation_store.to_organisation(row)] if row is not None else []
        programme = skills.aligned_programme(session, programme_id, stored.programme)
    pages = public_pages(runtime.settings.public_url,
                            {(stored.organisation_slug, programme.code): programme_id})
    if not register:
        return dataset(organisations, [programme], pages=pages)
    made = register_dataset(organisations, [programme], pages=pages)
    if made.left_out:
        raise ConflictError(
            f"The Qualification Dataset Register would not take programme {programme_id}. / "
            f"プログラム {programme_id} は資格データセット登録簿の受け付ける資格ではありません。",
            problems=[Problem("programme", reason.en, reason.ja, reason.key)
                      for item in made.left_out for reason in item.reasons])
    return made.dataset
