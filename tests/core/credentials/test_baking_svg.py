"""SVG baking (OB 3.0 §5.3, OB 2.0 Baking Specification): round trips, the 1EdTech validator's
baked SVGs, and hostile XML refused before anything is expanded or fetched."""

from __future__ import annotations

import json
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from credstack.core.credentials.baking_svg import (
    MAX_SVG_BYTES,
    MAX_SVG_ELEMENTS,
    NAMESPACES,
    bake_svg,
    extract_svg,
)
from credstack.core.images.baked import PayloadKind, Standard
from credstack.errors import (
    InputError,
    InputTooLargeError,
    MalformedCredentialError,
    UnreadableInputError,
)

#: The 1EdTech validator's fixtures, read from ../shared/ref at run time.
VALIDATOR = (Path(__file__).resolve().parents[3].parent / "shared" / "ref" / "examples"
             / "ob-v3p0" / "validator")
IMAGE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a badge -->\n'
         b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">\n'
         b'  <circle cx="256" cy="256" r="200" fill="#1F4E79"/>\n</svg>\n')
JWS = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZTppIn0.c2lnbmF0dXJl"
CREDENTIAL = json.dumps({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "A ]]> B & <C> \"D\"", "description": "改行\nあり"}, ensure_ascii=False)
OB2_ASSERTION = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                            "id": "https://issuer.example/assertions/1?a=1&b=2",
                            "verify": {"type": "hosted",
                                       "url": "https://issuer.example/assertions/1?a=1&b=2"}})


@pytest.mark.parametrize(("standard", "text", "kind"), [
    (Standard.OB3, CREDENTIAL, PayloadKind.JSON),
    (Standard.OB3, JWS, PayloadKind.JWS),
    (Standard.OB2, "https://issuer.example/assertions/1?a=1&b=2", PayloadKind.URL),
    (Standard.OB2, JWS, PayloadKind.JWS),
    (Standard.OB2, OB2_ASSERTION, PayloadKind.JSON),
], ids=["ob3-json", "ob3-vc-jwt", "ob2-url", "ob2-jws", "ob2-json"])
def test_bake_then_extract_gives_back_exactly_what_was_baked(
        standard: Standard, text: str, kind: PayloadKind) -> None:
    """Including JSON that contains "]]>", which needs two CDATA sections."""
    baked = bake_svg(IMAGE, text, standard=standard)
    extracted = extract_svg(baked)
    assert (extracted.standard, extracted.kind, extracted.text) == (standard, kind, text)


def test_the_element_follows_the_svg_tag_with_the_namespace_declared_on_it() -> None:
    """OB 3.0: xmlns:openbadges on <svg>, then <openbadges:credential> directly after it."""
    baked = bake_svg(IMAGE, JWS)
    root = SafeET.fromstring(baked)
    assert root[0].tag == f"{{{NAMESPACES[Standard.OB3]}}}credential"
    assert root[0].get("verify") == JWS
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">' \
           b'<openbadges:credential verify="' in baked


def test_ob3_json_goes_in_cdata_without_verify_and_ob2_json_keeps_its_url() -> None:
    ob3 = bake_svg(IMAGE, CREDENTIAL)
    assert b"<openbadges:credential><![CDATA[{" in ob3
    ob2 = bake_svg(IMAGE, OB2_ASSERTION, standard=Standard.OB2)
    element = SafeET.fromstring(ob2)[0]
    assert element.get("verify") == "https://issuer.example/assertions/1?a=1&b=2"
    assert b'xmlns:openbadges="http://openbadges.org"' in ob2


def test_the_rest_of_the_image_is_kept_byte_for_byte() -> None:
    """Baking edits the text: the prolog, comments and drawing stay exactly as they were."""
    baked = bake_svg(IMAGE, JWS)
    head, _, tail = IMAGE.partition(b'viewBox="0 0 512 512"')
    assert baked.startswith(head + b'viewBox="0 0 512 512" xmlns:openbadges=')
    assert baked.endswith(b"\n" + tail[1:])


def test_a_second_bake_is_refused_unless_replacing() -> None:
    once = bake_svg(IMAGE, JWS)
    with pytest.raises(InputError, match="already holds"):
        bake_svg(once, CREDENTIAL)
    replaced = bake_svg(once, CREDENTIAL, replace=True)
    assert extract_svg(replaced).text == CREDENTIAL
    assert replaced.count(b"<openbadges:credential") == 1
    assert replaced.count(b"xmlns:openbadges") == 1


def test_a_prefix_bound_to_another_namespace_is_redeclared_on_the_element() -> None:
    image = (b'<s:svg xmlns:s="http://www.w3.org/2000/svg" '
             b'xmlns:openbadges="http://openbadges.org"><s:g/></s:svg>')
    baked = bake_svg(image, JWS)
    assert extract_svg(baked).standard is Standard.OB3
    assert b'<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' \
           in baked


def test_an_empty_svg_element_is_opened_to_take_the_credential() -> None:
    baked = bake_svg(b'<svg xmlns="http://www.w3.org/2000/svg"/>', JWS)
    assert baked.endswith(b"</openbadges:credential></svg>")
    assert extract_svg(baked).text == JWS


@pytest.mark.parametrize(("name", "kind"), [("simple-json.svg", PayloadKind.JSON),
                                            ("simple-jwt.svg", PayloadKind.JWS),
                                            ("simple-jwt_v1.svg", PayloadKind.JWS)])
def test_the_1edtech_validators_baked_svgs_are_read(name: str, kind: PayloadKind) -> None:
    """They start with a DOCTYPE naming the SVG 1.1 DTD: accepted, and never fetched."""
    path = VALIDATOR / name
    if not path.exists():
        pytest.skip(f"{path} is not in ../shared/ref")
    extracted = extract_svg(path.read_bytes())
    assert (extracted.standard, extracted.kind) == (Standard.OB3, kind)
    if kind is PayloadKind.JSON:
        assert extracted.document is not None
        assert "OpenBadgeCredential" in extracted.document["type"]
    rebaked = bake_svg(path.read_bytes(), JWS, replace=True)
    assert extract_svg(rebaked).text == JWS


# --- refusals -------------------------------------------------------------------------------

#: The start of an OB 3.0 baked SVG: the <svg> element with the OB 3.0 namespace.
OB3_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" '
           b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">')
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n'
       b'  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
       + OB3_SVG + b"<openbadges:credential>&xxe;</openbadges:credential></svg>")
BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n'
                  b' <!ENTITY lol "lol">\n'
                  + b"".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n'.encode()
                             for n in range(1, 10)).replace(b"&lol0;", b"&lol;")
                  + b"]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">&lol9;</svg>")
PARAMETER_ENTITY = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n'
                    b'  <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd">\n  %remote;\n]>\n'
                    b'<svg xmlns="http://www.w3.org/2000/svg"/>')


@pytest.mark.parametrize(("document", "first"), [
    (XXE, "name='xxe', system_id='file:///etc/passwd'"),
    (BILLION_LAUGHS, "name='lol', system_id=None"),
    (PARAMETER_ENTITY, "name='remote', system_id='http://127.0.0.1:9/evil.dtd'"),
], ids=["external-entity", "billion-laughs", "parameter-entity"])
def test_entity_declarations_are_refused_before_anything_expands(document: bytes,
                                                                 first: str) -> None:
    """XXE, entity expansion and remote DTDs: refused, for both, at the DOCTYPE's first entity
    declaration — the refusal names it — so no entity is ever expanded or fetched (the
    billion laughs' nine other declarations are never even read)."""
    for operation in (extract_svg, lambda data: bake_svg(data, JWS)):
        with pytest.raises(MalformedCredentialError, match="refused") as caught:
            operation(document)
        assert caught.value.problems[0].location == "DOCTYPE"
        assert caught.value.problems[0].message == (
            f"EntitiesForbidden: EntitiesForbidden({first}, public_id=None)")
        assert "root:" not in str(caught.value)


def test_an_external_dtd_is_never_fetched_so_its_entities_stay_undefined() -> None:
    """A DOCTYPE naming a remote DTD is not read: an entity it would define is an error."""
    document = (b'<!DOCTYPE svg SYSTEM "http://127.0.0.1:9/evil.dtd">'
                b'<svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>')
    with pytest.raises(UnreadableInputError, match="not well-formed") as caught:
        extract_svg(document)
    assert "undefined entity" in str(caught.value)


def test_xml_that_is_not_well_formed_is_refused_with_its_position() -> None:
    with pytest.raises(UnreadableInputError, match="not well-formed") as caught:
        extract_svg(b'<svg xmlns="http://www.w3.org/2000/svg">\n  <g>\n</svg>')
    assert caught.value.problems[0].location == "line 3, column 3"


@pytest.mark.parametrize("document", [
    b"<html><body/></html>",
    b'<svg xmlns="http://example.org/not-svg"/>',
])
def test_a_document_that_is_not_svg_is_refused(document: bytes) -> None:
    with pytest.raises(UnreadableInputError, match="not an SVG"):
        extract_svg(document)


def test_no_element_is_reported_as_nothing_baked() -> None:
    with pytest.raises(InputError, match="holds no baked credential") as caught:
        extract_svg(IMAGE)
    assert not isinstance(caught.value, MalformedCredentialError)


def test_two_elements_are_an_error() -> None:
    once = bake_svg(IMAGE, JWS)
    twice = once.replace(b"</svg>", b'<openbadges:credential verify="' + JWS.encode()
                         + b'"/></svg>')
    with pytest.raises(MalformedCredentialError, match="2 <openbadges:credential> elements"):
        extract_svg(twice)


def test_an_ob3_element_with_both_a_jws_and_json_is_ambiguous() -> None:
    document = (OB3_SVG + b'<openbadges:credential verify="' + JWS.encode() + b'"><![CDATA['
                + b"{}]]></openbadges:credential></svg>")
    with pytest.raises(MalformedCredentialError, match="ambiguous"):
        extract_svg(document)


def test_an_ob3_verify_attribute_must_be_a_jws() -> None:
    document = OB3_SVG + b'<openbadges:credential verify="https://issuer.example/c"/></svg>'
    with pytest.raises(MalformedCredentialError) as caught:
        extract_svg(document)
    assert caught.value.problems[0].location == \
        "verify attribute of the <openbadges:credential> element"


def test_an_oversized_image_is_refused_before_parsing() -> None:
    with pytest.raises(InputTooLargeError):
        extract_svg(b"<svg>" + b" " * MAX_SVG_BYTES + b"</svg>")


def test_an_element_bomb_is_refused_where_it_passes_the_limit() -> None:
    """Two million empty elements in 8 MiB: parsing stops at the first one too many — the
    refusal names its place — so the tree never grows past the limit (it used to take some
    900 MB and six seconds; the time is bench work, not a test's: a loaded CI machine took
    7 s over a bound of 2)."""
    document = (b'<svg xmlns="http://www.w3.org/2000/svg">\n'
                + b"<g/>" * (2 * 1024 * 1024 - 20) + b"</svg>")
    with pytest.raises(InputTooLargeError, match="more than 50,000 elements") as caught:
        extract_svg(document)
    # The root is element 1, so element 50,001 is the 50,000th <g/> on line 2.
    column = 1 + 4 * (MAX_SVG_ELEMENTS - 1)
    assert caught.value.problems[0].location == f"line 2, column {column}"


def test_an_image_at_the_element_limit_is_read() -> None:
    document = (b'<svg xmlns="http://www.w3.org/2000/svg">'
                + b"<g/>" * (MAX_SVG_ELEMENTS - 2)
                + b'<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"'
                + b' verify="' + JWS.encode() + b'"/></svg>')
    assert extract_svg(document).text == JWS


def test_baking_needs_utf8() -> None:
    latin1 = b'<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(InputError, match="UTF-8"):
        bake_svg(latin1, JWS)
    utf16 = '<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16")
    with pytest.raises(InputError, match="UTF-8"):
        bake_svg(utf16, JWS)
    assert extract_svg(bake_svg(b"\xef\xbb\xbf" + IMAGE, JWS)).text == JWS


def test_our_badge_design_bakes_and_extracts(tmp_path: Path) -> None:
    """The design credstack generates is a valid baking target."""
    from credstack.core.descriptors import parse_programme
    from credstack.core.images.badge_svg import badge_svg, design_for_programme
    from tests.helpers import programme

    svg = badge_svg(design_for_programme(parse_programme(programme()))).encode()
    assert extract_svg(bake_svg(svg, CREDENTIAL)).text == CREDENTIAL
