"""The descriptor model's own refusals say in English and Japanese, word for word, what they
said before their words moved into the ``validation-error`` vocabulary (issue 53).

``models_words.json`` holds, for a document each refusal of :mod:`credstack.core.descriptors.models`
meets, the error's kind, location and Pydantic message, and its English and Japanese as
:func:`~credstack.core.descriptors.interchange.words.words_for` read them, recorded when the
words were in the code. The refusals are now kinds with their values; the words read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from credstack.core.descriptors.interchange.words import words_for
from credstack.core.descriptors.models import AwardedMicroCredential, Programme

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "models_words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("recorded", RECORDED, ids=[row["kind"] for row in RECORDED])
def test_a_refusal_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The same kind at the same place, Pydantic's message and both languages unchanged,
    and no words in the error's values."""
    model = AwardedMicroCredential if "award" in recorded["document"] else Programme
    with pytest.raises(ValidationError) as caught:
        model.model_validate({"code": "W-1", "title": {"ja": "題"}, **recorded["document"]})
    [error] = caught.value.errors(include_url=False)
    en, ja = words_for(error)
    assert {"document": recorded["document"], "kind": error["type"],
            "location": list(error["loc"]), "message": error["msg"], "en": en, "ja": ja} \
        == recorded
    assert not {"en", "ja"} & set(error.get("ctx") or {})
