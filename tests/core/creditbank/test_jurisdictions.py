"""The bundled jurisdictions: the seeds' figures, each route its own rule, every figure
with its source."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credstack.core import vocabularies
from credstack.core.creditbank import RuleKind, jurisdictions

D = Decimal


def test_every_route_award_and_rule_names_its_source() -> None:
    """No figure without a seed line or an official text behind it."""
    for place in jurisdictions().values():
        for item in (*place.routes.values(), *place.awards.values(), *place.rules.values()):
            assert item.source.strip(), item


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_vocabularies_name_each_jurisdiction_route_and_rule_as_the_file_does(
        language: str) -> None:
    """The pages name jurisdictions, routes and rules from the vocabularies (in all eight
    languages); their Japanese and English are the jurisdictions file's, word for word, and
    name every bundled one, no more."""
    every = jurisdictions()
    expected = {
        "creditbank-jurisdiction": {key: getattr(place, language)
                                    for key, place in every.items()},
        "creditbank-route": {f"{key}.{route.key}": getattr(route, language)
                             for key, place in every.items() for route in place.routes.values()},
        "creditbank-rule": {rule.id: getattr(rule, language)
                            for place in every.values() for rule in place.rules.values()},
    }
    for vocabulary, names in expected.items():
        assert dict(vocabularies.names(vocabulary, language)) == names, vocabulary


def test_japan_has_one_cap_of_60_shared_by_three_routes() -> None:
    """Other universities, approved learning and before admission: 60 together, of 124."""
    japan = jurisdictions()["jp"]
    assert japan.awards["bachelor"].credits == D(124)
    (cap,) = japan.rules.values()
    assert (cap.kind, cap.credits, set(cap.routes)) == (
        RuleKind.CAP, D(60), {"other-university", "approved-learning", "before-admission"})
    assert "seed 001" in cap.source


def test_korea_has_its_six_credit_sources_and_the_18_credit_minimum() -> None:
    """140 for a bachelor's, 80 for an associate degree, 18 from accredited courses."""
    korea = jurisdictions()["kr"]
    assert len(korea.routes) == 6
    assert {key: award.credits for key, award in korea.awards.items()} == {
        "bachelor": D(140), "associate": D(80)}
    minimum = korea.rules["kr.accredited-minimum"]
    assert (minimum.kind, minimum.credits, minimum.routes) == (
        RuleKind.MINIMUM, D(18), ("accredited-course",))


@pytest.mark.parametrize(("rule", "share", "route"), [
    ("my.stacked-mc", "0.7", "stacked-mc"),
    ("my.apel-c", "0.3", "apel-c"),
])
def test_malaysia_caps_stacked_mcs_and_apel_c_as_separate_rules(
        rule: str, share: str, route: str) -> None:
    """70 % through stacked MCs; APEL(C), experiential learning, 30 % on its own."""
    cap = jurisdictions()["my"].rules[rule]
    assert (cap.share, cap.routes) == (D(share), (route,))


def test_india_states_50_and_70_percent_and_the_abc_seven_years() -> None:
    """Two alternative caps (ordinary and skill universities) and the ABC's expiry."""
    rules = jurisdictions()["in"].rules
    assert rules["in.micro-credentials"].share == D("0.5")
    assert rules["in.micro-credentials-skill-university"].share == D("0.7")
    assert (rules["in.abc-expiry"].kind, rules["in.abc-expiry"].years) == (RuleKind.EXPIRY, 7)


def test_thailand_lists_the_credit_bank_routes_of_seed_002() -> None:
    """Other universities, training certificates, MCs, MOOCs and work experience."""
    assert set(jurisdictions()["th"].routes) == {
        "other-university", "training-certificate", "micro-credential", "mooc",
        "work-experience"}
