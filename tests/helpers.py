"""Documents the adapter tests build on: a small, realistic, conforming programme and its
awarding organisation (:mod:`credstack.testing.documents`, which the benchmarks use too)."""

from __future__ import annotations

from credstack.testing.documents import ORGANISATION, PROGRAMME
from credstack.testing.documents import organisation_document as organisation
from credstack.testing.documents import programme_document as programme

__all__ = ["ORGANISATION", "PROGRAMME", "organisation", "programme"]
