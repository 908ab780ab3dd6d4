"""An organisation's public profile as its administrator edits it in the workspace:
its names (Japanese and English), web site, contact address, description and corporate
number (法人番号, checked against its check digit; the federation states it).

The slug, kind and country stay as they are. The change is
:func:`credstack.services.organisations.service.update_organisation`'s (audited as
``organisation.updated`` with the fields that changed; the same profile sent twice changes
nothing the second time). There is no logo yet: organisations have no image to upload.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from credstack.adapters.db.repositories.organisations import StoredOrganisation
from credstack.core.access import Action, Actor
from credstack.core.console.corporate_number import corporate_number
from credstack.core.organisations import Organisation
from credstack.errors import InputError, Problem
from credstack.services import organisations
from credstack.services.runtime import Runtime

__all__ = ["ProfileForm", "profile", "update_profile"]

#: What each field of the form is called in a refusal, by the model's location.
_FIELDS = {"name": "name_ja", "url": "url", "email": "email", "description": "description_ja"}


@dataclass(frozen=True, slots=True)
class ProfileForm:
    """The profile as the form sends it: empty strings for what is left out."""

    name_ja: str
    name_en: str
    url: str
    email: str
    description_ja: str
    description_en: str
    corporate_number: str = ""


def profile(runtime: Runtime, *, actor: Actor, organisation: str) -> StoredOrganisation:
    """The organisation as its profile form starts (for whoever may update it)."""
    actor.require(Action.ORGANISATION_UPDATE, organisation)
    return organisations.get_organisation(runtime, slug=organisation)


def _texts(ja: str, en: str) -> dict[str, str] | None:
    texts = {tag: text.strip() for tag, text in (("ja", ja), ("en", en)) if text.strip()}
    return texts or None


def update_profile(runtime: Runtime, *, actor: Actor, organisation: str, form: ProfileForm
                   ) -> StoredOrganisation:
    """Save the profile; InputError naming each field that is wrong (``name_ja`` when no
    name is given in either language, ``url``, ``email``, ``description_ja``,
    ``corporate_number``)."""
    actor.require(Action.ORGANISATION_UPDATE, organisation)
    current = organisations.get_organisation(runtime, slug=organisation).organisation
    names = _texts(form.name_ja, form.name_en)
    if names is None:
        raise InputError(code="workspace.refused.name_missing",
                         problems=[Problem("name_ja", "required")])
    number = corporate_number(form.corporate_number) if form.corporate_number.strip() else None
    document = {**current.to_document(), "name": names, "corporate_number": number,
                "url": form.url.strip() or None, "email": form.email.strip() or None,
                "description": _texts(form.description_ja, form.description_en)}
    try:
        changed = Organisation.model_validate(document)
    except ValidationError as exc:
        problems = [Problem(_FIELDS.get(str(error["loc"][0]), str(error["loc"][0])),
                            error["msg"]) for error in exc.errors()]
        raise InputError(code="workspace.refused.profile_invalid", params={
            "faults": "; ".join(f"{p.location}: {p.message}" for p in problems)},
            problems=problems) from None
    return organisations.update_organisation(runtime, actor=actor, slug=organisation,
                                             organisation=changed)
