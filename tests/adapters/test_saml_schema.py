"""pysaml2's schema check by libxml2 (credstack.adapters.saml_schema): a SAML answer of
pysaml2's own identity provider, its assertion and its encrypted form are valid; the same with
an element out of order, an ID missing, a time that is not one, or an element no schema
allows are not, and pysaml2's own xmlschema validator judges each document alike."""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest
import saml2.sigver
import saml2.xml
from saml2 import samlp

from credstack.adapters.saml_schema import XMLSchemaError, validate
from tests.adapters.test_saml import Pair, _answer, pair  # noqa: F401 (the fixture)


@functools.cache
def _pysaml2s_schema() -> types.ModuleType:
    """pysaml2's own ``saml2.xml.schema`` (its xmlschema validator), read from its file: in
    this process that name is credstack's stand-in (credstack.adapters.saml_schema)."""
    path = Path(saml2.xml.__file__).parent / "schema" / "__init__.py"
    spec = importlib.util.spec_from_file_location("pysaml2s_xml_schema", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def by_xmlschema(document: str) -> None:
    """pysaml2's xmlschema validator's verdict, refused as :class:`XMLSchemaError`."""
    schema = _pysaml2s_schema()
    try:
        schema.validate(document)
    except schema.XMLSchemaError as exc:
        raise XMLSchemaError(*exc.args) from exc


def _documents(pair: Pair) -> dict[str, str]:  # noqa: F811
    plain = samlp.response_from_string(_answer(pair, encrypt=False))
    return {"response": str(plain), "assertion": str(plain.assertion[0]),
            "encrypted": str(samlp.response_from_string(_answer(pair)))}


def _issuer_after_status(response: str) -> str:
    issuer = re.search(r"<(?:\w+:)?Issuer[^>]*>[^<]*</(?:\w+:)?Issuer>", response)
    status = re.search(r"</(?:\w+:)?Status>", response)
    assert issuer and status
    moved = response.replace(issuer[0], "", 1)
    return moved.replace(status[0], status[0] + issuer[0], 1)


CHANGES: dict[str, tuple[str, Callable[[str], str]]] = {
    "an element out of order": ("response", _issuer_after_status),
    "no ID": ("assertion", lambda xml: xml.replace(' ID="', ' Id="', 1)),
    "a time that is not one": ("assertion",
                               lambda xml: xml.replace('IssueInstant="', 'IssueInstant="x', 1)),
    "an element no schema allows": ("response", lambda xml: re.sub(
        r"(<(?:\w+:)?Status>)", r'\1<Unknown xmlns="urn:credstack:nowhere"/>', xml, count=1)),
}


def _valid(check: Callable[[str], object], document: str) -> bool:
    try:
        check(document)
    except XMLSchemaError:
        return False
    return True


def test_the_providers_answer_is_valid(pair: Pair) -> None:  # noqa: F811
    for name, document in _documents(pair).items():
        assert _valid(validate, document), name
        assert _valid(by_xmlschema, document), name


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_answer_is_invalid_as_xmlschema_finds(pair: Pair, change: str  # noqa: F811
                                                        ) -> None:
    which, changed = CHANGES[change]
    document = changed(_documents(pair)[which])
    assert document != _documents(pair)[which] or change == "no ID"
    assert not _valid(validate, document)
    assert not _valid(by_xmlschema, document)


def test_what_is_not_xml_is_invalid() -> None:
    assert not _valid(validate, "<not xml")
    assert not _valid(validate, '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>')


def test_pysaml2s_signature_check_validates_with_libxml2() -> None:
    """pysaml2's signature module checks each element with :func:`validate`: its schema module
    is credstack's stand-in (pysaml2's own builds an xmlschema validator as it is imported,
    ~1 s of CPU in every process, never used), and what it refuses is the ``XMLSchemaError``
    pysaml2's signature module catches."""
    assert not hasattr(sys.modules["saml2.xml.schema"], "_schema_validator_default")
    assert saml2.sigver.XMLSchemaError is XMLSchemaError
    with pytest.raises(XMLSchemaError):
        saml2.sigver.validate_doc_with_schema("<not xml")
