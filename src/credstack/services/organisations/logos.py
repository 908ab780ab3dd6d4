"""An organisation's logo: set and removed by whoever may update the organisation, shown to
everyone on its public profile and drawn on its badges.

* :func:`set_logo` screens the upload (:func:`credstack.core.images.logos.screen_logo`: size,
  PNG/JPEG/SVG by their bytes, scripts and external references in SVG, decompression bombs),
  draws the small PNG its badges embed, keeps both and records ``organisation.logo_set``
  (its media type, size and SHA-256); the same logo sent twice changes nothing the second
  time and is recorded once.
* :func:`remove_logo` removes it (``organisation.logo_removed``).
* :func:`logo` — the logo as kept, for anyone (it is public, like the profile); and
  :func:`logo_png` — the small PNG drawn from it, which the e-mails show (mail programs show
  no SVG). The badge designs read that PNG themselves (:mod:`credstack.services.badges.service`).
"""

from __future__ import annotations

from credstack.adapters.db.repositories import logos as store
from credstack.adapters.db.repositories.logos import StoredLogo
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.core.access import Action, Actor
from credstack.core.images.logos import badge_logo, screen_logo
from credstack.services import audit
from credstack.services.badges import badge_fonts
from credstack.services.runtime import Runtime

__all__ = ["StoredLogo", "logo", "logo_png", "remove_logo", "set_logo"]


def set_logo(runtime: Runtime, *, actor: Actor, organisation: str, data: bytes,
             filename: str | None = None, media_type: str | None = None) -> StoredLogo:
    """Keep the upload ``data`` (``filename`` and ``media_type`` as declared) as the
    organisation's logo once screened; what is kept. The errors of
    :func:`~credstack.core.images.logos.screen_logo` say why an upload is refused."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    logo = screen_logo(data, filename=filename, media_type=media_type)
    raster = badge_logo(logo, font_files=badge_fonts().files)
    now = runtime.now()
    with runtime.transaction() as session:
        row = existing_row(session, organisation)
        changed = store.set_logo(session, organisation_id=row.id, media_type=logo.kind.value,
                                 data=logo.data, raster=raster, sha256=logo.sha256, now=now)
        if changed:
            audit.record(session, at=now, actor=principal.subject,
                         action="organisation.logo_set", subject=f"organisation:{organisation}",
                         details={"media_type": logo.kind.value, "bytes": len(logo.data),
                                  "sha256": logo.sha256})
        kept = store.logo(session, slug=organisation)
    assert kept is not None
    return kept


def remove_logo(runtime: Runtime, *, actor: Actor, organisation: str) -> bool:
    """Remove the organisation's logo; whether it had one."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        removed = store.forget_logo(session, organisation_id=existing_row(session,
                                                                          organisation).id)
        if removed:
            audit.record(session, at=now, actor=principal.subject,
                         action="organisation.logo_removed",
                         subject=f"organisation:{organisation}", details={})
    return removed


def logo(runtime: Runtime, *, organisation: str) -> StoredLogo | None:
    """The organisation's logo, if it has one (public)."""
    with runtime.transaction() as session:
        return store.logo(session, slug=organisation)


def logo_png(runtime: Runtime, *, organisation: str) -> bytes | None:
    """The small PNG drawn from the organisation's logo, if it has one (public)."""
    with runtime.transaction() as session:
        return store.badge_logo(session, slug=organisation)
