"""The pages' two languages: negotiation, the ja/en message catalogue and the translator.

* :mod:`.negotiation` — which language a response speaks (``?lang=``, the ``lang`` cookie,
  ``Accept-Language``, Japanese).
* :mod:`.catalogue` — every message, merged from one module per area (:mod:`.common`,
  :mod:`.programmes`, :mod:`.registry`, :mod:`.verification`, :mod:`.accounts`,
  :mod:`.review`, :mod:`.wallet`).
* :mod:`.vocabulary` — labels of the controlled vocabularies, languages and countries.
* :mod:`.translator` — :class:`Translator`, everything a template says in one language.
"""

from credstack.entrypoints.web.i18n.catalogue import MESSAGES
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
    "MESSAGES",
    "Choice",
    "Language",
    "Translator",
    "negotiate",
    "parse_accept_language",
    "remember",
]
