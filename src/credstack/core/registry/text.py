"""Search text: normalisation, index terms and query terms, in every script the registry holds.

Japanese (and Chinese and Korean) text has no spaces between words, and a dictionary-based
word splitter would miss new words (生成AI, リスキリング) and the provider's own coinages. So
text in those scripts is indexed as **character n-grams**: every character (unigram) and every
pair of adjacent characters (bigram) of a run of CJK characters. Trigrams — what SQLite's
FTS5 trigram tokenizer offers — cannot answer the one- and two-character queries Japanese
users type (介護, 半導, AI); bigrams answer any query of two or more characters, unigrams the
one-character ones.

Korean words carry their particles (인공지능을, 공정에서의: ICU's word breaker keeps them
attached), so Hangul is indexed like the other CJK scripts, by n-grams: 인공지능 finds
인공지능을. Chinese (Simplified or Traditional) is ideographs, indexed the same way.

Latin-script words (and digits) are indexed by their Snowball English stem, so "programmes"
finds "programme", "semiconductors" "semiconductor" and "learning" "learn". Words in
other alphabets are stemmed the same way: the English stemmer leaves most non-English words
alone — Indonesian and Malay words (pembelajaran, keamanan, pengurusan, kejuruteraan) come
out as they went in, or nearly (teknologi → teknolog), the same on both sides. Latin words
are **folded** before they are stemmed, documents and queries alike: accents and other
combining marks are dropped and đ becomes d, so "hoc may" finds "học máy" and "cafe" "café".
Only the folded form is kept: ranking looks at whether the words are in the title, not at
their accents, so the exact form would add nothing to it.

Thai has no spaces between words either, but its words are many characters long and its
vowels and tone marks are combining characters, so n-grams would be noisy: Thai runs are
split into **words by ICU's dictionary-based word breaker** (Thai locale) on both sides, and
a Thai query word is a required term like a Latin one (not stemmed). ICU splits most
compounds into their words already (ปัญญาประดิษฐ์ → ปัญญา ประดิษฐ์, โรงพยาบาล → โรง พยาบาล);
a compound its dictionary keeps whole (มหาวิทยาลัย) is also indexed by its two halves
wherever it splits into two dictionary words (มหา, วิทยาลัย), so it is found by its parts.
A word the dictionary does not know (โดรน, drone) is cut into pieces that depend on its
neighbours (และโดรนเก็บ → และ โด รน เก็บ) while the same word typed alone comes back whole,
so adjacent Thai words are also indexed joined, two and three at a time. A Thai
query word is never a prefix: typed text cut mid-word segments unpredictably.

Normalisation, the same on both sides: Unicode NFKC (full-width ＡＩ → ai, half-width ｶﾀｶﾅ
→ カタカナ, ① → 1), then case folding. Katakana and hiragana are kept as they are: folding one
into the other would make different words equal (カキ, かき).

A **query** becomes a list of required terms (AND): each CJK run of two or more characters
contributes its bigrams, a one-character run its unigram, each Latin word its stem. The last
Latin word may also be a **prefix** (a word still being typed): when it is not itself a word
of the index vocabulary, the index expands it to the words it begins (see
:class:`QueryText`). Term sets are bounded (:data:`MAX_QUERY_TERMS`), so no query text, of
any length or content, can make a search slow.

Pure: the stemmer is a C library with no I/O.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import icu
import Stemmer

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_TERMS",
    "QueryText",
    "QueryWord",
    "Segment",
    "fold",
    "index_terms",
    "is_cjk",
    "is_thai",
    "normalise",
    "parse_text",
    "segments",
    "stem",
    "thai_parts",
    "thai_words",
    "vocabulary_words",
]

#: Characters of query text looked at; the rest is ignored (a query is words, not a document).
MAX_QUERY_LENGTH = 1000
#: Distinct terms a query may require; more cannot narrow a result that is already empty.
MAX_QUERY_TERMS = 32
#: Longer Latin "words" are cut here on both sides (identifiers, pasted hashes, base64).
MAX_WORD_LENGTH = 48
#: A prefix shorter than this is not expanded (it would stand for most of the vocabulary).
MIN_PREFIX_LENGTH = 2

# Hiragana, katakana (without the middle dot ・ U+30FB and ゠ U+30A0, which separate words),
# katakana extensions, CJK ideographs (A and the BMP block, compatibility ideographs, the
# supplementary planes), the iteration marks 々〆〇, and Hangul syllables.
_CJK_RANGES = (
    "\u3005-\u3007\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003ffff"
)
_CJK = f"[{_CJK_RANGES}]"
#: The Thai block: letters, vowels and tone marks (the marks are not ``\\w``), Thai digits.
_THAI_RANGE = "\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59"
#: A run of CJK characters, a run of Thai, or a run of other letters, digits and combining
#: marks (underscore excluded).
_TOKEN = re.compile(
    f"({_CJK}+)|([{_THAI_RANGE}]+)"
    f"|((?:(?![{_CJK_RANGES}{_THAI_RANGE}])[^\\W_])(?:(?![{_CJK_RANGES}{_THAI_RANGE}])"
    "[^\\W_]|[\u0300-\u036f])*)")
#: Where a Thai word may begin: a consonant or a leading vowel (never a following vowel or
#: a mark).
_THAI_START = re.compile("[\u0e01-\u0e2e\u0e40-\u0e44]")
_CJK_CHAR = re.compile(_CJK)
#: Runs of one script inside CJK text: ideographs (with 々〆〇), katakana (with ー), hiragana.
_SCRIPT_RUN = re.compile(
    "([\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+)"
    "|([\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff]+)"
    "|([\u3041-\u309f]+)"
    "|([\uac00-\ud7af]+)"
)

_stemmer = Stemmer.Stemmer("english")
# PyStemmer objects keep an internal cache and are not thread-safe.
_stemmer_lock = threading.Lock()

#: Combining marks dropped by folding (after canonical decomposition), and the letters with
#: a stroke that do not decompose.
_MARKS = re.compile("[\u0300-\u036f]")
_STROKES = str.maketrans({"đ": "d", "ħ": "h", "ł": "l", "ø": "o"})

_thai_words = icu.BreakIterator.createWordInstance(icu.Locale("th"))
# ICU break iterators hold the text they are set to: one thread at a time.
_thai_lock = threading.Lock()


def normalise(text: str) -> str:
    """NFKC, then case folding: the form both documents and queries are compared in."""
    return unicodedata.normalize("NFKC", text).casefold()


def is_cjk(character: str) -> bool:
    """Whether ``character`` is indexed by n-grams (Japanese, Chinese, Korean scripts)."""
    return _CJK_CHAR.fullmatch(character) is not None


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball English stem of a normalised Latin word (digits are left alone)."""
    if word.isdigit():
        return word
    with _stemmer_lock:
        result: str = _stemmer.stemWord(word)
    return result


def fold(word: str) -> str:
    """``word`` without accents or other combining marks, đ as d: học → hoc, café → cafe."""
    return word if word.isascii() else _fold(word)


@lru_cache(maxsize=100_000)
def _fold(word: str) -> str:
    return unicodedata.normalize(
        "NFC", _MARKS.sub("", unicodedata.normalize("NFD", word))).translate(_STROKES)


@lru_cache(maxsize=100_000)
def thai_words(run: str) -> tuple[str, ...]:
    """The words of a run of Thai text, by ICU's dictionary-based word breaker."""
    with _thai_lock:
        _thai_words.setText(run)
        bounds = [0, *_thai_words]
    return tuple(run[start:end] for start, end in pairwise(bounds))


@lru_cache(maxsize=100_000)
def thai_parts(word: str) -> frozenset[str]:
    """The halves of a Thai compound the word breaker keeps whole: every split of ``word``
    into two pieces that are each one word to it, begin where a word can and are at least
    two characters long (มหาวิทยาลัย → มหา, วิทยาลัย)."""
    parts: set[str] = set()
    for index in range(2, len(word) - 1):
        head, tail = word[:index], word[index:]
        if (_THAI_START.match(tail) and thai_words(head) == (head,)
                and thai_words(tail) == (tail,)):
            parts.update((head, tail))
    return frozenset(parts)


def is_thai(word: str) -> bool:
    """Whether ``word`` is Thai (found by its words and compound parts)."""
    return "\u0e01" <= word[:1] <= "\u0e59"


@dataclass(frozen=True, slots=True)
class Segment:
    """One run of normalised text: CJK characters (n-grams) or a word (Latin words folded;
    stemmed)."""

    text: str
    cjk: bool


def segments(text: str) -> Iterator[Segment]:
    """The runs of ``text`` after normalisation; punctuation, symbols and emoji separate them.
    Thai runs come as their words, Latin words folded."""
    for match in _TOKEN.finditer(normalise(text)):
        cjk, thai, word = match.groups()
        if cjk:
            yield Segment(cjk, True)
        elif thai:
            for thai_word in thai_words(thai):
                yield Segment(thai_word[:MAX_WORD_LENGTH], False)
        else:
            yield Segment(fold(word)[:MAX_WORD_LENGTH], False)


def _ngrams(run: str) -> Iterator[str]:
    yield from run
    for index in range(len(run) - 1):
        yield run[index:index + 2]


def index_terms(text: str) -> frozenset[str]:
    """Every term a document containing ``text`` is found by."""
    terms: set[str] = set()
    thai: list[str] = []  # the Thai words just before, joined two and three at a time
    for segment in segments(text):
        if segment.cjk:
            terms.update(_ngrams(segment.text))
        elif is_thai(segment.text):
            terms.add(segment.text)
            terms.update(thai_parts(segment.text))
            thai = [*thai[-2:], segment.text]
            terms.update("".join(thai[start:]) for start in range(len(thai) - 1))
        else:
            terms.add(stem(segment.text))
            thai = []
    return frozenset(terms)


def vocabulary_words(text: str) -> Iterator[str]:
    """The words of ``text`` worth suggesting: Latin words and one-script CJK runs.

    Japanese has no spaces, but the change of script is a good-enough word boundary for
    suggestions: 実践データサイエンス入門 gives 実践, データサイエンス, 入門. Hiragana runs are
    mostly particles and inflections (の, による) and are left out, as are single characters.
    """
    for segment in segments(text):
        if not segment.cjk:
            if len(segment.text) >= 2 and not segment.text.isdigit():
                yield segment.text
            continue
        for match in _SCRIPT_RUN.finditer(segment.text):
            ideographs, katakana, _hiragana, hangul = match.groups()
            word = ideographs or katakana or hangul
            if word and len(word) >= 2:
                yield word


@dataclass(frozen=True, slots=True)
class QueryWord:
    """A word of the query as typed (normalised), with the terms it requires."""

    text: str
    cjk: bool
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueryText:
    """What a query's text asks for.

    Every one of ``terms`` must be in a document. ``prefix`` is the last Latin word when the
    text ends inside it (no space or punctuation after it); its stem is *not* in ``terms``:
    the index requires that stem when the prefix is a word of its vocabulary, else any word
    the prefix begins. ``words`` keep the query's words, for suggestions.
    """

    terms: tuple[str, ...]
    prefix: str | None
    words: tuple[QueryWord, ...]
    #: The query had text, but nothing searchable (only punctuation, symbols, emoji).
    unsearchable: bool = False

    @property
    def empty(self) -> bool:
        return not self.terms and self.prefix is None


def _cjk_query_terms(run: str) -> tuple[str, ...]:
    if len(run) == 1:
        return (run,)
    return tuple(dict.fromkeys(run[index:index + 2] for index in range(len(run) - 1)))


def parse_text(text: str) -> QueryText:
    """The terms a query's ``text`` requires (at most :data:`MAX_QUERY_TERMS`)."""
    return _parse_text(text[:MAX_QUERY_LENGTH])


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> QueryText:
    words: list[QueryWord] = []
    for segment in segments(text):
        if segment.cjk:
            words.append(QueryWord(segment.text, True, _cjk_query_terms(segment.text)))
        elif is_thai(segment.text):
            words.append(QueryWord(segment.text, False, (segment.text,)))
        else:
            words.append(QueryWord(segment.text, False, (stem(segment.text),)))
    if not words:
        return QueryText((), None, (), unsearchable=bool(text.strip()))
    prefix = None
    last = words[-1]
    if (not last.cjk and not is_thai(last.text) and len(last.text) >= MIN_PREFIX_LENGTH
            and not last.text.isdigit() and _ends_with_word(text)):
        prefix = last.text
    terms: list[str] = []
    for index, word in enumerate(words):
        if prefix is not None and index == len(words) - 1:
            break
        terms.extend(word.terms)
    distinct = tuple(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
    return QueryText(distinct, prefix, tuple(words))


def _ends_with_word(text: str) -> bool:
    """Whether the text ends inside a word (no space or punctuation after the last word)."""
    normalised = normalise(text)
    return bool(normalised) and (normalised[-1].isalnum() and not is_cjk(normalised[-1]))


def words_of(texts: Iterable[str]) -> set[str]:
    """The normalised Latin words of ``texts`` (what a prefix may expand to)."""
    return {segment.text for text in texts for segment in segments(text) if not segment.cjk}
