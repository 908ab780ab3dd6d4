"""Generating synthetic organisations and programmes, reproducibly from a seed."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from credstack.core.bulk import collector_paused
from credstack.core.descriptors.interchange import Documents
from credstack.core.descriptors.models import Programme
from credstack.core.descriptors.synthetic.vocabulary import (
    _COUNTRY,
    _EXTERNAL_QA,
    _HOURS_PER_CREDIT,
    _KIND_CUM,
    _MASTERS,
    _METHOD_CUM,
    _METHODS,
    ABROAD,
    ASSESSMENT_NAMES,
    ASSISTANCE,
    AUDIENCES,
    CREDITS_BY_RANK,
    GRADING,
    HOURS_BY_RANK,
    INHERENT,
    KINDS,
    OPENINGS,
    OUTCOMES,
    PACE_NOTES,
    PARTICIPATION,
    PHRASES,
    PLACES,
    PREREQUISITES,
    QA_INTERNAL,
    RECOGNITION_NOTES,
    TITLES,
    TOPICS,
    Text,
    _Org,
    _Topic,
)
from credstack.core.organisations import Organisation, OrganisationKind


@lru_cache(maxsize=8)
def _organisation_pool(count: int, seed: int) -> tuple[tuple[_Org, ...], tuple[float, ...]]:
    """The organisations of a run and the cumulative weights of their programme shares."""
    if count < 1:
        raise ValueError("at least one organisation is needed")
    rng = random.Random(f"credstack-synthetic-organisations:{seed}")  # noqa: S311 (not secret)
    abroad = list(ABROAD)
    rng.shuffle(abroad)
    n_abroad = min(len(abroad), count // 10)
    used: set[str] = set()
    orgs: list[_Org] = []
    for index in range(count):
        if index % 10 == 9 and index // 10 < n_abroad:
            place = abroad[index // 10]
            slug, name = place.slug, {"ja": place.ja, "en": place.en}
            kind, country, subdivision = place.kind, place.country, place.subdivision
            domain, languages = place.domain, place.languages
        else:
            jp = PLACES[rng.randrange(len(PLACES))]
            pattern = KINDS[bisect.bisect_right(_KIND_CUM, rng.randrange(_KIND_CUM[-1]))]
            slug = f"{jp.slug}-{pattern.slug}"
            name = {"ja": pattern.ja.format(p=jp.ja), "en": pattern.en.format(P=jp.en)}
            kind, country, subdivision = pattern.kind, "JP", jp.subdivision
            domain, languages = pattern.domain, ("ja",)
        if slug in used:
            # Same place, same kind: a second campus, numbered.
            number = 2
            while f"{slug}-{number}" in used:
                number += 1
            slug = f"{slug}-{number}"
            name = _phrased("second-campus", name=name, number=number)
        used.add(slug)
        url = f"https://www.{slug}.example.{domain}/"
        model = Organisation.model_validate(
            {"slug": slug, "kind": kind, "name": name, "country": country, "url": url})
        academic = kind in {OrganisationKind.UNIVERSITY, OrganisationKind.JUNIOR_COLLEGE,
                            OrganisationKind.COLLEGE_OF_TECHNOLOGY}
        topics = tuple(rng.sample(range(len(TOPICS)), rng.randint(3, 8)))
        orgs.append(_Org(model, name, url, subdivision, academic, languages, topics))
    # A few large providers and a long tail: weight 1 / (rank + 2), in a shuffled order.
    weights = [1 / (rank + 2) for rank in range(count)]
    rng.shuffle(weights)
    return tuple(orgs), tuple(itertools.accumulate(weights))


def generate_organisations(count: int = 50, *, seed: int = 0) -> tuple[Organisation, ...]:
    """The ``count`` organisations that the programmes of ``seed`` are awarded by."""
    return tuple(org.model for org in _organisation_pool(count, seed)[0])


def _sample_methods(rng: random.Random, count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        method = _METHODS[bisect.bisect_right(_METHOD_CUM, rng.randrange(_METHOD_CUM[-1]))]
        if method not in chosen:
            chosen.append(method)
    return chosen


def _round_to(value: Decimal, step: Decimal) -> Decimal:
    steps = (value / step).quantize(Decimal(1))
    return max(steps, Decimal(1)) * step


_HALF = Decimal("0.5")


#: How many learning outcomes a programme states (sparse, plain, rich).
_OUTCOME_COUNTS = ((2, 2, 2, 3), (2, 2, 3, 3), (2, 3, 3, 3, 4, 4, 5, 5))


#: The shares of richly and sparsely described programmes, and of those that certify
#: participation only (not a micro-credential).
RICH_SHARE = 0.06


SPARSE_SHARE = 0.4


PARTICIPATION_ONLY_SHARE = 0.03


_FIRST_DAY = dt.date(2025, 4, 1)


def _text(pair: Text, topic: _Topic) -> dict[str, str]:
    return {"ja": pair[0].format(t=topic.ja), "en": pair[1].format(p=topic.en_phrase)}


def _phrased(key: str, **values: Any) -> dict[str, str]:
    """The ``synthetic-phrase`` vocabulary's ``key`` in Japanese and English, each value (a
    text or ``{"ja": …, "en": …}``) filled in in its language."""
    return {language: PHRASES[key][index].format(**{
        name: value[language] if isinstance(value, dict) else value
        for name, value in values.items()}) for index, language in enumerate(("ja", "en"))}


def _pair(text: Text) -> dict[str, str]:
    return {"ja": text[0], "en": text[1]}


def _document(index: int, seed: int, orgs: Sequence[_Org], cum: Sequence[float]) -> dict[str, Any]:
    """The descriptor document of programme ``index``: a function of its arguments only.

    A few programmes are described richly (every optional descriptor, with explanations), two
    in five sparsely (the core descriptors, mostly), the rest in between — as in real
    registries. In ``write_documents`` JSON a programme averages about 2,450 characters
    (2,750 bytes as UTF-8): 100,000 programmes are 243 million characters, within
    ``MAX_INPUT_BYTES`` when read as text, but 275 MB as bytes, which is over it.
    """
    rng = random.Random((seed << 40) + index if seed >= 0 else f"{seed}:{index}")  # noqa: S311
    r = rng.random
    level = r()
    detail = 2 if level < RICH_SHARE else 0 if level >= 1 - SPARSE_SHARE else 1
    rich = detail == 2

    def chance(plain: float, rich: float = 1.0, sparse: float = 0.0) -> bool:
        """Whether an optional descriptor is stated, by how fully the programme is described."""
        return r() < (sparse, plain, rich)[detail]

    org = orgs[bisect.bisect_right(cum, r() * cum[-1])]
    country = org.model.country
    level_framework, level_range, credit_system, currency = _COUNTRY[country]
    topic = TOPICS[rng.choice(org.topics) if r() < 0.8 else rng.randrange(len(TOPICS))]
    title_ja, title_en, rank = TITLES[rng.randrange(len(TITLES))]
    code = f"{topic.abbr}-{index:07d}"

    # Learner effort: credit-bearing programmes start from the credits, others from hours.
    credits: list[dict[str, Any]] = []
    system = credit_system or ("jp-tani" if org.academic and r() < 0.35 else None)
    if system is not None:
        amount = Decimal(rng.choice(CREDITS_BY_RANK[system][rank]))
        hours = amount * (rng.choice((25, 30)) if system == "ects" else _HOURS_PER_CREDIT[system])
        credits.append({"system": system, "value": amount})
        if system == "jp-tani" and chance(0.1, 0.5):
            credits.append({"system": "ects", "value": _round_to(hours / Decimal("27.5"), _HALF)})
    else:
        hours = Decimal(rng.choice(HOURS_BY_RANK[rank]))
    weeks = min(max(-(-int(hours) // rng.choice((2, 3, 4, 6, 8, 10))), 1), 52)
    effort: dict[str, Any] = {"hours": hours, "duration_weeks": weeks}
    if credits:
        effort["credits"] = credits

    mode = rng.choices(("online", "blended", "onsite"), cum_weights=(45, 75, 100))[0]
    form: dict[str, Any] = {"mode": mode}
    if mode == "online":
        form["pace"] = rng.choice(("asynchronous", "asynchronous", "mixed", "synchronous"))
    elif mode == "blended":
        form["pace"] = "mixed"
    if chance(0.1):
        form["description"] = _pair(PACE_NOTES[mode])

    # Assessment: a few per cent certify participation only (not a micro-credential).
    assessment: dict[str, Any]
    if r() < PARTICIPATION_ONLY_SHARE:
        assessment = {"methods": ["participation"], "description": _pair(PARTICIPATION)}
    else:
        methods = _sample_methods(rng, rng.choice((1, 2, 2, 3)))
        assessment = {"methods": methods}
        if chance(0.2):
            names = [ASSESSMENT_NAMES[m] for m in methods]
            separator = _phrased("list-separator")
            assessment["description"] = _phrased("assessed-by", methods={
                language: separator[language].join(n[index] for n in names)
                for index, language in enumerate(("ja", "en"))})
        if chance(0.3):
            assessment["supervision"] = {
                "online": "supervised-online-identity-check", "blended": "unsupervised",
                "onsite": "supervised-onsite-identity-check"}[mode]
        if chance(0.3):
            assessment["grading"] = _pair(rng.choice(GRADING))

    outcomes = [*topic.outcomes, *OUTCOMES]
    picked = rng.sample(range(len(outcomes)), rng.choice(_OUTCOME_COUNTS[detail]))
    opening, audience = rng.choice(OPENINGS), rng.choice(AUDIENCES)
    body: dict[str, Any] = {"id": org.model.slug, "name": org.name}
    if chance(0.3):
        body["url"] = org.url

    document: dict[str, Any] = {
        "code": code,
        "title": {"ja": title_ja.format(t=topic.ja), "en": title_en.format(T=topic.en)},
        "awarding_body": body,
        "issuer_region": ({"country": country, "subdivision": org.subdivision}
                          if org.subdivision else {"country": country}),
        "description": (
            {"ja": opening[0].format(t=topic.ja) + audience[0],
             "en": opening[1].format(p=topic.en_phrase) + " " + audience[1]} if chance(0.3)
            else {"ja": opening[0].format(t=topic.ja), "en": opening[1].format(p=topic.en_phrase)}),
        "learning_outcomes": [{"statement": _text(outcomes[i], topic)} for i in picked],
        "form_of_participation": form,
        "learner_effort": effort,
        "assessment": assessment,
        "fields": list(topic.fields),
    }
    if country != "JP":
        document["languages"] = list(org.languages)
    elif topic.abbr == "BE":
        document["languages"] = ["en", "ja"]
    elif chance(0.8, 1.0, 0.4):
        document["languages"] = ["ja"] if r() < 0.85 else ["ja", "en"]

    if r() < 0.96:
        qa: list[dict[str, Any]] = [{"kind": "internal", "scope": "institution"}]
        if chance(0.1):
            qa[0]["description"] = _pair(QA_INTERNAL)
            qa[0]["url"] = org.url + "quality/"
        if org.academic and chance(0.2, 0.8, 0.1):
            qa.append({"kind": "external", "scope": "programme" if country == "MY" else
                       "institution", "body": _pair(_EXTERNAL_QA[country]),
                       "valid_until": dt.date(2027 + rng.randrange(5), 3, 31)})
        document["quality_assurance"] = qa

    if level_framework is not None and (country != "JP" or chance(0.25, 0.6, 0.1)):
        low, high = level_range
        document["levels"] = [{"framework": level_framework,
                               "level": min(high, low + rank + rng.randrange(2))}]

    kinds = [kind for kind, p in (("digital-badge", 0.6), ("certificate", 0.35),
                                  ("verifiable-credential", 0.1)) if r() < p]
    if org.academic and country == "JP" and hours >= 60 and r() < 0.8:
        kinds.append("rishu-shomei")
    document["certification"] = {"kinds": kinds or ["certificate"]}

    if system is not None:
        recognition = ["academic-credit"] + (["credit-transfer"] if r() < 0.4 else [])
    else:
        recognition = [rng.choice(("professional-development", "industry-recognition", "none"))]
    document["credit_recognition"] = {"kinds": recognition}
    if chance(0.1):
        document["credit_recognition"]["description"] = _pair(RECOGNITION_NOTES[recognition[-1]])

    if chance(0.5, 1.0, 0.2):
        pool = [*PREREQUISITES, *([topic.prerequisite] if topic.prerequisite else [])]
        document["prerequisites"] = _text(rng.choice(pool), topic)

    roll = r()
    if roll < (0.0, 0.15, 0.6)[detail]:
        target: dict[str, Any] = (
            {"title": _phrased("certificate-target", org=org.name,
                               topic={"ja": topic.ja, "en": topic.en}),
             "kind": "certificate-programme"}
            if rank < 2 or not org.academic else
            {"title": _phrased("masters-target", org=org.name),
             "kind": "degree",
             "credits": {"system": credit_system or "jp-tani",
                         "value": _MASTERS[credit_system or "jp-tani"]}})
        document["stackability"] = {"stackable": True, "targets": [target]}
    elif roll < (0.0, 0.25, 0.9)[detail]:
        document["stackability"] = {"stackable": False}

    if chance(0.6, 1.0, 0.3):
        start = _FIRST_DAY + dt.timedelta(days=rng.randrange(540))
        periods = [{"start": start, "end": start + dt.timedelta(days=weeks * 7 - 1)}]
        if chance(0.1, 0.5):
            again = start + dt.timedelta(days=182)
            periods.append({"start": again, "end": again + dt.timedelta(days=weeks * 7 - 1)})
        document["dates_of_delivery"] = periods

    if chance(0.1):
        document["inherent_requirements"] = _pair(
            INHERENT[0 if mode == "online" else rng.randrange(len(INHERENT))])

    if chance(0.8, 1.0, 0.4):
        price: dict[str, Any]
        if r() < 0.15:
            price = {"amount": 0, "currency": currency}
        elif currency == "JPY":
            price = {"amount": int(hours * rng.choice((500, 1000, 1500, 2500))) // 1000 * 1000
                     or 1000, "currency": currency}
        else:
            price = {"amount": int(hours * rng.choice((10, 20, 35))), "currency": currency}
        if currency == "JPY" and chance(0.1, 0.5):
            price["financial_assistance"] = _pair(rng.choice(ASSISTANCE))
        document["price"] = price

    if chance(0.4, 1.0, 0.2):
        document["further_information"] = {"url": f"{org.url}programmes/{code.lower()}"}

    if chance(0.35, 1.0, 0.1):
        skills = rng.sample(topic.skills, min(len(topic.skills), rng.randint(1, 3 if rich else 2)))
        framework = "DSS" if topic.digital and country == "JP" else (
            "ESCO" if country in {"DE", "FR"} else None)
        document["skills"] = [{"name": {"ja": ja, "en": en}} if framework is None else
                              {"name": {"ja": ja, "en": en}, "framework": framework}
                              for ja, en in skills]
    return document


def iter_programmes(count: int, *, seed: int = 0, start: int = 0, organisations: int = 50
                    ) -> Iterator[Programme]:
    """Programmes ``start … start+count-1`` of the run ``seed``, one at a time."""
    if count < 0 or start < 0:
        raise ValueError("count and start must not be negative")
    orgs, cum = _organisation_pool(organisations, seed)
    validate = Programme.model_validate
    for index in range(start, start + count):
        yield validate(_document(index, seed, orgs, cum))


@collector_paused  # like read_documents: a growing heap of models, no cyclic garbage
def generate_programmes(count: int, *, seed: int = 0, organisations: int = 50) -> Documents:
    """``count`` programmes and the ``organisations`` organisations that award them.

    Everything is held in memory; for very large runs iterate with :func:`iter_programmes`.
    """
    return Documents(generate_organisations(organisations, seed=seed),
                     tuple(iter_programmes(count, seed=seed, organisations=organisations)))
