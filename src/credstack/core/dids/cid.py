"""Verification methods named by HTTPS URLs: controller documents and the methods in them.

Controlled Identifiers (CIDs) v1.0 — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/cid-1.0/ — §3.3 "Retrieve Verification Method": a verification method
``https://issuer.example/profile#key-1`` is found by dereferencing the URL without its fragment
(:func:`document_url`). What comes back is either

* the **controller document** itself (its ``id`` is that URL): the method is looked up in it
  as in a DID document — listed, under ``assertionMethod``, controlled by the document's
  ``id`` (Open Badges 3.0 issuers whose profile URL names their keys, as 1EdTech's examples
  do); or
* the **verification method** alone (a ``Multikey`` or ``JsonWebKey`` with its key and its
  ``controller``): then the controller's own document, fetched from the ``controller`` URL,
  must list it under ``assertionMethod`` — a key cannot make itself someone's by naming them
  (as Digital Bazaar's ``jsonld-signatures`` checks it).

Either way the controller is the URL of the controller document, which the ``issuer`` check
compares with the credential's issuer. Both URLs must be HTTPS. The lookup and its errors are
:func:`~credstack.core.dids.did_web.controlled_method`'s, shared with did:web. Everything here
is pure: fetching is an adapter's (:mod:`credstack.adapters.resolvers.did_web`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from credstack.core.said import Said
from credstack.errors import DidDocumentError, MalformedCredentialError, Problem

from .did_web import AssertionMethod, controlled_method, json_object

__all__ = ["PREFIX", "assertion_method", "controller_of", "document_url", "is_method",
           "read_document"]

PREFIX: Final = "https://"
#: The prefix of what this module says (``dids.cid.…``).
_SAID: Final = "dids.cid."
_KEY_MEMBERS: Final = ("publicKeyMultibase", "publicKeyJwk")


def document_url(method: str) -> str:
    """The URL ``method`` is dereferenced at: itself without its fragment.

    Raises :class:`~credstack.errors.MalformedCredentialError` for anything but an absolute
    HTTPS URL with a host (and no user name).
    """
    url = method.partition("#")[0]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise _not_https(method, str(exc)) from None
    if parts.scheme != "https" or not parts.hostname:
        raise _not_https(method, Said(_SAID + "https_only"))
    if parts.username is not None or parts.password is not None:
        raise _not_https(method, Said(_SAID + "user_name"))
    return url


def read_document(url: str, data: bytes | str) -> dict[str, Any]:
    """The JSON object at ``url`` (a controller document or a verification method).

    Raises :class:`~credstack.errors.DidDocumentError` when it is not one.
    """
    return json_object(data, Said(_SAID + "where.document", url=url))


def is_method(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is a verification method (it holds a key) rather than a
    controller document (which lists methods)."""
    return any(member in document for member in _KEY_MEMBERS)


def controller_of(method_document: Mapping[str, Any], method: str) -> str:
    """The controller URL a verification method names, once its ``id`` is ``method``.

    Raises :class:`~credstack.errors.DidDocumentError` for a method with another id, no
    controller or a controller URL with a fragment,
    :class:`~credstack.errors.MalformedCredentialError` for a controller that is not an HTTPS
    URL.
    """
    where = Said(_SAID + "where.method", url=document_url(method))
    if method_document.get("id") != method:
        raise DidDocumentError(code=_SAID + "other_id", params={
            "where": where, "quoted": repr(method_document.get("id")), "method": method})
    controller = method_document.get("controller")
    if not isinstance(controller, str):
        raise DidDocumentError(code=_SAID + "no_controller", params={"where": where})
    if "#" in controller:
        raise DidDocumentError(code=_SAID + "controller_fragment",
                               params={"where": where, "controller": controller})
    return document_url(controller)


def assertion_method(document: Mapping[str, Any], method: str, *,
                     method_document: Mapping[str, Any] | None = None) -> AssertionMethod:
    """The key of ``method``, if its controller lets it assert.

    ``document`` is the controller document: the one at :func:`document_url`, or — when that
    URL gave the verification method alone (``method_document``) — the one at its
    :func:`controller_of`. Raises :class:`~credstack.errors.DidDocumentError` as
    :func:`~credstack.core.dids.did_web.controlled_method` does.
    """
    if method_document is None:
        controller = document_url(method)
        return controlled_method(document, method, controller=controller,
                                 where=Said(_SAID + "where.controller", url=controller))
    controller = controller_of(method_document, method)
    listed = document.get("verificationMethod", [])
    # The method as its own URL gave it counts as listed by the controller only with the
    # same content; the controller must still name it under assertionMethod.
    merged = ({**document, "verificationMethod": [*listed, dict(method_document)]}
              if isinstance(listed, list) else document)
    return controlled_method(merged, method, controller=controller,
                             where=Said(_SAID + "where.controller", url=controller))


def _not_https(method: str, reason: str | Said) -> MalformedCredentialError:
    """``method`` is no URL credstack resolves, for ``reason`` (said, or Python's words)."""
    problem = (Problem("verificationMethod", reason) if isinstance(reason, str) else
               Problem("verificationMethod", code=reason.key, params=reason.params))
    return MalformedCredentialError(code=_SAID + "unresolvable",
                                    params={"quoted": repr(method), "why": reason},
                                    problems=[problem])
