"""A text for people in Japanese and English, the one small type every recognition module
uses for labels, descriptions and messages."""

from __future__ import annotations

from dataclasses import dataclass

from credstack.core import vocabularies


@dataclass(frozen=True, slots=True)
class Label:
    """Japanese and English text; either may be empty when only one language was given
    (decision reasons), never both for the labels credstack ships."""

    ja: str
    en: str

    @classmethod
    def named(cls, vocabulary: str, value: str) -> Label:
        """The Japanese and English names of ``value`` in ``vocabulary`` (one of
        :mod:`credstack.core.vocabularies`, such as ``review-state``)."""
        ja = vocabularies.names(vocabulary, "ja").get(value)
        en = vocabularies.names(vocabulary, "en").get(value)
        if ja is None or en is None:
            raise KeyError(f"{value!r} is not named in ja and en in the {vocabulary} vocabulary")
        return cls(ja, en)

    def text(self, language: str) -> str:
        """The text in ``language`` (``"ja"`` or anything else for English), falling back to
        the other language when that one is empty."""
        if language == "ja":
            return self.ja or self.en
        return self.en or self.ja

    def to_dict(self) -> dict[str, str]:
        """``{"ja": …, "en": …}`` with the empty languages left out."""
        return {tag: text for tag, text in (("ja", self.ja), ("en", self.en)) if text}

    def __str__(self) -> str:
        # One line for errors and logs, which people read in either language.
        if self.ja and self.en:
            return f"{self.en} / {self.ja}"
        return self.en or self.ja
