"""The synthetic programme generator behind the benchmarks and the registry's load tests."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest

from credstack.core.descriptors import (
    Documents,
    Format,
    Programme,
    parse_programme,
    profiles,
    read_documents,
    validate,
    write_documents,
)
from credstack.core.descriptors.synthetic import (
    generate_organisations,
    generate_programmes,
    iter_programmes,
)
from credstack.core.descriptors.validation import NOT_A_MICRO_CREDENTIAL
from credstack.core.organisations import Organisation

COUNT = 1000
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def documents() -> Documents:
    return generate_programmes(COUNT, seed=11)


def _plain(programmes: Iterable[Programme]) -> list[dict[str, Any]]:
    """Documents compare much faster than nested pydantic models."""
    return [programme.to_document() for programme in programmes]


def test_a_seed_always_gives_the_same_documents(documents: Documents) -> None:
    """Deterministic: the same seed, the same programmes and organisations; another seed not."""
    again = generate_programmes(COUNT, seed=11)
    assert again.organisations == documents.organisations
    assert _plain(again.programmes) == _plain(documents.programmes)
    other = generate_programmes(50, seed=12)
    assert _plain(other.programmes) != _plain(documents.programmes[:50])


def test_chunks_are_slices_of_one_run(documents: Documents) -> None:
    """Programme i depends only on the seed and i, so a run can be generated in chunks."""
    chunks = [iter_programmes(200, seed=11, start=start) for start in (0, 200, 400)]
    assert [doc for chunk in chunks for doc in _plain(chunk)] == _plain(documents.programmes[:600])
    assert _plain(iter_programmes(5, seed=11, start=COUNT - 5)) == _plain(
        documents.programmes[-5:])
    assert list(iter_programmes(0, seed=11, start=10)) == []


def test_it_generates_the_requested_count_with_their_organisations(documents: Documents) -> None:
    """``count`` programmes; 50 organisations by default, each awarding body among them."""
    assert len(documents.programmes) == COUNT
    assert all(isinstance(o, Organisation) for o in documents.organisations)
    slugs = [o.slug for o in documents.organisations]
    assert len(slugs) == len(set(slugs)) == 50
    assert documents.organisations == generate_organisations(50, seed=11)
    bodies = Counter(p.awarding_body.id for p in documents.programmes if p.awarding_body)
    assert sum(bodies.values()) == COUNT
    assert set(bodies) <= set(slugs)
    assert len(bodies) > 40, "programmes are spread over the organisations"
    assert bodies.most_common(1)[0][1] > 3 * COUNT / 50, "a few large providers"

    small = generate_programmes(30, seed=11, organisations=7)
    assert len(small.organisations) == 7
    assert {p.awarding_body.id for p in small.programmes if p.awarding_body} <= {
        o.slug for o in small.organisations}


def test_every_programme_is_a_valid_model_that_round_trips(documents: Documents) -> None:
    """Every programme is a Programme; re-parsing its document or the JSON file gives it back."""
    for programme in documents.programmes[:200]:
        assert type(programme) is Programme
        assert parse_programme(programme.to_document()) == programme
    text = write_documents(Documents(documents.organisations, documents.programmes[:200]),
                           Format.JSON)
    again = read_documents(text, Format.JSON, source="synthetic.json")
    assert _plain(again.programmes) == _plain(documents.programmes[:200])
    assert again.organisations == documents.organisations


def test_awarding_body_and_code_are_unique(documents: Documents) -> None:
    keys = [(p.awarding_body.id if p.awarding_body else "", p.code) for p in documents.programmes]
    assert len(keys) == len(set(keys))


def test_titles_are_bilingual(documents: Documents) -> None:
    """Every title has Japanese and English text, and the titles vary."""
    for programme in documents.programmes:
        assert programme.title is not None
        assert JAPANESE.search(programme.title.root["ja"])
        assert programme.title.root["en"].isascii()
    assert len({p.title.root["en"] for p in documents.programmes if p.title}) > 250


def test_descriptors_vary_within_realistic_ranges(documents: Documents) -> None:
    """6–200 hours, 2–5 learning outcomes, several modes, fields, countries and levels."""
    hours = [p.learner_effort.hours for p in documents.programmes if p.learner_effort]
    assert len(hours) == COUNT
    assert min(hours) >= 6 and max(hours) <= 200 and len(set(hours)) > 15
    assert {len(p.learning_outcomes) for p in documents.programmes} == {2, 3, 4, 5}
    modes = {p.form_of_participation.mode for p in documents.programmes
             if p.form_of_participation}
    assert len(modes) == 3
    assert len({field for p in documents.programmes for field in p.fields}) >= 12
    assert len({p.issuer_region.country for p in documents.programmes
                if p.issuer_region}) >= 4
    assert sum(1 for p in documents.programmes if p.levels) > COUNT / 10
    assert sum(1 for p in documents.programmes if p.price) > COUNT / 2
    credited = [p for p in documents.programmes if p.learner_effort and p.learner_effort.credits]
    assert len(credited) > COUNT / 10
    for programme in credited:
        assert programme.learner_effort is not None
        for amount in programme.learner_effort.credits:
            assert amount.value > Decimal(0)


def test_credits_agree_with_hours_and_the_programmes_fit_a_year(documents: Documents) -> None:
    """The stated credits match the hours, so no profile reports a mismatch or a long run."""
    for programme in documents.programmes[:300]:
        for profile in profiles().values():
            codes = {finding.code for finding in validate(programme, profile).findings}
            assert not codes & {"credits-hours-mismatch", "duration-too-long"}, programme.code


def test_a_few_per_cent_certify_participation_only(documents: Documents) -> None:
    """Those programmes are not micro-credentials under any profile; the others are."""
    participation = [p for p in documents.programmes
                     if p.assessment is not None and p.assessment.participation_only]
    assert 0.01 * COUNT <= len(participation) <= 0.06 * COUNT
    jp_mc = profiles()["jp-mc"]
    for programme in participation[:20]:
        report = validate(programme, jp_mc)
        assert not report.is_micro_credential
        assert any(f.code == NOT_A_MICRO_CREDENTIAL for f in report.findings)
    assessed = [p for p in documents.programmes[:200]
                if p.assessment is not None and not p.assessment.participation_only]
    assert all(validate(p, jp_mc).is_micro_credential for p in assessed)
    conforming = sum(1 for p in documents.programmes[:300] if validate(p, jp_mc).conforms)
    assert 0.5 * 300 < conforming < 300, "most conform to jp-mc, not all"


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        list(iter_programmes(-1))
    with pytest.raises(ValueError, match="organisation"):
        generate_programmes(1, organisations=0)


def test_the_phrases_write_what_the_code_wrote() -> None:
    """Word for word: the synthetic organisations and programmes written with the
    ``synthetic-phrase`` vocabulary (a second campus, how outcomes are assessed, the stacking
    targets' titles) are the documents the code wrote before the phrases moved there (issue 53),
    by their SHA-256 (400 organisations and 600 programmes of seed 7, which use every phrase)."""
    texts = [o.model_dump_json() for o in generate_organisations(400, seed=7)]
    texts += [p.model_dump_json() for p in iter_programmes(600, seed=7, organisations=400)]
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode())
    assert digest.hexdigest() == \
        "c4ab3949c9dfdc18e956c0437402c2821264ac0f06fbf8f1e89e27d19873dce5"
    for phrase in ("（第2キャンパス）", "により学修成果を評価します。", "履修証明プログラム",
                   "大学院 修士課程", "(Campus 2)", "Learning outcomes are assessed by",
                   "Certificate Programme, ", "Master's programme, "):
        assert any(phrase in text for text in texts), phrase
