"""Broken skill standards and what refusing each says, in English and Japanese (issue 53: the
faults became message keys; ``standard_words.json`` holds what was said before, word for
word)."""

from __future__ import annotations

from credstack.core.skills.standards import read_standard
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.errors import FrameworkError

_HEAD = ("id: x\ntitle: {ja: 標準, en: Standard}\ncreator: c\nversion: '1'\nsource: s\n"
         "changed: '2024-01-01'\n")

#: Each broken standard, by name.
BROKEN = {
    "not-yaml": "id: [unclosed\n",
    "not-mapping": "- a\n- b\n",
    "required": "id: x\n",
    "title": _HEAD.replace("{ja: 標準, en: Standard}", "{en: Standard}") + "items: []\n",
    "item": _HEAD + "items:\n  - {code: A}\n",
    "name-keys": _HEAD + "items:\n  - {code: A, name: {ja: 甲, a long tag here: x}}\n",
    "keywords": _HEAD + "items:\n  - {code: A, name: {ja: 甲}, keywords: {ja: 語}}\n",
    "duplicate": _HEAD + "items:\n  - {code: A, name: {ja: 甲}}\n  - {code: A, name: {ja: 乙}}\n",
}


def said_by_refusals() -> dict[str, dict[str, list[str]]]:
    """Each broken standard's refusal in ``en`` and ``ja``: the error, then each problem."""
    found: dict[str, dict[str, list[str]]] = {}
    for name, text in BROKEN.items():
        try:
            read_standard(text, source="s.yaml")
        except FrameworkError as error:
            found[name] = {language: [said(error, language),
                                      *(problem_said(problem, language)
                                        for problem in error.problems)]
                           for language in ("en", "ja")}
        else:
            raise AssertionError(f"{name} was not refused")
    return found
