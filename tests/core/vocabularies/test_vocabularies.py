"""The vocabularies' names are data: one file per language and vocabulary, every language
naming the same values, read once and named in English where a language has no name.
Japanese and English name every vocabulary; the six languages of the public pages name the
vocabularies those pages show."""

from __future__ import annotations

import re
import string
from enum import StrEnum

import pytest

from credstack.core import vocabularies
from credstack.core.access import Action, Role
from credstack.core.creditbank.decisions import Reason
from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.models import CreditSystem
from credstack.core.descriptors.validation import Requirement, State
from credstack.core.mail.outbox import MailState
from credstack.core.organisations import OrganisationKind
from credstack.core.programmes import Status
from credstack.core.review.process import ApplicationKind, Event
from credstack.core.review.process import State as ReviewState
from credstack.core.verification.verdict import Outcome
from credstack.core.vocabularies import FALLBACK, languages, name, names, parse, phrase

#: Plural forms a language has beside its ``other`` form (CLDR): English ``one``.
PLURAL_FORMS = {"en": {"one"}, "ja": set()}

#: The languages the public pages speak beside Japanese and English (one plural form each).
PUBLIC_LANGUAGES = ("id", "ko", "ms", "th", "vi", "zh-Hans")

#: What the public pages name: the registry's descriptors and facets, the verification
#: page's checks and outcomes, the learner's wallet, PDF certificate and credit bank, and the
#: roles an invitation e-mail names to someone outside (the staff pages' vocabularies —
#: review, the rest of access, credit-bank reasons, validation errors, the synthetic demo
#: words — are ja and en).
PUBLIC_VOCABULARIES = {
    "access-role", "assessment-method", "certificate-phrase", "certification-kind", "country",
    "creditbank-aspect", "creditbank-jurisdiction",
    "creditbank-route", "creditbank-rule", "credit-recognition-kind",
    "credit-unit", "delivery-mode", "descriptor-requirement", "descriptor-state",
    "effort-band", "facet-none", "field-of-study", "finding-severity", "identifier-type",
    "isced-f", "language", "level-framework", "organisation-kind", "pace", "pdf-check",
    "phrase", "price-band", "profile-short-name", "programme-status",
    "quality-assurance-kind", "quality-assurance-scope", "recognition-level",
    "recognition-status", "skill-target-type", "stack-target-kind", "stackability",
    "supervision", "verification-check", "verification-outcome",
    "verification-presentation-check",
}


def test_the_eight_languages_have_their_files() -> None:
    """Japanese, English and the six languages of the public pages have their files."""
    assert languages() == tuple(sorted(("en", "ja", *PUBLIC_LANGUAGES)))


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_a_public_language_names_what_the_public_pages_show(language: str) -> None:
    """Each of the six names exactly the public vocabularies, in its one plural form."""
    assert set(vocabularies.vocabularies(language)) == PUBLIC_VOCABULARIES


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_language_names_every_vocabulary(language: str) -> None:
    """A language has a file for each vocabulary English has, plural forms aside."""
    def bases(of: str) -> set[str]:
        return {item for item in vocabularies.vocabularies(of)
                if item.rpartition(".")[2] not in {"one"}}

    assert bases(language) == bases(FALLBACK)
    forms = {item.rpartition(".")[2] for item in vocabularies.vocabularies(language)
             if "." in item}
    assert forms == PLURAL_FORMS[language]


@pytest.mark.parametrize("vocabulary", [item for item in vocabularies.vocabularies()
                                        if "." not in item])
def test_every_language_names_the_same_values(vocabulary: str) -> None:
    """No value is named in one language and forgotten in another (a phrase may be empty
    in a language that says nothing there, as the Japanese certificate's preamble)."""
    for language in languages():
        if vocabulary in vocabularies.vocabularies(language):
            assert names(vocabulary, language).keys() == names(vocabulary, FALLBACK).keys(), \
                language


def test_a_plural_form_names_the_values_of_its_vocabulary() -> None:
    """``credit-unit.one`` (one credit) names the same credit systems as ``credit-unit``."""
    assert names("credit-unit.one", "en").keys() == names("credit-unit", "en").keys()


def test_a_phrase_has_the_same_blanks_in_every_language() -> None:
    """A phrase fills the same names in every language ({name}, {code}…)."""
    def blanks(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    for language in languages():
        for key, english in names("phrase", "en").items():
            assert blanks(names("phrase", language)[key]) == blanks(english), (language, key)


def test_a_name_is_read_in_the_language_asked_for() -> None:
    assert name("delivery-mode", "online", "ja") == "オンライン"
    assert name("delivery-mode", "online", "en") == "Online"


def test_a_language_without_names_reads_english() -> None:
    """A reader of a language credstack has no names in is shown the English ones."""
    assert name("delivery-mode", "online", "fr") == "Online"
    assert names("delivery-mode", "fr") == {}


def test_a_value_no_language_names_has_no_name() -> None:
    assert name("delivery-mode", "by-pigeon", "ja") is None
    assert name("no-such-vocabulary", "online", "en") is None


def test_a_phrase_is_filled() -> None:
    assert phrase("facet-level", "ja", framework="EQF", level=5) == "EQF レベル5"
    assert phrase("facet-level", "en", framework="EQF", level=5) == "EQF level 5"


def test_a_phrase_that_does_not_exist_is_refused() -> None:
    with pytest.raises(KeyError, match="no-such-phrase"):
        phrase("no-such-phrase", "en")


def test_a_file_whose_value_is_not_a_name_is_refused() -> None:
    """A table or a number where a name belongs is refused, naming the file and the value."""
    with pytest.raises(ValueError, match=re.escape("en/pace.toml: ") + ".*mixed"):
        parse('synchronous = "Live"\nmixed = 3\n', where="en/pace.toml")
    assert parse('"ceasn:Competency" = "CTDL-ASN competency"\n', where="x") \
        == {"ceasn:Competency": "CTDL-ASN competency"}


@pytest.mark.parametrize(("vocabulary", "enum"), [
    ("access-action", Action), ("access-role", Role), ("verification-outcome", Outcome),
    ("credit-unit", CreditSystem), ("credit-unit.one", CreditSystem),
    ("organisation-kind", OrganisationKind), ("descriptor-requirement", Requirement),
    ("descriptor-state", State), ("finding-severity", Severity), ("programme-status", Status),
    ("creditbank-reason", Reason), ("mail-state", MailState), ("ctdl-credit-unit", CreditSystem),
    ("ob2-credit-system", CreditSystem), ("review-application-kind", ApplicationKind),
    ("review-event-phrase", Event), ("review-state-phrase", ReviewState),
], ids=lambda item: item if isinstance(item, str) else "")
def test_a_vocabulary_of_an_enum_names_exactly_its_values(vocabulary: str,
                                                          enum: type[StrEnum]) -> None:
    """Every value is named in each language that has the file, and no value the enum
    does not have."""
    for language in languages():
        if vocabulary in vocabularies.vocabularies(language):
            assert set(names(vocabulary, language)) == {value.value for value in enum}, language


def test_pairs_put_two_languages_side_by_side() -> None:
    assert vocabularies.pairs("delivery-mode", "ja", "en")["online"] == ("オンライン", "Online")
    assert vocabularies.pairs("credit-unit.one", "ja", "en")["jp-tani"] \
        == ("Japanese credit", "Japanese credit")
