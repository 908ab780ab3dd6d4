"""The names of the fields of education and training of ISCED-F 2013, in every language
credstack speaks.

Specification: *International Standard Classification of Education: Fields of education and
training 2013 (ISCED-F 2013)*, UNESCO Institute for Statistics, 2014 —
https://uis.unesco.org/sites/default/files/documents/international-standard-classification-of-education-fields-of-education-and-training-2013-detailed-field-descriptions-2015-en.pdf

A field is a code of two digits (broad field), three (narrow) or four (detailed): ``05``
natural sciences, mathematics and statistics; ``054`` mathematics and statistics; ``0542``
statistics. A detailed code ending in ``88`` is the inter-disciplinary programmes of its broad
field, one ending in ``99`` (``9`` for a narrow one) what its parent field does not classify
elsewhere. The names are the ``isced-f`` vocabulary of :mod:`credstack.core.vocabularies`
(the English is UNESCO's, the Japanese credstack's translation); the phrases that name an
inter-disciplinary or not-elsewhere-classified field are its ``phrase`` vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from credstack.core import vocabularies

__all__ = ["field_name", "fields"]

_CODE: Final = re.compile(r"\d{2,4}")


def fields(language: str = vocabularies.FALLBACK) -> Mapping[str, str]:
    """Every field's name in ``language``, by its code."""
    return vocabularies.names("isced-f", language)


def _named(code: str, language: str) -> str | None:
    return vocabularies.name("isced-f", code, language)


def field_name(code: str, language: str) -> str | None:
    """The name of the ISCED-F field ``code`` in ``language`` (in English when that language
    has none); an inter-disciplinary (``…88``) or not-elsewhere-classified (``…99``, ``…9``)
    field by its parent's name; ``None`` for a code ISCED-F does not have."""
    if not _CODE.fullmatch(code):
        return None
    name = _named(code, language)
    if name is not None:
        return name
    if len(code) == 4 and code.endswith("88") and (parent := _named(code[:2], language)):
        return vocabularies.phrase("isced-f-interdisciplinary", language, name=parent)
    parent_code = code[:-2] if len(code) == 4 and code.endswith("99") else code[:-1]
    if code.endswith("9") and (parent := _named(parent_code, language)):
        return vocabularies.phrase("isced-f-not-elsewhere-classified", language,
                                   name=parent)
    return None
