"""The XML Schema check pysaml2 makes of each signed SAML element before its signature is
verified, by libxml2 (lxml) instead of the pure-Python xmlschema: the same schema documents,
pysaml2's own copies (``saml2.data.schemas``), the same namespaces, strict as before.

Why: pysaml2 validates each signed element it verifies (the Response, then the decrypted
Assertion) with xmlschema, ~10 ms each on an idle machine and most of the CPU of an answer
after its signatures; libxml2 does the same work in well under a millisecond.

:func:`install` puts :func:`validate` where pysaml2's signature check calls its validator
(``saml2.sigver.validate_doc_with_schema``); a document that does not validate raises
pysaml2's :class:`~saml2.xml.schema.XMLSchemaError`, as before, which pysaml2 turns into a
refused signature. The schema documents are read from the package's files only, never from
the network; the document checked is parsed without DTDs or entities.

pysaml2's own ``saml2.xml.schema`` builds its xmlschema validator as it is imported (by
``saml2.sigver``): 1.1–1.6 s of CPU in every process that imports the web app, for a validator
this module replaces. Imported before pysaml2's signature module (:mod:`credstack.adapters.saml`
imports this module first), this module stands in for ``saml2.xml.schema``: the same
``XMLSchemaError`` class and a ``validate`` that is :func:`validate`. Where pysaml2's module
was imported already, it is left as it is and :func:`install` replaces its validator as before.
"""

from __future__ import annotations

import functools
import sys
import threading
import types
from importlib.resources import files
from typing import Any, Final

import saml2.data.schemas
import saml2.xml
from lxml import etree

__all__ = ["XMLSchemaError", "install", "validate"]

_PYSAML2_SCHEMA: Final = "saml2.xml.schema"


class _StandInError(Exception):
    """Generic error raised when the schema does not validate with a document (as pysaml2's
    ``saml2.xml.schema.XMLSchemaError``, whose place it takes)."""


if _PYSAML2_SCHEMA not in sys.modules:
    _stand_in = types.ModuleType(_PYSAML2_SCHEMA, __doc__)
    _StandInError.__module__ = _PYSAML2_SCHEMA
    _StandInError.__name__ = _StandInError.__qualname__ = "XMLSchemaError"
    _stand_in.XMLSchemaError = _StandInError  # type: ignore[attr-defined]
    _stand_in.validate = lambda doc, validator=None: validate(doc)  # type: ignore[attr-defined]
    sys.modules[_PYSAML2_SCHEMA] = _stand_in
    saml2.xml.schema = _stand_in

#: The class pysaml2's signature check catches: the stand-in's, or pysaml2's own module's
#: where that was imported before this one.
XMLSchemaError: type[Exception] = sys.modules[_PYSAML2_SCHEMA].XMLSchemaError

import saml2.sigver  # noqa: E402 (after the stand-in, which it imports)

#: pysaml2's namespaces and schema files (saml2.xml.schema), all imported by one schema.
_LOCATIONS: Final = {
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
    "http://schemas.xmlsoap.org/soap/envelope/": "envelope.xsd",
    "http://www.w3.org/2001/04/xmlenc#": "xenc-schema.xsd",
    "http://www.w3.org/2009/xmlenc11#": "xenc-schema-11.xsd",
    "http://www.w3.org/2000/09/xmldsig#": "xmldsig-core-schema.xsd",
    "urn:oasis:names:tc:SAML:2.0:assertion": "saml-schema-assertion-2.0.xsd",
    "urn:oasis:names:tc:SAML:2.0:metadata": "saml-schema-metadata-2.0.xsd",
    "urn:oasis:names:tc:SAML:2.0:protocol": "saml-schema-protocol-2.0.xsd",
    "http://eidas.europa.eu/metadata/servicelist": "eidas-schema-metadata-servicelist.xsd",
    "http://eidas.europa.eu/saml-extensions": "eidas-schema-saml-extensions.xsd",
    "http://eidas.europa.eu/attributes/naturalperson":
        "eidas-schema-attribute-naturalperson.xsd",
    "http://eidas.europa.eu/attributes/legalperson": "eidas-schema-attribute-legalperson.xsd",
}
_XS: Final = "http://www.w3.org/2001/XMLSchema"


class _Local(etree.Resolver):  # type: ignore[misc]
    """Schema documents from pysaml2's package only."""

    def resolve(self, url: str, public_id: str | None, context: Any) -> Any:
        path = files(saml2.data.schemas).joinpath(url.rsplit("/", 1)[-1])
        if path.is_file():
            return self.resolve_filename(str(path), context)
        raise XMLSchemaError(f"no local copy of {url}")


_lock = threading.Lock()


@functools.cache
def _schema() -> etree.XMLSchema:
    folder = files(saml2.data.schemas)
    imports = "".join(
        f'<xs:import namespace="{space}" schemaLocation="{folder.joinpath(name)}"/>'
        for space, name in _LOCATIONS.items())
    parser = etree.XMLParser(no_network=True, resolve_entities=True, load_dtd=True)
    parser.resolvers.add(_Local())
    root = etree.fromstring(
        f'<xs:schema xmlns:xs="{_XS}" targetNamespace="urn:credstack:saml-schemas">'
        f"{imports}</xs:schema>".encode(), parser,
        base_url=str(folder.joinpath("credstack.xsd")))
    return etree.XMLSchema(root)


_parser: Final = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False)


def validate(document: str | bytes) -> None:
    """``document`` valid by the SAML schemas; :class:`XMLSchemaError` otherwise."""
    data = document.encode("utf-8") if isinstance(document, str) else document
    try:
        root = etree.fromstring(data, parser=_parser)
    except etree.XMLSyntaxError as exc:
        raise XMLSchemaError({"doc": document, "error": str(exc)}) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise XMLSchemaError({"doc": document, "error": "a DTD"})
    schema = _schema()
    # An lxml XMLSchema is not to be used by two threads at once.
    with _lock:
        valid = schema.validate(root)
        error = str(schema.error_log.last_error) if not valid else ""
    if not valid:
        raise XMLSchemaError({"doc": document, "error": error})


def install() -> None:
    """Have pysaml2's signature checks validate with :func:`validate`."""
    _schema()
    saml2.sigver.validate_doc_with_schema = validate
