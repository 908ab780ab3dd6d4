"""A learner's public profile, opt-in: ``/@{handle}`` shows the credentials they chose.

* :func:`own_profile` — the learner's profile as they set it (``None`` before they make one).
* :func:`save_profile` — make or change it: the handle (:func:`credstack.core.wallet.handles.
  parse_handle`; one taken by someone else is refused), the name and line shown, and which of
  their credentials; saving shows it. Audited ``wallet.profile.saved``.
* :func:`hide_profile` — hidden at once (``/@{handle}`` answers 410 from then on; the handle
  stays theirs, so that nobody else takes over its links). Audited ``wallet.profile.hidden``.
* :func:`public_profile` — what the page shows to anyone: each chosen credential verified
  again now, grouped by the learner's collections; the skills and levels the verified ones
  state; their hours and credits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import public_profiles as profile_store
from credstack.core.access import Action, Actor
from credstack.core.verification import VerificationReport
from credstack.core.verification.skills import Skill
from credstack.core.wallet.entries import Totals, totals_of
from credstack.core.wallet.handles import parse_handle
from credstack.errors import GoneError, InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.wallet.credentials import recheck_all
from credstack.services.wallet.holders import wallet_owner
from credstack.services.wallet.items import WalletItem, owned_row

__all__ = ["OwnProfile", "PublicProfile", "hide_profile", "own_profile", "public_profile",
           "save_profile"]

MAX_NAME: Final = 200
MAX_HEADLINE: Final = 300
MAX_ITEMS: Final = 100


@dataclass(frozen=True, slots=True)
class OwnProfile:
    handle: str
    name: str
    headline: str
    shown: bool
    #: The wallet credentials chosen (public ids).
    chosen: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PublicProfile:
    handle: str
    name: str
    headline: str
    #: (collection name or ``None`` for those in none, [(item, report now)]).
    groups: tuple[tuple[str | None, tuple[tuple[WalletItem, VerificationReport], ...]], ...]
    skills: tuple[Skill, ...]
    #: (framework, the highest level the verified credentials reach in it).
    levels: tuple[tuple[str, int], ...]
    totals: Totals


def own_profile(runtime: Runtime, *, actor: Actor) -> OwnProfile | None:
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        row = profile_store.own(session, principal.user_id)
        if row is None:
            return None
        return OwnProfile(row.handle, row.name, row.headline, row.shown,
                          tuple(profile_store.chosen(session, row.id)))


def save_profile(runtime: Runtime, *, actor: Actor, handle: str, name: str, headline: str,
                 credentials: list[str]) -> OwnProfile:
    """Make or change the caller's profile and show it (see the module)."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    wanted = parse_handle(handle)
    name, headline = " ".join(name.split()), " ".join(headline.split())
    problems = []
    if not 1 <= len(name) <= MAX_NAME:
        problems.append(Problem("name", code="wallet.refused.profile_name_length",
                                        params={"max_name": MAX_NAME}))
    if len(headline) > MAX_HEADLINE:
        problems.append(Problem("headline", code="wallet.refused.profile_headline_length",
                                            params={"max_headline": MAX_HEADLINE}))
    if len(credentials) > MAX_ITEMS:
        problems.append(Problem("credentials", code="wallet.refused.profile_items",
                                               params={"max_items": MAX_ITEMS}))
    if problems:
        raise InputError(code="wallet.refused.profile_invalid",
                         problems=problems)
    now = runtime.now()
    with runtime.transaction() as session:
        taken = profile_store.by_handle(session, wanted)
        if taken is not None and taken.user_id != principal.user_id:
            raise _taken(wanted)
        rows = [owned_row(session, principal.user_id, public_id)
                for public_id in dict.fromkeys(credentials)]
        if not profile_store.save(session, user_id=principal.user_id, handle=wanted, name=name,
                                  headline=headline, credentials=[item.id for item in rows],
                                  at=now):
            raise _taken(wanted)  # by someone else at the same moment
        audit.record(session, at=now, actor=principal.subject, action="wallet.profile.saved",
                     subject=f"profile:{wanted}", details={"credentials": len(rows)})
    return OwnProfile(wanted, name, headline, True,
                      tuple(dict.fromkeys(credentials)))


def _taken(handle: str) -> InputError:
    return InputError(code="wallet.refused.handle_taken", params={"handle": handle},
                      problems=[Problem("handle", code="wallet.refused.handle_taken_hint",
                                                  params={"handle": handle})])


def hide_profile(runtime: Runtime, *, actor: Actor) -> None:
    """Hide the caller's profile now (see the module)."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        row = profile_store.own(session, principal.user_id)
        if row is None or not row.shown:
            return
        profile_store.hide(session, row.id, at=now)
        audit.record(session, at=now, actor=principal.subject, action="wallet.profile.hidden",
                     subject=f"profile:{row.handle}", details={})


def public_profile(runtime: Runtime, *, handle: str) -> PublicProfile:
    """What ``/@{handle}`` shows to anyone; NotFoundError for no such profile, GoneError
    for a hidden one."""
    wanted = handle.strip().lower()
    with runtime.transaction() as session:
        row = profile_store.by_handle(session, wanted)
        if row is None:
            raise NotFoundError(code="wallet.refused.no_profile", params={"wanted": wanted})
        if not row.shown:
            raise GoneError(code="wallet.refused.profile_hidden", params={"wanted": wanted})
        public_ids = profile_store.chosen(session, row.id)
        user_id, handle_, name, headline = row.user_id, row.handle, row.name, row.headline
    checked = recheck_all(runtime, user_id=user_id, public_ids=public_ids) if public_ids else []
    now = runtime.now()
    groups: dict[str | None, list[tuple[WalletItem, VerificationReport]]] = {}
    for item, report in checked:
        where = item.collections[0][1] if item.collections else None
        groups.setdefault(where, []).append((item, report))
    counted = [item for item, _ in checked if item.verified(now)]
    skills: dict[tuple[str, ...], Skill] = {}
    levels: dict[str, int] = {}
    for item in counted:
        for skill in item.entry.skills:
            skills.setdefault((skill.url or "", *sorted(skill.name.values())), skill)
        for framework, level in item.entry.levels:
            levels[framework] = max(level, levels.get(framework, level))
    ordered = sorted(groups.items(), key=lambda pair: (pair[0] is None, pair[0] or ""))
    return PublicProfile(handle_, name, headline,
                         tuple((group, tuple(items)) for group, items in ordered),
                         tuple(skills.values()), tuple(sorted(levels.items())),
                         totals_of(item.entry for item in counted))

