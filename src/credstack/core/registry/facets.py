"""The facets of the public registry: which values a programme has in each.

A facet value is a short, stable code (``digital``, ``EQF-5``, ``30-59h``, ``free``); what
people read comes from :mod:`credstack.core.registry.labels`. Facets that every programme has
exactly one value of (provider, delivery mode, effort band, price band, recognition,
stackable) include a ``not-stated`` value for programmes that leave the descriptor out, so a
visitor can find — or exclude — them too; the multi-valued facets (field, level, credits,
language, assessment, profile) use it when the programme states none.

Bands, chosen from the frameworks' thresholds:

* **effort** — under 10 hours (below the Japanese proposal's minimum), 10–29, 30–59, 60–119
  (60 hours is the 履修証明 minimum), 120 hours and more;
* **price** — free, then bands of Japanese yen. Prices in other currencies are banded at the
  fixed, indicative rates of :data:`INDICATIVE_JPY_RATES` (the core reads no exchange rates:
  bands are for finding programmes, not for quoting prices); an unknown currency is
  ``other-currency``;
* **credits** — the credit systems a programme states its credits in (``jp-tani``, ``ects``
  …), ``none`` when it states none; the amount is what the ``credits`` sort orders by.

**Recognition status.** Recognition decisions (issue 6) are not recorded yet, so the status is
derived from the programme's own descriptors by :func:`recognition_status`: ``external-qa``
when it states external quality assurance (a third-party evaluation, 認証評価), ``internal-qa``
when it states internal quality assurance only, ``none`` otherwise. The seam is the
``recognition`` parameter of :func:`credstack.core.registry.documents.index_document`: when
recognition decisions exist, the adapter passes a function that looks the decision up (by
programme and version) and falls back to this derivation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from credstack.core.types import decimal_or_none

__all__ = [
    "EFFORT_BANDS",
    "INDICATIVE_JPY_RATES",
    "NOT_STATED",
    "PRICE_BANDS",
    "Recognition",
    "effort_band",
    "facet_values",
    "price_band",
    "recognition_status",
]

NOT_STATED: Final = "not-stated"

#: (value, upper bound in hours, exclusive); the last band has no upper bound.
EFFORT_BANDS: Final[tuple[tuple[str, Decimal | None], ...]] = (
    ("lt-10h", Decimal(10)),
    ("10-29h", Decimal(30)),
    ("30-59h", Decimal(60)),
    ("60-119h", Decimal(120)),
    ("120h-plus", None),
)

#: (value, upper bound in yen, exclusive) after ``free``; the last band has no upper bound.
PRICE_BANDS: Final[tuple[tuple[str, Decimal | None], ...]] = (
    ("lt-10k-jpy", Decimal(10_000)),
    ("10k-50k-jpy", Decimal(50_000)),
    ("50k-100k-jpy", Decimal(100_000)),
    ("100k-300k-jpy", Decimal(300_000)),
    ("300k-jpy-plus", None),
)
FREE: Final = "free"
OTHER_CURRENCY: Final = "other-currency"

#: Yen per unit of a currency, rounded, for price *bands* only (not for quoting a price).
INDICATIVE_JPY_RATES: Final[Mapping[str, Decimal]] = {
    "JPY": Decimal(1), "USD": Decimal(150), "EUR": Decimal(160), "GBP": Decimal(190),
    "AUD": Decimal(100), "NZD": Decimal(90), "MYR": Decimal(33), "SGD": Decimal(110),
    "CNY": Decimal(21), "KRW": Decimal("0.11"), "THB": Decimal("4.2"), "CAD": Decimal(110),
    "CHF": Decimal(170), "INR": Decimal("1.8"), "IDR": Decimal("0.0095"),
    "VND": Decimal("0.006"), "TWD": Decimal("4.7"), "HKD": Decimal(19),
}

#: How a programme's recognition status is found: (programme id, document) → status.
Recognition = Callable[[int, Mapping[str, Any]], str]


def effort_band(hours: Decimal | None) -> str:
    """The effort band of ``hours`` of learner effort."""
    if hours is None:
        return NOT_STATED
    for value, below in EFFORT_BANDS:
        if below is None or hours < below:
            return value
    raise AssertionError("the last band is open")  # pragma: no cover


def price_band(amount: Decimal | None, currency: str | None) -> str:
    """The price band of a price, in yen at :data:`INDICATIVE_JPY_RATES`."""
    if amount is None:
        return NOT_STATED
    if amount == 0:
        return FREE
    rate = INDICATIVE_JPY_RATES.get(currency or "")
    if rate is None:
        return OTHER_CURRENCY
    yen = amount * rate
    for value, below in PRICE_BANDS:
        if below is None or yen < below:
            return value
    raise AssertionError("the last band is open")  # pragma: no cover


def recognition_status(programme_id: int, document: Mapping[str, Any]) -> str:
    """The recognition status derived from the descriptors (until issue 6 records decisions)."""
    del programme_id  # Recognition decisions will be looked up by programme.
    kinds = {qa.get("kind") for qa in _items(document.get("quality_assurance"))}
    if "external" in kinds:
        return "external-qa"
    if "internal" in kinds:
        return "internal-qa"
    return "none"


def _items(value: Any) -> Sequence[Mapping[str, Any]]:
    if not isinstance(value, list | tuple):
        return ()
    return [item for item in value if isinstance(item, dict)]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(dict.fromkeys(item for item in value if isinstance(item, str)))


def _or_not_stated(values: tuple[str, ...], empty: str = NOT_STATED) -> tuple[str, ...]:
    return values or (empty,)


def facet_values(document: Mapping[str, Any], *, provider: str, provider_kind: str,
                 profiles: Sequence[str], recognition: str) -> dict[str, tuple[str, ...]]:
    """The values ``document`` (a stored programme's JSON) has in every facet.

    The document is the canonical JSON of a programme the store validated when it was
    written; a missing or malformed part counts as not stated rather than failing, so one odd
    record cannot stop an index from being built.
    """
    effort = _mapping(document.get("learner_effort"))
    hours = decimal_or_none(effort.get("hours"))
    credits = tuple(dict.fromkeys(
        str(amount["system"]) for amount in _items(effort.get("credits"))
        if isinstance(amount.get("system"), str)))
    price = _mapping(document.get("price"))
    currency = price.get("currency")
    levels = tuple(dict.fromkeys(
        f"{level['framework']}-{level['level']}" for level in _items(document.get("levels"))
        if isinstance(level.get("framework"), str) and isinstance(level.get("level"), int)))
    mode = _mapping(document.get("form_of_participation")).get("mode")
    stackability = _mapping(document.get("stackability")).get("stackable")
    return {
        "field": _or_not_stated(_strings(document.get("fields"))),
        "provider": (provider,),
        "provider_type": (provider_kind or NOT_STATED,),
        "level": _or_not_stated(levels),
        "effort_band": (effort_band(hours),),
        "credits": _or_not_stated(credits, "none"),
        "delivery_mode": (mode if isinstance(mode, str) else NOT_STATED,),
        "language": _or_not_stated(_strings(document.get("languages"))),
        "price_band": (price_band(decimal_or_none(price.get("amount")),
                                  currency if isinstance(currency, str) else None),),
        "assessment": _or_not_stated(
            _strings(_mapping(document.get("assessment")).get("methods"))),
        "recognition": (recognition,),
        "stackable": ("yes" if stackability is True else "no" if stackability is False
                      else NOT_STATED,),
        "profile": _or_not_stated(tuple(profiles), "none"),
        # Skills stated with a URL; the index adds the aligned and broader items (issue 17).
        "skill": _or_not_stated(tuple(dict.fromkeys(
            str(skill["url"]) for skill in _items(document.get("skills"))
            if isinstance(skill.get("url"), str) and skill["url"])), "none"),
    }
