"""Every message the pages show, in each language, from the gettext catalogues of ``locale/``.

The catalogues are keyed: a message's ``msgid`` is its key (``nav.programmes``), its
``msgstr`` the words, with ``str.format`` placeholders (``{n}``); a plural message has the
key as ``msgid`` and ``msgid_plural`` and a form for each of the language's plural forms.
``locale/<language>/LC_MESSAGES/messages.po`` is what a person edits (CONTRIBUTING.md: "People-
facing words"); ``python3 dev.py messages`` extracts the keys, updates the catalogues and
compiles each into the ``messages.mo`` beside it, which is what runs.

The ``.mo`` files are committed, not built at install: the package is installed editable from
a fresh clone (``dev.py``, CI) where no build step runs, and reading a ``.po`` with Babel costs
70 ms a language in every process that renders a page, a ``.mo`` read by :mod:`gettext` 10 ms.
A test compiles each ``.po`` and compares it with its ``.mo``, so they cannot drift apart.
The e-mails and the certificate read their own catalogues with the same loader
(:mod:`credstack.catalogues`).
"""

from __future__ import annotations

import gettext

from credstack import catalogues
from credstack.entrypoints.web.i18n.negotiation import LOCALE, Language

__all__ = ["DOMAIN", "LOCALE", "is_message", "translations"]

#: The catalogues: ``<language>/LC_MESSAGES/messages.{po,mo}`` and the template ``messages.pot``
#: (Japanese and English hold every key; the other languages the public keys, :mod:`.scope`).
DOMAIN = "messages"


def translations(language: Language) -> gettext.GNUTranslations:
    """The compiled catalogue of ``language``, read once a process (the loader every
    catalogue shares, :mod:`credstack.catalogues`)."""
    return catalogues.translations(LOCALE, DOMAIN, language)


def is_message(key: str) -> bool:
    """Whether ``key`` names a message. The English catalogue holds every key (a test sees to
    it), so it answers."""
    try:
        translations("en").gettext(key)
    except KeyError:
        return False
    return True
