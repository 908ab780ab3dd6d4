"""Broken CASE packages and what refusing each says, in English and Japanese (issue 53: the
faults became message keys; ``case_words.json`` holds what was said before, word for word)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from credstack.core.skills.case import parse_package, read_package
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.errors import FrameworkError

FIXTURE = Path(__file__).with_name("third_party_case_package.json")


def _package() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text("utf-8"))
    return data


def _broken() -> Iterator[tuple[str, Callable[[dict[str, Any]], Any]]]:
    def change(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], Any]:
        def made(data: dict[str, Any]) -> Any:
            edit(data)
            return data
        return made

    def cycle(data: dict[str, Any]) -> None:
        loop = copy.deepcopy(data["CFAssociations"][1])
        loop["identifier"] = "f1000000-0000-4000-8000-0000000000ff"
        loop["uri"] = "https://frameworks.example.org/uri/loop"
        loop["originNodeURI"], loop["destinationNodeURI"] = \
            loop["destinationNodeURI"], loop["originNodeURI"]
        data["CFAssociations"].append(loop)

    yield "not-an-object", lambda data: []
    yield "no-document", lambda data: {"CFItems": []}
    yield "document-not-object", lambda data: {"CFDocument": "x"}
    yield "items-not-array", change(lambda d: d.update(CFItems={"a": 1}))
    yield "no-statement", change(lambda d: d["CFItems"][1].pop("fullStatement"))
    yield "empty-title", change(lambda d: d["CFDocument"].update(title=""))
    yield "bad-uri", change(lambda d: d["CFItems"][0].update(uri="not a 'uri'"))
    yield "item-not-object", change(lambda d: d["CFItems"].append("an item"))
    yield "keywords", change(lambda d: d["CFItems"][0].update(conceptKeywords=[1, 2]))
    yield "association-not-object", change(lambda d: d["CFAssociations"].append(3))
    yield "association-type", change(
        lambda d: d["CFAssociations"][0].update(associationType="isBestFriendOf"))
    yield "sequence", change(lambda d: d["CFAssociations"][0].update(sequenceNumber=1.5))
    yield "no-origin", change(lambda d: d["CFAssociations"][0].pop("originNodeURI"))
    yield "origin-uri", change(
        lambda d: d["CFAssociations"][0].update(originNodeURI="no uri at all"))
    yield "origin-not-link", change(lambda d: d["CFAssociations"][0].update(originNodeURI=7))
    yield "package-uri", change(lambda d: d["CFDocument"].update(CFPackageURI=[]))
    yield "duplicate", change(lambda d: d["CFItems"][2].update(
        identifier=d["CFItems"][0]["identifier"].upper()))
    yield "cycle", change(cycle)


def said_by_refusals() -> dict[str, dict[str, list[str]]]:
    """Each broken package's refusal in ``en`` and ``ja``: the error, then each problem
    (parsed data, and the same as JSON text so that problems are placed by line)."""
    found: dict[str, dict[str, list[str]]] = {}
    cases: list[tuple[str, Callable[[], Any]]] = []
    for name, make in _broken():
        data = make(_package())
        cases.append((f"{name}/data", lambda data=data: parse_package(data)))
        text = json.dumps(data, indent=2)
        cases.append((f"{name}/text", lambda text=text: read_package(text, source="p.json")))
    cases.append(("syntax/text", lambda: read_package('{\n  "CFDocument": ,\n}',
                                                     source="bad.json")))
    for name, run in cases:
        try:
            run()
        except FrameworkError as error:
            found[name] = {language: [said(error, language),
                                      *(problem_said(problem, language)
                                        for problem in error.problems)]
                           for language in ("en", "ja")}
        else:
            raise AssertionError(f"{name} was not refused")
    return found
