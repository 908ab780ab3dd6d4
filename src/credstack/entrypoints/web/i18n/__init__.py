"""The pages' two languages: negotiation, the message catalogues and the translator.

* :mod:`.negotiation` — which language a response speaks (``?lang=``, the ``lang`` cookie,
  ``Accept-Language``, Japanese).
* :mod:`.catalogue` — every message, from the gettext catalogues of ``locale/`` (keyed, one
  ``.po`` a language, compiled to ``.mo``); :mod:`.extraction` is how ``pybabel extract``
  finds the keys in templates and pages.
* :mod:`.vocabulary` — labels of the controlled vocabularies, languages and countries.
* :mod:`.translator` — :class:`Translator`, everything a template says in one language.
"""

from credstack.entrypoints.web.i18n.catalogue import is_message
from credstack.entrypoints.web.i18n.negotiation import (
    LANGUAGES,
    Choice,
    Language,
    negotiate,
    parse_accept_language,
    remember,
)
from credstack.entrypoints.web.i18n.translator import Translator

__all__ = [
    "LANGUAGES",
    "Choice",
    "Language",
    "Translator",
    "is_message",
    "negotiate",
    "parse_accept_language",
    "remember",
]
