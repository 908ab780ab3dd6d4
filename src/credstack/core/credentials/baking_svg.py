"""Baking credentials into SVG images, and extracting them.

Specifications:

* *Open Badges Specification v3.0*, §5.3 "Baked Badge" → "SVG" (``#svg-baking``), 1EdTech
  Consortium, Final Release of 27 May 2024, https://www.imsglobal.org/spec/ob/v3p0/#baking
  — ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`` on the ``<svg>`` tag and,
  directly after it, one ``<openbadges:credential>``: a VC-JWT goes in its ``verify``
  attribute (no body); a credential with an embedded proof goes in its body as JSON wrapped
  in ``<![CDATA[…]]>`` (no ``verify``).
* *Open Badges Baking Specification* (Open Badges 2.0), IMS Global, Final Release of
  12 April 2018,
  https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html —
  ``xmlns:openbadges="http://openbadges.org"`` and one ``<openbadges:assertion verify="…">``:
  ``verify`` holds the signed assertion (compact JWS, no body) or the hosted assertion's URL,
  with the assertion JSON in a CDATA body.

Both: the element MUST appear only once; a re-bake may fail or overwrite (credstack fails
unless ``replace=True``); extraction reads the first such element (credstack reads them all
and refuses a second one).

Parsing untrusted XML: :mod:`defusedxml` (its ElementTree parser) with entity declarations
and external references refused, so neither an XXE payload nor a "billion laughs" expansion
can be declared; a document type declaration is accepted only *without* an internal subset —
the 1EdTech validator's own baked SVGs start with ``<!DOCTYPE svg PUBLIC … svg11.dtd>``,
which no parser here ever fetches. Undeclared entity references are not well-formed XML.
Images over :data:`MAX_SVG_BYTES` are refused before parsing, and parsing stops at the
element after :data:`MAX_SVG_ELEMENTS`: an 8 MiB file of ``<g/>`` would otherwise build two
million elements (some 900 MB) before anything is refused.

Baking edits the text instead of re-serialising the parsed tree: the image stays byte for
byte what it was (prefixes, comments, DOCTYPE, formatting), with one attribute and one
element added. The positions come from the parser (expat's byte index of each start and end
tag), so the edit lands on the real root tag of a document that parsed. Baking needs a UTF-8
document (the XML default); extraction reads any encoding expat reads.

Pure: bytes in, bytes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from credstack.core.images.baked import (
    Extracted,
    PayloadKind,
    Standard,
    already_baked,
    read_payload,
    several_baked,
    too_large_to_bake,
)
from credstack.errors import (
    InputError,
    InputTooLargeError,
    MalformedCredentialError,
    Problem,
    UnreadableInputError,
)

__all__ = [
    "MAX_SVG_BYTES",
    "MAX_SVG_ELEMENTS",
    "NAMESPACES",
    "SVG_NAMESPACE",
    "bake_svg",
    "extract_svg",
    "looks_like_svg",
]

SVG_NAMESPACE: Final = "http://www.w3.org/2000/svg"
#: The ``openbadges`` namespace of each standard.
NAMESPACES: Final = {Standard.OB3: "https://purl.imsglobal.org/ob/v3p0",
                     Standard.OB2: "http://openbadges.org"}
#: The element each standard bakes.
ELEMENTS: Final = {Standard.OB3: "credential", Standard.OB2: "assertion"}
#: The largest SVG credstack parses or bakes.
MAX_SVG_BYTES: Final = 8 * 1024 * 1024
#: The most elements an SVG may have. A badge has tens to a few thousand; a QR code drawn
#: square by square, as the DCC wallet's are, under a thousand.
MAX_SVG_ELEMENTS: Final = 50_000

_PREFIX: Final = "openbadges"
_ENCODING: Final = re.compile(
    rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_DECLARATION: Final = re.compile(rb"\sxmlns:openbadges\s*=\s*(\"[^\"]*\"|'[^']*')")


def looks_like_svg(data: bytes) -> bool:
    """Whether ``data`` looks like XML (what the SVG path should read, not JSON or a JWS)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


@dataclass(slots=True)
class _Positions:
    """Byte offsets of every element's start tag and end event, in document order."""

    starts: list[int] = field(default_factory=list)
    ends: dict[int, int] = field(default_factory=dict)
    open: list[int] = field(default_factory=list)


class _HardenedParser(DefusedXMLParser):  # type: ignore[misc]
    """defusedxml's parser, also refusing internal DTD subsets and recording positions."""

    def __init__(self, positions: _Positions) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        expat = self.parser
        expat.StartDoctypeDeclHandler = self._refuse_internal_subset
        start, end = expat.StartElementHandler, expat.EndElementHandler

        def on_start(tag: str, attributes: Any) -> Any:
            if len(positions.starts) >= MAX_SVG_ELEMENTS:
                raise _TooMany(f"line {expat.CurrentLineNumber}, "
                               f"column {expat.CurrentColumnNumber + 1}")
            positions.open.append(len(positions.starts))
            positions.starts.append(expat.CurrentByteIndex)
            return start(tag, attributes)

        def on_end(tag: str) -> Any:
            positions.ends[positions.open.pop()] = expat.CurrentByteIndex
            return end(tag)

        expat.StartElementHandler = on_start
        expat.EndElementHandler = on_end

    @staticmethod
    def _refuse_internal_subset(name: str, system_id: str | None, public_id: str | None,
                 has_internal_subset: bool) -> None:
        if has_internal_subset:
            raise _Refused("a DOCTYPE with an internal subset (where entities are declared)")


class _Refused(ValueError):
    pass


class _TooMany(ValueError):
    """Raised at the element past :data:`MAX_SVG_ELEMENTS`, naming where it starts."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    root: Element
    elements: list[Element]
    positions: _Positions


def _parse(data: bytes) -> _Parsed:
    if len(data) > MAX_SVG_BYTES:
        raise InputTooLargeError(
            f"the SVG image is {len(data):,} bytes; credstack reads at most {MAX_SVG_BYTES:,}",
            problems=[Problem("image", f"over {MAX_SVG_BYTES:,} bytes")])
    positions = _Positions()
    parser = _HardenedParser(positions)
    try:
        parser.feed(data)
        root = parser.close()
    except _TooMany as where:
        raise InputTooLargeError(
            f"the SVG image has more than {MAX_SVG_ELEMENTS:,} elements",
            problems=[Problem(str(where), f"element {MAX_SVG_ELEMENTS + 1:,} starts here; "
                                          "parsing stopped")]) from None
    except _Refused as refused:
        raise MalformedCredentialError("the SVG image declares a DTD subset; refused",
                                       problems=[Problem("DOCTYPE", str(refused))]) from None
    except DefusedXmlException as exc:
        raise MalformedCredentialError(
            "the SVG image declares entities or references external resources; refused",
            problems=[Problem("DOCTYPE", f"{type(exc).__name__}: {exc}")]) from None
    except ParseError as exc:
        line, column = exc.position
        raise UnreadableInputError(
            "the SVG image is not well-formed XML",
            problems=[Problem(f"line {line}, column {column + 1}", str(exc))]) from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise UnreadableInputError("not an SVG image", problems=[Problem(
            "root element", f"expected <svg> in {SVG_NAMESPACE}, found {root.tag}")])
    return _Parsed(root, list(root.iter()), positions)


def _qualified(standard: Standard) -> str:
    return f"{{{NAMESPACES[standard]}}}{ELEMENTS[standard]}"


def _label(standard: Standard) -> str:
    return f"<openbadges:{ELEMENTS[standard]}>"


def _found(parsed: _Parsed, standard: Standard) -> list[int]:
    """Indexes (in document order) of the standard's baked elements."""
    tag = _qualified(standard)
    return [index for index, element in enumerate(parsed.elements) if element.tag == tag]


def _unique(parsed: _Parsed) -> dict[Standard, Element]:
    found: dict[Standard, Element] = {}
    for standard in Standard:
        indexes = _found(parsed, standard)
        if len(indexes) > 1:
            raise several_baked(f"{_label(standard)} elements",
                                [f"{_label(standard)} #{n}" for n in range(1, len(indexes) + 1)])
        if indexes:
            found[standard] = parsed.elements[indexes[0]]
    return found


def _payload(standard: Standard, element: Element) -> Extracted:
    where = f"{_label(standard)} element"
    in_verify = f"verify attribute of the {where}"
    in_body = f"body of the {where}"
    verify = element.get("verify")
    body = "".join(element.itertext()).strip()
    if standard is Standard.OB3:
        if verify is not None and body:
            raise MalformedCredentialError(
                "the baked credential is ambiguous",
                problems=[Problem(where, "has both a verify attribute (VC-JWT) and a body "
                                         "(embedded proof); OB 3.0 allows one")])
        if verify is not None:
            extracted = read_payload(verify, standard=standard, where=in_verify)
            if extracted.kind is not PayloadKind.JWS:
                raise MalformedCredentialError("the verify attribute is not a VC-JWT",
                                               problems=[Problem(in_verify,
                                                                 "expected a compact JWS")])
            return extracted
        return read_payload(body, standard=standard, where=in_body)
    # OB 2.0: a body is the assertion; without one, verify holds a signature or a URL.
    if body:
        return read_payload(body, standard=standard, where=in_body)
    if verify is None:
        raise MalformedCredentialError("the baked assertion is empty", problems=[
            Problem(where, "neither a verify attribute nor a body")])
    return read_payload(verify, standard=standard, where=in_verify)


def extract_svg(data: bytes) -> Extracted:
    """The credential baked into an SVG image (OB 3.0 before OB 2.0 when both are there)."""
    found = _unique(_parse(data))
    for standard in (Standard.OB3, Standard.OB2):
        if standard in found:
            return _payload(standard, found[standard])
    raise InputError("the SVG image holds no baked credential", problems=[Problem(
        "svg", "no <openbadges:credential> (OB 3.0) or <openbadges:assertion> (OB 2.0) "
               "element")])


# --- baking ------------------------------------------------------------------------------


def _tag_end(data: bytes, start: int) -> int:
    """The offset of the ``>`` that closes the tag starting at ``start`` (quotes skipped)."""
    quote = 0
    for index in range(start + 1, len(data)):
        byte = data[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return index
    raise UnreadableInputError("the SVG image is truncated", problems=[  # pragma: no cover
        Problem(f"byte {start}", "a tag does not end")])


def _attribute(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;"))


def _cdata(text: str) -> str:
    # "]]>" ends a CDATA section; split it across two sections so the text survives intact.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _ob2_verify(document: dict[str, Any] | None) -> str | None:
    """The hosted URL an OB 2.0 assertion names (``verify.url``, else its ``id``)."""
    if document is None:
        return None
    verify = document.get("verify")
    url = verify.get("url") if isinstance(verify, dict) else None
    if not isinstance(url, str):
        url = document.get("id")
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def _element(payload: Extracted, namespace: str | None) -> str:
    name = f"{_PREFIX}:{ELEMENTS[payload.standard]}"
    declaration = f' xmlns:{_PREFIX}="{namespace}"' if namespace else ""
    if payload.kind is not PayloadKind.JSON:
        if payload.standard is Standard.OB3:
            return f'<{name}{declaration} verify="{_attribute(payload.text)}"></{name}>'
        return f'<{name}{declaration} verify="{_attribute(payload.text)}"/>'
    verify = _ob2_verify(payload.document) if payload.standard is Standard.OB2 else None
    attribute = f' verify="{_attribute(verify)}"' if verify else ""
    return f"<{name}{declaration}{attribute}>{_cdata(payload.text)}</{name}>"


def _require_utf8(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("credstack bakes UTF-8 SVG images", problems=[
            Problem("image", "this one is UTF-16; save it as UTF-8")])
    declared = _ENCODING.match(data)
    if declared and declared.group(1).lower() not in {b"utf-8", b"utf8", b"us-ascii"}:
        raise InputError("credstack bakes UTF-8 SVG images", problems=[Problem(
            "XML declaration", f"encoding {declared.group(1).decode()}; save it as UTF-8")])


def bake_svg(data: bytes, text: str, *, standard: Standard = Standard.OB3,
             replace: bool = False) -> bytes:
    """``data`` with ``text`` (credential JSON, compact JWS, or an OB 2.0 URL) baked in.

    The ``openbadges`` namespace is declared on the ``<svg>`` tag (or, when the image already
    binds that prefix to another namespace, on the new element itself) and the element goes
    directly after the ``<svg>`` start tag. An image that already carries a credential of
    the same standard is refused unless ``replace``, which removes the old element.
    """
    payload = read_payload(text, standard=standard, where=f"the {standard.label} credential")
    _require_utf8(data)
    parsed = _parse(data)
    existing = _found(parsed, standard)
    if existing and not replace:
        raise already_baked(standard, f"{_label(standard)} element")
    root_start = parsed.positions.starts[0]
    root_end = _tag_end(data, root_start)
    self_closing = data[root_end - 1] == 0x2F  # "<svg …/>"
    tag_close = root_end - 1 if self_closing else root_end
    declared = _DECLARATION.search(data, root_start, tag_close)
    namespace = NAMESPACES[standard]
    bound = declared.group(1)[1:-1].decode("utf-8") if declared else None
    element = _element(payload, namespace if bound not in (None, namespace) else None)
    # Edits as (start, end, replacement), applied from the last to the first.
    edits: list[tuple[int, int, bytes]] = []
    if bound is None:
        edits.append((tag_close, tag_close,
                      f' xmlns:{_PREFIX}="{namespace}"'.encode()))
    if self_closing:
        name = re.match(rb"<([^\s/>]+)", data[root_start:root_end + 1])
        assert name is not None
        edits.append((tag_close, root_end + 1,
                      b">" + element.encode() + b"</" + name.group(1) + b">"))
    else:
        edits.append((root_end + 1, root_end + 1, element.encode() + b"\n"))
    for index in existing:
        start = parsed.positions.starts[index]
        end = _tag_end(data, parsed.positions.ends[index]) + 1
        edits.append((start, end, b""))
    result = data
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1]),
                                          reverse=True):
        result = result[:start] + replacement + result[end:]
    if len(result) > MAX_SVG_BYTES:
        raise too_large_to_bake(MAX_SVG_BYTES)
    return result
