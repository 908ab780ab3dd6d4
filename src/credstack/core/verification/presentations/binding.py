"""The challenge, domain and holder steps: the presentation bound to this verifier's request
and to its holder."""

from __future__ import annotations

from credstack.core.verification.checks import failed, not_checked, passed
from credstack.core.verification.presentations.seams import (
    PresentationState,
    holder_id,
    unsigned,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice

__all__ = ["check_challenge", "check_domain", "check_holder"]


def check_challenge(state: PresentationState) -> Check:
    """``challenge``: every verified proof carries the challenge the verifier gave."""
    if state.presentation is None:
        return unread("challenge", state.subject)
    if state.signed is None:
        return unsigned("challenge")
    asked = state.challenge
    found = [proof.get("challenge") for proof, _ in state.signed]
    if asked is None:
        if any(value is not None for value in found):
            return passed("challenge", "no challenge was given, so the proof's was not compared",
                          "チャレンジの指定がないため、証明のチャレンジは照合していません",
                          code="not-requested", warnings=[Notice(
                              "challenge-not-compared",
                              "the proof carries a challenge but none was given to compare "
                              "it with: a replayed presentation would not be noticed",
                              "証明にチャレンジがありますが、照合する値が指定されていません"
                              "（再送された提示を見分けられません）")])
        return passed("challenge", "no challenge was given", "チャレンジの指定はありません",
                      code="not-requested")
    if any(value is None for value in found):
        return failed("challenge", "challenge-missing",
                      f"the challenge {asked!r} was given but the proof carries none",
                      f"チャレンジ {asked!r} が指定されましたが、証明にチャレンジがありません",
                      expected=asked)
    wrong = [value for value in found if value != asked]
    if wrong:
        return failed("challenge", "challenge-mismatch",
                      f"the proof answers the challenge {wrong[0]!r}, not {asked!r}: it was "
                      "made for another request (a replay?)",
                      f"証明のチャレンジ {wrong[0]!r} が指定された {asked!r} と一致しません"
                      "（別の要求への応答、または再送の可能性があります）",
                      expected=asked, found=wrong[0])
    return passed("challenge", f"the proof answers the challenge {asked!r}",
                  f"証明のチャレンジが指定された {asked!r} と一致しました", challenge=asked)


def _domains(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def check_domain(state: PresentationState) -> Check:
    """``domain``: every verified proof names the domain the verifier gave."""
    if state.presentation is None:
        return unread("domain", state.subject)
    if state.signed is None:
        return unsigned("domain")
    asked = state.domain
    found = [_domains(proof.get("domain")) for proof, _ in state.signed]
    if asked is None:
        if any(value for value in found):
            return passed("domain", "no domain was given, so the proof's was not compared",
                          "ドメインの指定がないため、証明のドメインは照合していません",
                          code="not-requested", warnings=[Notice(
                              "domain-not-compared",
                              "the proof names a domain but none was given to compare it "
                              "with: a presentation meant for another verifier would pass",
                              "証明にドメインがありますが、照合する値が指定されていません")])
        return passed("domain", "no domain was given", "ドメインの指定はありません",
                      code="not-requested")
    if any(not value for value in found):
        return failed("domain", "domain-missing",
                      f"the domain {asked!r} was given but the proof names none",
                      f"ドメイン {asked!r} が指定されましたが、証明にドメインがありません",
                      expected=asked)
    wrong = next((value for value in found if value is not None and asked not in value), None)
    if wrong is not None:
        shown = ", ".join(wrong)
        return failed("domain", "domain-mismatch",
                      f"the proof was made for {shown}, not {asked!r}: it was meant for "
                      "another verifier",
                      f"証明のドメイン（{shown}）が指定された {asked!r} と一致しません"
                      "（別の検証者向けの提示です）", expected=asked, found=wrong)
    return passed("domain", f"the proof names the domain {asked!r}",
                  f"証明のドメインが指定された {asked!r} と一致しました", domain=asked)


def check_holder(state: PresentationState) -> Check:
    """``holder``: the holder the presentation names controls a key that signed it."""
    presentation = state.presentation
    if presentation is None:
        return unread("holder", state.subject)
    if "holder" not in presentation:
        return passed("holder", "the presentation names no holder",
                      "提示者（holder）の記載はありません", code="no-holder")
    holder = holder_id(presentation)
    if holder is None:
        return not_checked("holder", "the holder is not a URL (see data-model)",
                           "提示者（holder）が URL ではありません（データモデルを参照）")
    if state.signed is None:
        return unsigned("holder")
    if not state.signed:
        return passed("holder", f"the presentation names {holder} as its holder, but is not "
                                "signed, so that is not confirmed",
                      f"提示者は {holder} と記載されていますが、署名がないため確認していません",
                      code="not-authenticated", holder=holder, warnings=[Notice(
                          "holder-not-authenticated",
                          f"the holder {holder} is stated, not proven: the presentation has no "
                          "proof", f"提示者 {holder} は記載のみで、署名による確認はありません")])
    controllers = [signer.controller for _, signer in state.signed]
    if holder not in controllers:
        signed_by = ", ".join(dict.fromkeys(controllers))
        return failed("holder", "holder-mismatch",
                      f"the presentation says its holder is {holder}, but it was signed with a "
                      f"key of {signed_by}",
                      f"提示者は {holder} と記載されていますが、{signed_by} の鍵で署名されて"
                      "います", holder=holder, signers=controllers)
    return passed("holder", f"signed by the holder, {holder}",
                  f"提示者 {holder} 自身が署名しています", holder=holder)
