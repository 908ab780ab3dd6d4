"""The words synthetic programmes are made of: fields, subjects, outcomes, fictional places in
real prefectures.

The words, in Japanese and English, are the ``synthetic-*`` vocabularies of
:mod:`credstack.core.vocabularies` (``synthetic-topic``, ``synthetic-skill``…); this module
holds what is not a word: which fields a topic belongs to, the weights, the domains, the
prefectures.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from credstack.core import vocabularies
from credstack.core.organisations import Organisation, OrganisationKind

Text = tuple[str, str]  # (ja, en)


def _texts(vocabulary: str) -> dict[str, Text]:
    """Every entry of a ``synthetic-*`` vocabulary as (ja, en), in the file's order."""
    return vocabularies.pairs(vocabulary, "ja", "en")


def _numbered(vocabulary: str, prefix: str = "") -> tuple[Text, ...]:
    """The entries ``<prefix>1``, ``<prefix>2``… of a vocabulary, in the file's order."""
    return tuple(text for key, text in _texts(vocabulary).items()
                 if key.startswith(prefix) and key.removeprefix(prefix).isdigit())


@dataclass(frozen=True, slots=True)
class _Topic:
    abbr: str
    ja: str
    #: The English name as used in a title ("Data Science") and inside a sentence.
    en: str
    en_phrase: str
    fields: tuple[str, ...]
    skills: tuple[Text, ...]
    #: Outcomes only this topic has, besides the generic ones.
    outcomes: tuple[Text, ...] = ()
    prerequisite: Text | None = None
    digital: bool = False


#: Each topic: its abbreviation (its words' key), its fields, whether it is digital.
_TOPIC_FIELDS: tuple[tuple[str, str, bool], ...] = (
    # medical and welfare
    ("CARE", "medical-welfare", False), ("DEM", "medical-welfare", False),
    ("CIC", "medical-welfare regional", False), ("NRS", "medical-welfare", False),
    ("HDX", "medical-welfare digital", True),
    ("STR", "business", False), ("FIN", "business", False), ("MKT", "business", False),
    ("PM", "business", False), ("HCM", "business", False),
    ("DS", "digital", True), ("ML", "digital", True), ("GAI", "digital business", True),
    ("SEC", "digital", True), ("CLD", "digital", True), ("DX", "digital business", True),
    ("SEMI", "semiconductors science-engineering", False),
    ("FAB", "semiconductors science-engineering", False),
    ("ICD", "semiconductors science-engineering digital", True),
    ("ROB", "science-engineering", False), ("QC", "science-engineering business", False),
    ("GX", "green", False), ("OWP", "green science-engineering", False),
    ("CE", "green business", False),
    ("REG", "regional social-sciences", False), ("TOUR", "regional business", False),
    ("AGRI", "regional digital science-engineering", True),
    ("BE", "languages business", False), ("JSL", "languages education", False),
    ("EDT", "education digital", False), ("CAR", "education social-sciences", False),
    ("BEH", "social-sciences business", False), ("SRM", "social-sciences", False),
    ("IP", "law-politics business", False), ("PRV", "law-politics digital", False),
    ("HER", "humanities regional", False), ("DSN", "arts digital", False),
    ("SPM", "sports business", False), ("FOOD", "home-economics medical-welfare", False),
)


def _topics() -> tuple[_Topic, ...]:
    names, phrases = _texts("synthetic-topic"), _texts("synthetic-topic-phrase")
    prerequisites = _texts("synthetic-topic-prerequisite")
    return tuple(
        _Topic(abbr, names[abbr][0], names[abbr][1], phrases[abbr][1], tuple(fields.split()),
               _numbered("synthetic-skill", f"{abbr}-"),
               _numbered("synthetic-topic-outcome", f"{abbr}-"),
               prerequisites.get(abbr), digital)
        for abbr, fields, digital in _TOPIC_FIELDS)


TOPICS: tuple[_Topic, ...] = _topics()

#: The rank of a title pattern by its key's first word: 0 introductory … 2 advanced.
_RANKS = ("introductory", "applied", "advanced")

#: Title patterns: (ja, en, rank 0 introductory … 2 advanced). ``{t}`` is the topic.
TITLES: tuple[tuple[str, str, int], ...] = tuple(
    (ja, en, _RANKS.index(key.rsplit("-", 1)[0]))
    for key, (ja, en) in _texts("synthetic-title").items())


#: Hours by title rank (weights favour short programmes, as in MEXT's survey).
HOURS_BY_RANK: tuple[tuple[str, ...], ...] = (
    ("6", "7.5", "8", "10", "10", "12", "12", "15", "15", "16", "20", "24", "30"),
    ("10", "12", "15", "18", "20", "22.5", "24", "30", "30", "36", "40", "45", "60", "60", "90"),
    ("30", "45", "60", "60", "60", "75", "90", "100", "120", "120", "135", "150", "180", "200"),
)


#: Credits of credit-bearing programmes by system and title rank; hours follow from them.
CREDITS_BY_RANK: dict[str, tuple[tuple[str, ...], ...]] = {
    "jp-tani": (("0.5", "1", "1"), ("1", "1", "2", "2"), ("2", "3", "4")),
    "my-credit": (("0.5", "1", "1", "2"), ("1", "2", "3"), ("3", "4", "5")),
    "ects": (("1", "2"), ("2", "3", "4", "5"), ("4", "5", "6")),
    "nz-credit": (("1", "2", "3"), ("5", "10"), ("10", "15", "20")),
}


_HOURS_PER_CREDIT = {"jp-tani": 45, "my-credit": 40, "nz-credit": 10}


#: The credits of a master's degree, for stackability targets.
_MASTERS = {"jp-tani": 30, "my-credit": 40, "ects": 90, "nz-credit": 180}


OPENINGS: tuple[Text, ...] = _numbered("synthetic-opening")


AUDIENCES: tuple[Text, ...] = _numbered("synthetic-audience")


OUTCOMES: tuple[Text, ...] = _numbered("synthetic-outcome")


#: The assessment methods a synthetic programme uses, with their weights.
_METHOD_WEIGHT: dict[str, int] = {
    "examination": 8, "quiz": 14, "assignment": 14, "report": 16, "project": 8,
    "portfolio": 5, "practical": 6, "presentation": 8, "oral": 3, "peer-review": 4,
}


ASSESSMENT_NAMES: dict[str, Text] = {
    method: _texts("synthetic-assessment")[method] for method in _METHOD_WEIGHT}

#: The phrases names and descriptions are written with (``second-campus``, ``assessed-by``,
#: the stacking targets' titles), as (ja, en) patterns.
PHRASES: dict[str, Text] = _texts("synthetic-phrase")


_METHODS = tuple(ASSESSMENT_NAMES)


_METHOD_WEIGHTS = tuple(_METHOD_WEIGHT.values())


_METHOD_CUM = tuple(itertools.accumulate(_METHOD_WEIGHTS))


GRADING: tuple[Text, ...] = _numbered("synthetic-grading")


QA_INTERNAL: Text = _texts("synthetic-note")["qa-internal"]


PARTICIPATION: Text = _texts("synthetic-note")["participation"]


PREREQUISITES: tuple[Text, ...] = _numbered("synthetic-prerequisite")


INHERENT: tuple[Text, ...] = _numbered("synthetic-inherent")


ASSISTANCE: tuple[Text, ...] = _numbered("synthetic-assistance")


PACE_NOTES: dict[str, Text] = _texts("synthetic-pace-note")


RECOGNITION_NOTES: dict[str, Text] = _texts("synthetic-recognition-note")


@dataclass(frozen=True, slots=True)
class _Place:
    ja: str
    en: str
    slug: str
    subdivision: str  # ISO 3166-2


# Fictional places (named in synthetic-place), each in a real prefecture (ISO 3166-2:JP).
_PREFECTURES: tuple[tuple[str, int], ...] = (
    ("hokuto", 1), ("shirakaba", 1), ("aoba", 4), ("asagiri", 6), ("shinonome", 13),
    ("wakaba", 12), ("sakuradai", 11), ("hoshimi", 20), ("koto", 25), ("shirasagi", 28),
    ("shimanami", 38), ("shiokaze", 39), ("saikai", 42), ("suirei", 43), ("tsukimino", 14),
    ("suito", 27), ("kazahaya", 34), ("momijidai", 26), ("hikarigaoka", 23), ("misora", 40),
    ("akatsuki", 15), ("midorigaoka", 9), ("ginga", 3), ("haenohara", 47), ("senba", 8),
    ("yukimi", 17), ("enshunada", 22), ("shirahamadai", 30), ("yakumo", 32), ("kibino", 33),
)


PLACES: tuple[_Place, ...] = tuple(
    _Place(*_texts("synthetic-place")[slug], slug, f"JP-{prefecture:02d}")
    for slug, prefecture in _PREFECTURES)


@dataclass(frozen=True, slots=True)
class _KindPattern:
    kind: OrganisationKind
    ja: str
    en: str
    slug: str
    domain: str
    weight: int


def _kind(kind: OrganisationKind, slug: str, domain: str, weight: int) -> _KindPattern:
    return _KindPattern(kind, *_texts("synthetic-organisation")[slug], slug, domain, weight)


KINDS: tuple[_KindPattern, ...] = (
    _kind(OrganisationKind.UNIVERSITY, "u", "ac.jp", 30),
    _kind(OrganisationKind.UNIVERSITY, "tech", "ac.jp", 8),
    _kind(OrganisationKind.UNIVERSITY, "pu", "ac.jp", 8),
    _kind(OrganisationKind.JUNIOR_COLLEGE, "jc", "ac.jp", 5),
    _kind(OrganisationKind.COLLEGE_OF_TECHNOLOGY, "kosen", "ac.jp", 5),
    _kind(OrganisationKind.VOCATIONAL_SCHOOL, "college", "ed.jp", 5),
    _kind(OrganisationKind.COMPANY, "learning", "co.jp", 6),
    _kind(OrganisationKind.ACADEMIC_SOCIETY, "society", "or.jp", 2),
    _kind(OrganisationKind.MOOC_PLATFORM, "open", "jp", 3),
)


_KIND_CUM = tuple(itertools.accumulate(k.weight for k in KINDS))


@dataclass(frozen=True, slots=True)
class _Abroad:
    ja: str
    en: str
    slug: str
    kind: OrganisationKind
    country: str
    subdivision: str | None
    domain: str
    languages: tuple[str, ...]


def _abroad(slug: str, kind: OrganisationKind, country: str, subdivision: str | None,
            domain: str, languages: tuple[str, ...]) -> _Abroad:
    return _Abroad(*_texts("synthetic-abroad")[slug], slug, kind, country, subdivision,
                   domain, languages)


ABROAD: tuple[_Abroad, ...] = (
    _abroad("malaya-highlands", OrganisationKind.UNIVERSITY, "MY", "MY-10", "edu.my",
            ("en", "ms")),
    _abroad("coral-coast", OrganisationKind.UNIVERSITY, "AU", "AU-QLD", "edu.au", ("en",)),
    _abroad("norden-uas", OrganisationKind.UNIVERSITY, "DE", "DE-HH", "de", ("de", "en")),
    _abroad("riviere-u", OrganisationKind.UNIVERSITY, "FR", None, "fr", ("fr", "en")),
    _abroad("kauri-tech", OrganisationKind.UNIVERSITY, "NZ", "NZ-AUK", "ac.nz", ("en",)),
    _abroad("penang-digital", OrganisationKind.MOOC_PLATFORM, "MY", "MY-07", "com.my",
            ("en", "ms")),
)


#: How each country states levels and credits, and the currency of its prices.
_COUNTRY: dict[str, tuple[str | None, tuple[int, int], str | None, str]] = {
    # country: (level framework, level range, credit system, currency)
    "JP": ("EQF", (4, 7), None, "JPY"),
    "MY": ("MQF", (3, 7), "my-credit", "MYR"),
    "AU": ("AQF", (5, 9), None, "AUD"),
    "DE": ("EQF", (5, 7), "ects", "EUR"),
    "FR": ("EQF", (5, 7), "ects", "EUR"),
    "NZ": ("NZQF", (4, 8), "nz-credit", "NZD"),
}


#: The external quality assurance body of each country, (ja, en).
_EXTERNAL_QA: dict[str, Text] = _texts("synthetic-external-qa")


@dataclass(frozen=True, slots=True)
class _Org:
    """An organisation with what programmes need to know about it."""

    model: Organisation
    name: dict[str, str]
    url: str
    subdivision: str | None
    academic: bool
    languages: tuple[str, ...]
    #: Topics the organisation is known for (indices into TOPICS).
    topics: tuple[int, ...]
