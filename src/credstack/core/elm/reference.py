"""The European Commission's ELM v3 files credstack checks EDCs with, pinned by digest.

Reading an EDC needs three documents that are standards data, not code: the EDC-AP JSON-LD
context (``http://data.europa.eu/snb/model/context/edc-ap``), the EDC application profiles'
SHACL shapes, and EBSI's JSON Schema for EDC (ELM 3.2). They are EUPL-1.2 (the shapes also
declare CC BY 4.0). credstack does not bundle them: the operator points
``CREDSTACK_ELM_DIR`` at a copy laid out as the European Commission and EBSI publish them
(:data:`FILES` names each file by its path there), and every file is checked against the
SHA-256 pinned here before it is used, so what an EDC means and what it is checked against
cannot change with the copy. The European Commission's published files are the ones of
``european-commission-empl/European-Learning-Model`` at commit ``9d7c5d22002237c3`` (ELM
3.1.0, 2023) and EBSI's ``@cef-ebsi/vcdm2.0-europass-edc-schema`` 2.1.0 and
``@cef-ebsi/vcdm2.0-attestation-schema`` 1.2.0.

:class:`ElmReference` holds them once read: the context (served by credstack's document
loader, never fetched), the shapes of each profile compiled on first use and kept, and the
EBSI schema's validator.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import referencing
import referencing.jsonschema
from cachetools import LRUCache
from jsonschema import Draft202012Validator
from referencing.exceptions import NoSuchResource

from credstack.core.elm.shapes import CompiledShapes
from credstack.core.elm.vocabulary import SHAPES_PREFIX

__all__ = ["CONTEXT_FILE", "DEFAULT_PROFILE", "EBSI_ATTESTATION_FILE", "EBSI_SCHEMA_FILE", "FILES",
           "LOQ_PROFILE", "PROFILES", "ElmReference", "ebsi_validator"]

CONTEXT_FILE: Final = "ec-elm/context/edc-ap-context.jsonld"
EBSI_SCHEMA_FILE: Final = "ebsi-edc-schema/schema.json"
EBSI_ATTESTATION_FILE: Final = "ebsi-edc-schema/vcdm2.0-attestation-schema/schema.json"

#: Each file credstack reads, by its path in the published layout, and its SHA-256.
FILES: Final[Mapping[str, str]] = {
    CONTEXT_FILE: "528f8a0e86dbbec7db2216c61806e6311feedac77a51d1a38b0a1d49e4c337fb",
    "ec-elm/shacl/EDC-generic-no-cv.ttl":
        "14e691293cad67283301f032b946fdf104687547327bfd0eef747afa3316115d",
    "ec-elm/shacl/EDC-generic-full.ttl":
        "5e409f5bb79e0013867f63b8e5174ae4013bb971a0d729fd77ba2fb531e1be8b",
    "ec-elm/shacl/EDC-accredited.ttl":
        "66c35372876305e3fa9b96d008f88770bf74bab4a1e8e70084fb2660f9e199e8",
    "ec-elm/shacl/EDC-converted.ttl":
        "93792d2ed00ff760044745728fb2db00486d369275da526de6491e4c16184e94",
    "ec-elm/shacl/EDC-diplomaSupplement.ttl":
        "80c1b3bede8bd9f56b6c082b1b380397870669bec935a251185faab016628044",
    "ec-elm/shacl/EDC-issuedByMandate.ttl":
        "1661026c61ae499923d05b9ae24e65f01853ec9ca5fa0f5e6c8dc35fe27fe76c",
    "ec-elm/shacl/LOQ-constraints.ttl":
        "729af82c6b697dcaa5d591691f0583f8f63ff204820b8a9f2a3511520bcd4156",
    EBSI_SCHEMA_FILE: "eaf2c2aa277a82ba4c2252fe6601cdcab71b147d720206a349176e76001b60cc",
    EBSI_ATTESTATION_FILE: "ea666c48d5730742eea7b18af51be24e7c97e5db6a7aed6c73f7f2f946a4eebf",
}

#: The LOQ application profile (learning opportunities and qualifications).
LOQ_PROFILE: Final = f"{SHAPES_PREFIX}loq-constraints"

#: Each application profile: its shapes file and the profile its file ``owl:imports``.
PROFILES: Final[Mapping[str, tuple[str, str | None]]] = {
    f"{SHAPES_PREFIX}edc-generic-no-cv": ("ec-elm/shacl/EDC-generic-no-cv.ttl", None),
    f"{SHAPES_PREFIX}edc-generic-full": ("ec-elm/shacl/EDC-generic-full.ttl",
                                         f"{SHAPES_PREFIX}edc-generic-no-cv"),
    f"{SHAPES_PREFIX}edc-accredited": ("ec-elm/shacl/EDC-accredited.ttl",
                                       f"{SHAPES_PREFIX}edc-generic-full"),
    f"{SHAPES_PREFIX}edc-converted": ("ec-elm/shacl/EDC-converted.ttl",
                                      f"{SHAPES_PREFIX}edc-generic-full"),
    f"{SHAPES_PREFIX}edc-diplomaSupplement": ("ec-elm/shacl/EDC-diplomaSupplement.ttl",
                                              f"{SHAPES_PREFIX}edc-accredited"),
    f"{SHAPES_PREFIX}edc-issuedByMandate": ("ec-elm/shacl/EDC-issuedByMandate.ttl",
                                            f"{SHAPES_PREFIX}edc-generic-full"),
    # The learning opportunities and qualifications profile (the Qualification Dataset
    # Register's): datasets, not credentials, are checked against it.
    LOQ_PROFILE: ("ec-elm/shacl/LOQ-constraints.ttl", None),
}

#: Credentials whose contexts and shapes outcome is remembered (a few hundred bytes each).
REMEMBERED: Final = 4096

_T = TypeVar("_T")

#: The profile a credential is checked against when it names none.
DEFAULT_PROFILE: Final = f"{SHAPES_PREFIX}edc-generic-full"


@dataclass(slots=True)
class ElmReference:
    """The checked ELM files (``texts``: path → text), ready to use.

    Made once per process by the adapter that reads ``CREDSTACK_ELM_DIR``; the shapes of
    each profile are compiled the first time a credential names it, and kept. What the
    contexts and the shapes say of one credential depends on nothing else (these files are
    fixed), so it is remembered by the credential's digest (:meth:`remembered`): a credential
    shown again in the wallet or a share is not expanded and validated again.
    """

    context: Mapping[str, Any]
    texts: Mapping[str, str]
    ebsi_schema: Draft202012Validator
    _compiled: dict[str, CompiledShapes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _outcomes: LRUCache[Hashable, Any] = field(default_factory=lambda: LRUCache(REMEMBERED))
    _outcomes_lock: threading.Lock = field(default_factory=threading.Lock)

    def remembered(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``'s answer for ``key`` the first time, the same answer after that."""
        with self._outcomes_lock:
            known = self._outcomes.get(key)
        if known is not None:
            found: _T = known
            return found
        value = compute()
        with self._outcomes_lock:
            self._outcomes[key] = value
        return value

    def shapes(self, profile: str) -> CompiledShapes:
        """The compiled shapes of ``profile`` (an AP URI of :data:`PROFILES`); ``KeyError``
        for a profile credstack does not know."""
        with self._lock:
            compiled = self._compiled.get(profile)
            if compiled is None:
                compiled = CompiledShapes(profile, [self.texts[path]
                                                    for path in _files_of(profile)])
                self._compiled[profile] = compiled
            return compiled


def _files_of(profile: str) -> list[str]:
    """The shapes files of ``profile`` and of every profile it imports, base first."""
    files: list[str] = []
    current: str | None = profile
    while current is not None:
        path, current = PROFILES[current]
        files.insert(0, path)
    return files


def ebsi_validator(schema: Mapping[str, Any], attestation: Mapping[str, Any]
                   ) -> Draft202012Validator:
    """The validator of EBSI's EDC schema, its ``allOf`` reference to the Verifiable
    Attestation schema answered with ``attestation`` and every other reference refused.

    The published schema refers to ``./node_modules/@cef-ebsi/vcdm2.0-attestation-schema/
    schema.json`` and the vendored copy to ``./vcdm2.0-attestation-schema/schema.json``, both
    relative to wherever the file lies: whatever the reference resolves to, a URI ending in the
    attestation schema's path is that schema.
    """
    attestation_resource = referencing.jsonschema.DRAFT202012.create_resource(dict(attestation))

    def retrieve(uri: str) -> referencing.Resource[Any]:
        if uri.endswith("vcdm2.0-attestation-schema/schema.json"):
            return attestation_resource
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]

    registry: referencing.Registry[Any] = referencing.Registry(retrieve=retrieve)  # type: ignore[call-arg]
    return Draft202012Validator(dict(schema), registry=registry)
