"""The services' refusals say what they always said, in English and Japanese, word for word.

The accounts, wallet, review, LTI, workspace, console and OID4VP services refused in words written
``"English. / 日本語。"`` in their Python; they now raise codes with parameters (issue 53) and
the page, the API or the command that shows one words it from the catalogues.
``refusal_words.json`` holds, for every such refusal, the words the old code gave (its string
evaluated with the sample parameters recorded beside it, before the move); the catalogues must
word the code alike. ``service_words.json`` does the same for the services that followed (the
backup's refusals and notes, what the readiness check found, issuing, importing programmes,
the audit's checkpoints, background jobs, the issuer's activity, the credit bank's
applications and resolutions, an employer's roles …). A parameter written
``{"said": key, "params": …}`` is a phrase said inside the message (a
:class:`~credstack.core.said.Said`), such as why an LMS account was not linked; a JSON list is
its values listed as the language lists them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.entrypoints.web.i18n.codes import words
from credstack.entrypoints.web.i18n.negotiation import LANGUAGES
from credstack.entrypoints.web.i18n.scope import is_public

RECORDED: list[dict[str, Any]] = [
    *json.loads((Path(__file__).parent / "refusal_words.json").read_text(encoding="utf-8")),
    *json.loads((Path(__file__).parent / "service_words.json").read_text(encoding="utf-8"))]
SERVICES = Path(__file__).parents[4] / "src" / "credstack" / "services"
#: The areas whose refusals moved: each names its codes in ``code="…"`` (or a constant).
AREAS = ("accounts", "wallet", "review", "lti", "workspace", "console", "oid4vp")
#: The areas whose words moved after them, and the key each says them under.
MORE_AREAS = {
    "operations": ("backup.refused.", "backup.warning.", "operations.health."),
    "issuance": ("issuing.refused.",),
    "wallet": ("wallet.archive.",),
    "programmes": ("editor.refused.",),
    "audit": ("audit.refused.",),
    "background": ("jobs.refused.",),
    "mail": ("mailbox.refused.", "workspace.mail.refused."),
    "activity": ("activity.refused.", "editor.refused.", "issuing.refused."),
    "creditbank": ("creditbank.refused.", "creditbank.ws.refused."),
    "skills": ("employers.refused.", "skills.refused."),
    "candidates": ("employers.refused.",),
    "oid4vci": ("wallet.refused.oid4vci_",),
}


def _value(value: Any) -> Any:
    if isinstance(value, dict) and "said" in value:
        return Said(value["said"], **{name: _value(item)
                                      for name, item in value["params"].items()})
    if isinstance(value, list):
        return tuple(_value(item) for item in value)
    return value


def _params(recorded: dict[str, Any]) -> dict[str, Any]:
    return {name: _value(value) for name, value in recorded["params"].items()}


@pytest.mark.parametrize("recorded", RECORDED,
                         ids=[f"{row['key']}-{number}" for number, row in enumerate(RECORDED)])
def test_a_refusal_says_what_it_said(recorded: dict[str, Any]) -> None:
    """Its words from the catalogues, in English and in Japanese, are the old ones."""
    params = _params(recorded)
    assert words(recorded["key"], params, "en") == recorded["en"]
    assert words(recorded["key"], params, "ja") == recorded["ja"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_refusals_are_said_in_every_language(language: str) -> None:
    """A refusal a learner, an applicant or a visitor reads (its key is a public page's) has
    words of its own in each language, its placeholders all filled, no code shown."""
    public = {row["key"]: row for row in RECORDED if is_public(row["key"])}
    assert public
    for key, row in public.items():
        said = words(key, _params(row), language)
        assert said and key not in said and "{" not in said, (key, said)
        if language not in ("en", "ja") and not row["en"].startswith(("<", "{")):
            assert said != row["en"], f"{key} is not translated into {language}"


def test_every_code_the_areas_raise_is_recorded() -> None:
    """Each code these services raise with has its words recorded above (so its English and
    Japanese are compared): nothing was moved without being checked."""
    recorded = {row["key"] for row in RECORDED}
    raised: set[str] = set()
    for area in AREAS:
        for path in (SERVICES / area).glob("*.py"):
            source = path.read_text(encoding="utf-8")
            raised |= set(re.findall(
                r'"((?:accounts|wallet|review|recognition\.review|lti|workspace|console|verifier)'
                r'(?:\.[a-z_]+)*\.refused\.[a-z_.]+)"', source))
    raised |= {f"accounts.refused.owner_only.{what}"
               for what in ("passkeys", "password", "clients", "totp")}
    raised |= {f"lti.identities.refused.{why}" for why in ("token", "expired", "used")}
    assert raised - {"accounts.refused.owner_only."} <= recorded


@pytest.mark.parametrize("area", MORE_AREAS)
def test_every_key_the_later_areas_say_is_recorded(area: str) -> None:
    """Each message key the services moved later say (in ``code="…"`` or ``Said("…"``) has its
    words recorded: their English and Japanese are compared above."""
    recorded = {row["key"] for row in RECORDED}
    prefixes = "|".join(re.escape(prefix) for prefix in MORE_AREAS[area])
    said: set[str] = set()
    for path in (SERVICES / area).rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        said |= set(re.findall(rf'(?:code=|Said\()"((?:{prefixes})[a-z_.]+)"', source))
    assert said
    assert said <= recorded, sorted(said - recorded)
