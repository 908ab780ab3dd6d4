"""Every message the pages show, as (ja, en), merged from one module per area.

Placeholders use ``str.format`` names. A key ending in ``.one`` is the English singular of
the key without it (see :meth:`~credstack.entrypoints.web.i18n.translator.Translator.plural`).
Keys are prefixed by their area, so no two catalogues share one (checked as they merge).
"""

from __future__ import annotations

from collections.abc import Mapping

from credstack.entrypoints.web.i18n import (
    accounts,
    activity,
    common,
    console,
    creditbank,
    editor,
    elm,
    federation,
    issuing,
    jobs,
    lti,
    mailbox,
    oauth,
    oid4vc,
    programmes,
    public_profile,
    registry,
    review,
    shares,
    skills,
    targets,
    verification,
    verify_compare,
    wallet,
    workspace,
)


def _merged(*catalogues: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for catalogue in catalogues:
        clash = merged.keys() & catalogue.keys()
        if clash:
            raise ValueError(f"message keys defined twice: {sorted(clash)}")
        merged.update(catalogue)
    return merged


MESSAGES: Mapping[str, tuple[str, str]] = _merged(
    common.MESSAGES, programmes.MESSAGES, registry.MESSAGES, verification.MESSAGES,
    accounts.MESSAGES, review.MESSAGES, wallet.MESSAGES, shares.MESSAGES, jobs.MESSAGES,
    verify_compare.MESSAGES, editor.MESSAGES, workspace.MESSAGES, issuing.MESSAGES,
    creditbank.MESSAGES, targets.MESSAGES, oauth.MESSAGES,
    oid4vc.MESSAGES, skills.MESSAGES, mailbox.MESSAGES, console.MESSAGES,
    activity.MESSAGES, public_profile.MESSAGES, elm.MESSAGES, lti.MESSAGES,
    federation.MESSAGES)
