"""The pages' languages: negotiation, the message catalogues and the translator.

* :mod:`.scope` — which pages are offered in every language (public) and which in Japanese
  and English (staff), and which messages each says.
* :mod:`.negotiation` — which language a response speaks (``?lang=``, the ``lang`` cookie,
  ``Accept-Language``, Japanese), among those its page is offered in.
* :mod:`.catalogue` — every message, from the gettext catalogues of ``locale/`` (keyed, one
  ``.po`` a language, compiled to ``.mo``); :mod:`.extraction` is how ``pybabel extract``
  finds the keys in templates and pages.
* :mod:`.vocabulary` — labels of the controlled vocabularies, languages and countries.
* :mod:`.translator` — :class:`Translator`, everything a template says in one language.
"""

from credstack.entrypoints.web.i18n.catalogue import is_message
from credstack.entrypoints.web.i18n.negotiation import (
    ENDONYMS,
    LANGUAGES,
    Choice,
    Language,
    negotiate,
    offered,
    parse_accept_language,
    remember,
)
from credstack.entrypoints.web.i18n.scope import Scope, is_public
from credstack.entrypoints.web.i18n.translator import Translator

__all__ = [
    "ENDONYMS",
    "LANGUAGES",
    "Choice",
    "Language",
    "Scope",
    "Translator",
    "is_message",
    "is_public",
    "negotiate",
    "offered",
    "parse_accept_language",
    "remember",
]
