"""The ``contexts`` step, for credentials and presentations alike: every JSON-LD context held.

:func:`check_contexts` asks the document loader for every context the document names
(:func:`context_urls`: inline ones and the proofs' included). credstack never fetches a
context, so a document that needs one the loader does not hold cannot be read safely: the
check is undecided ("could not be checked"), the context named as what is missing. The
``@context`` rules of the data model are :func:`..data_model.context_problems`.
"""

from __future__ import annotations

import weakref
from typing import Any

from credstack.core.said import Said
from credstack.core.verification import json_values
from credstack.core.verification.checks import passed, undecided
from credstack.core.verification.json_values import items
from credstack.core.verification.proofs import LinkedDataState
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Missing
from credstack.errors import CredstackError

__all__ = ["check_contexts", "context_urls"]

#: The context URLs each loader is known to hold. A loader serves a fixed set of documents
#: (it never fetches), so the answer does not change; asking again would copy the document.
_KNOWN_CONTEXTS: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def context_urls(document: Any) -> list[str]:
    """Every context URL the document names, inline contexts and proofs included, in order."""
    urls: dict[str, None] = {}
    for node in json_values.walk(document):
        if "@context" in node:
            for item in items(node["@context"]):
                if isinstance(item, str):
                    urls[item] = None
    return list(urls)


def check_contexts(state: LinkedDataState) -> Check:
    """``contexts``: every JSON-LD context is one the document loader holds (none is fetched).

    A presentation's proof covers the credentials in it, so their contexts count too.
    """
    document = state.document
    if document is None:
        return unread("contexts", state.subject)
    urls = context_urls(document)
    try:
        known = _KNOWN_CONTEXTS.setdefault(state.document_loader, set())
    except TypeError:  # a loader that cannot be weakly referenced: ask it every time
        known = set()
    unknown = []
    for url in urls:
        if url in known:
            continue
        try:
            state.document_loader(url, {})
        except CredstackError:
            unknown.append(url)
        else:
            known.add(url)
    if unknown:
        names: Said | str = ", ".join(unknown[:3])
        if len(unknown) > 3:
            names = Said("verification.check.contexts.more", names=names, more=len(unknown) - 3)
        return undecided(
            "contexts", "unknown-context",
            Said("verification.check.contexts.unknown", count=len(unknown), names=names,
                 subject=state.subject.said), "",
            Missing("context", "not-allowed", unknown[0], ", ".join(unknown)),
            unknown=unknown, contexts=urls)
    return passed("contexts", Said("verification.check.contexts.known", n=len(urls)),
                  contexts=urls)
