"""Badge images at the edge: fonts, rendering, and credentials baked into images.

The core makes the design (:mod:`credstack.core.images.badge_svg`), renders it
(:mod:`credstack.core.images.badge_png`) and bakes and extracts
(:mod:`credstack.core.credentials.baking_png`, :mod:`credstack.core.credentials.baking_svg`).
What needs the machine or the store is here, for the web routes and the CLI:

* :func:`extract_credential` — the credential baked into image bytes, PNG recognised by its
  signature and SVG by its content (XML). For ``credstack verify`` and
  ``POST /credentials/verify``: an OB 3.0 result's ``text`` is what the verifier takes; an
  OB 2.0 one's is what :func:`credstack.services.openbadges_v2.service.verify_ob2` takes.
* :func:`bake` — bake credential text into a PNG or SVG (the standard judged from the
  credential unless given); :func:`credential_text` reads a credential file (JSON, a compact
  JWS, or the VC-API's ``{"verifiableCredential": …}`` and enveloped forms).
* :func:`badge_fonts` — the fonts found on this machine: Noto Sans CJK (Debian
  ``fonts-noto-cjk``, as CI installs) or another Japanese font; failing that, a Latin font,
  and badges are rendered with their Latin texts only (:attr:`RenderedPng.latin_only`).
  With no font at all, rendering raises :class:`~credstack.errors.ConfigurationError`.
* :func:`render_badge_png` — a design rendered to PNG, cached (designs are immutable).
* :func:`badge_logo` — the awarding body's logo as its badges embed it, when it has one;
  :func:`badge_style` — the design a programme's badge designer chose, when it chose one.
* :func:`design_for_stored` — the design for an issued credential: its programme version's
  when the credential names one of this registry's achievements, else one drawn from the
  credential's own achievement.
* On a runtime, for the routes and commands: :func:`programme_design` — the design of a
  published programme version (drafts are not found); :func:`credential_badge` — an issued
  credential as stored with its design, for someone who may read it (its organisation, or
  its own learner).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import logos as logo_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories.credentials import StoredCredential
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.credentials.baking_png import bake_png, extract_png, is_png
from credstack.core.credentials.baking_svg import (
    bake_svg,
    extract_svg,
    looks_like_svg,
)
from credstack.core.images.badge_png import render_png
from credstack.core.images.badge_svg import (
    BadgeDesign,
    BadgeLogo,
    BadgeStyle,
    badge_svg,
    design_for_achievement,
    design_for_programme,
)
from credstack.core.images.baked import Extracted, Standard, standard_of
from credstack.core.verification.formats import MAX_IMAGE_BYTES, is_baked_image
from credstack.errors import InputError, NotFoundError, Problem, UnreadableInputError
from credstack.services.runtime import Runtime

__all__ = [
    "MAX_IMAGE_BYTES",
    "BadgeFonts",
    "CredentialBadge",
    "Extracted",
    "RenderedPng",
    "Standard",
    "badge_fonts",
    "badge_logo",
    "badge_style",
    "bake",
    "credential_badge",
    "credential_text",
    "design_for_stored",
    "extract_credential",
    "image_format",
    "is_baked_image",
    "programme_design",
    "render_badge_png",
]

#: The largest image read for extraction or baking.

#: Japanese-capable fonts, (regular, bold, family), by where distributions install them.
_JAPANESE_FONTS: Final = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu
     "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK JP"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
     "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc", "Noto Sans CJK JP"),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
     "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc", "Noto Sans CJK JP"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
     "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Bold.otf", "Noto Sans CJK JP"),
    ("/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",  # macOS
     "/System/Library/Fonts/ヒラギノ角ゴシック W6.ttc", "Hiragino Sans"),
)
#: Thai fonts, (regular, bold): the CJK fonts lack Thai's glyphs, which a title written only
#: in Thai needs (resvg falls back per character to any font loaded).
_THAI_FONTS: Final = (
    ("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",  # Debian: fonts-noto-core
     "/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf"),
    ("/usr/share/fonts/noto/NotoSansThai-Regular.ttf",  # Arch
     "/usr/share/fonts/noto/NotoSansThai-Bold.ttf"),
)
#: Latin fonts for the Latin-only rendering.
_LATIN_FONTS: Final = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVu Sans"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf", "Liberation Sans"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", "Noto Sans"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf", "DejaVu Sans"),
)


@dataclass(frozen=True, slots=True)
class BadgeFonts:
    """The font files badges are rendered with, and whether they can draw Japanese."""

    files: tuple[str, ...]
    family: str
    japanese: bool
    #: Whether a Thai font is among :attr:`files`.
    thai: bool = False


def _found(candidates: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, ...], str] | None:
    for regular, bold, family in candidates:
        if Path(regular).is_file():
            return tuple(path for path in (regular, bold) if Path(path).is_file()), family
    return None


@cache
def badge_fonts() -> BadgeFonts:
    """The best fonts on this machine (looked up once per process)."""
    japanese = _found(_JAPANESE_FONTS)
    thai = next((tuple(path for path in pair if Path(path).is_file())
                 for pair in _THAI_FONTS if Path(pair[0]).is_file()), ())
    if japanese is not None:
        return BadgeFonts(japanese[0] + thai, japanese[1], True, bool(thai))
    latin = _found(_LATIN_FONTS)
    if latin is not None:
        return BadgeFonts(latin[0], latin[1], False)
    return BadgeFonts((), "sans-serif", False)


@dataclass(frozen=True, slots=True)
class RenderedPng:
    png: bytes
    #: True when no Japanese font was found and the Japanese texts were left out.
    latin_only: bool


@lru_cache(maxsize=512)
def render_badge_png(design: BadgeDesign) -> RenderedPng:
    """The design as a 512 × 512 PNG with this machine's fonts (cached per design)."""
    fonts = badge_fonts()
    svg = badge_svg(design, latin_only=not fonts.japanese)
    return RenderedPng(render_png(svg, font_files=fonts.files, family=fonts.family),
                       latin_only=not fonts.japanese)


# --- baked images -------------------------------------------------------------------------


def image_format(data: bytes) -> str:
    """``png`` or ``svg``; raises for anything else."""
    if is_png(data):
        return "png"
    if looks_like_svg(data):
        return "svg"
    raise UnreadableInputError("not a PNG or SVG image", problems=[Problem(
        "image", "neither the PNG signature nor XML (SVG)")])


def extract_credential(data: bytes) -> Extracted:
    """The credential baked into a PNG or SVG image (see the core modules for the rules)."""
    return extract_png(data) if image_format(data) == "png" else extract_svg(data)


def bake(image: bytes, text: str, *, standard: Standard | None = None,
         replace: bool = False) -> bytes:
    """``image`` (PNG or SVG) with the credential ``text`` baked in."""
    chosen = standard if standard is not None else standard_of(text)
    if image_format(image) == "png":
        return bake_png(image, text, standard=chosen, replace=replace)
    return bake_svg(image, text, standard=chosen, replace=replace)


_ENVELOPED_PREFIX: Final = "data:application/vc+jwt,"


def credential_text(data: bytes) -> str:
    """The credential to bake from a file's bytes: JSON text, or a compact JWS.

    The VC-API's forms are unwrapped: ``{"verifiableCredential": …}`` and an
    ``EnvelopedVerifiableCredential`` (``data:application/vc+jwt,<JWS>``).
    """
    try:
        text = data.decode("utf-8").strip().removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UnreadableInputError("the credential file is not UTF-8 text") from None
    if not text.startswith("{"):
        return text
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise UnreadableInputError("the credential file is not JSON", problems=[Problem(
            "credential", "starts with '{' but does not parse")]) from None
    if isinstance(document, dict) and "verifiableCredential" in document:
        inner = document["verifiableCredential"]
        if isinstance(inner, str):
            return inner
        document = inner
        text = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
    if isinstance(document, dict) and document.get("type") == "EnvelopedVerifiableCredential":
        identifier = document.get("id")
        if isinstance(identifier, str) and identifier.startswith(_ENVELOPED_PREFIX):
            return identifier.removeprefix(_ENVELOPED_PREFIX)
        raise InputError("the enveloped credential holds no VC-JWT", problems=[Problem(
            "id", f"expected {_ENVELOPED_PREFIX}<compact JWS>")])
    return text


# --- the image of a stored credential ----------------------------------------------------


def badge_logo(session: Session, *, organisation: str | None) -> BadgeLogo | None:
    """The small PNG of ``organisation``'s logo that its badges embed
    (:mod:`credstack.services.organisations.logos`), in the caller's transaction."""
    if not organisation:
        return None
    raster = logo_store.badge_logo(session, slug=organisation)
    return BadgeLogo(raster) if raster else None


def badge_style(session: Session, *, programme_id: int) -> BadgeStyle | None:
    """The design the programme's badge designer chose, if it chose one, in the caller's
    transaction."""
    found = logo_store.badge_style(session, programme_id=programme_id)
    return None if found is None else BadgeStyle(*found)


def _achievement(document: Mapping[str, Any]) -> Mapping[str, Any]:
    subject = document.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    return achievement if isinstance(achievement, Mapping) else {}


def _issuer_name(document: Mapping[str, Any]) -> str | None:
    issuer = document.get("issuer")
    name = issuer.get("name") if isinstance(issuer, Mapping) else None
    return name if isinstance(name, str) else None


def design_for_stored(session: Session, stored: StoredCredential, *,
                      public_url: str) -> BadgeDesign:
    """The badge design for an issued credential (see the module doc)."""
    document = stored.as_json()
    achievement = _achievement(document)
    identifier = achievement.get("id")
    pattern = re.compile(re.escape(public_url.rstrip("/")) + r"/achievements/(\d+)/v(\d+)")
    match = pattern.fullmatch(identifier) if isinstance(identifier, str) else None
    if match is not None:
        try:
            version = programme_store.get_version(session, programme_id=int(match[1]),
                                                  version=int(match[2]))
        except NotFoundError:
            version = None
        if version is not None and version.status is programme_store.Status.PUBLISHED:
            body = version.programme.awarding_body
            return design_for_programme(version.programme, logo=badge_logo(
                session, organisation=body.id if body is not None else None),
                style=badge_style(session, programme_id=int(match[1])))
    return design_for_achievement(achievement, issuer_name=_issuer_name(document))


# --- on a runtime ---------------------------------------------------------------------------


def programme_design(runtime: Runtime, *, programme_id: int, version: int | None = None
                     ) -> BadgeDesign:
    """The badge design of a published programme version (default: the newest published);
    :class:`~credstack.errors.NotFoundError` for a draft, as for an unknown version."""
    with runtime.transaction() as session:
        if version is None:
            chosen = programme_store.get_published_programme(session,
                                                             programme_id=programme_id).latest
        else:
            chosen = programme_store.get_version(session, programme_id=programme_id,
                                                 version=version)
        body = chosen.programme.awarding_body
        logo = badge_logo(session, organisation=body.id if body is not None else None)
        style = badge_style(session, programme_id=programme_id)
    if chosen.status is not programme_store.Status.PUBLISHED:
        raise NotFoundError(f"Version {version} of programme {programme_id} is not published.")
    return design_for_programme(chosen.programme, logo=logo, style=style)


@dataclass(frozen=True, slots=True)
class CredentialBadge:
    """An issued credential to bake: its text as stored (JSON, or a VC-JWT's compact JWS)
    and the design of its badge."""

    document: str
    design: BadgeDesign


def credential_badge(runtime: Runtime, *, actor: Actor, credential_id: str
                     ) -> CredentialBadge:
    """An issued credential and its badge design, for someone signed in who may read it
    (``credentials:read``: its organisation, or the credential's own learner)."""
    actor.user()
    with runtime.transaction() as session:
        stored = credential_store.get_credential(session, credential_id=credential_id)
        actor.require(Action.CREDENTIAL_READ, stored.organisation, owner=stored.learner)
        design = design_for_stored(session, stored, public_url=runtime.settings.public_url)
    return CredentialBadge(stored.document, design)
