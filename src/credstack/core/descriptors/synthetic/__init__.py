"""Deterministic synthetic programmes and organisations, for benchmarks and load tests.

``generate_programmes(100_000, seed=7)`` returns :class:`Documents` whose programmes read like a
Japanese-led micro-credential registry: bilingual (ja/en) titles such as
「実践データサイエンス入門」 / "Practical Introduction to Data Science", 2–5 learning outcomes,
6–200 hours with credits that agree with the hours, delivery modes, assessment methods (a few
per cent participation only, so validation finds *not a micro-credential*), quality assurance,
levels, fields of study, skills, prices and dates. About a tenth of the awarding bodies are
outside Japan (Malaysia, Australia, Germany, France, New Zealand) so that every framework
profile has work to do.

Every provider's name and URL is FICTIONAL (``example`` domains); any likeness to a real
institution is unintended. Quality-assurance agencies are named as the national bodies.

Determinism and chunking: programme *i* depends only on ``(seed, i, organisations)`` — it has
its own random generator — so ``iter_programmes(n, seed=s, start=k)`` yields exactly the
programmes ``k … k+n-1`` of any larger run, one at a time. A million programmes can therefore
be generated (and imported) in chunks, or in parallel, without holding them all in memory.
Codes embed the index, so ``(awarding body, code)`` is unique across any run with one seed.

Pure: no clock, no I/O; ``random.Random`` seeded explicitly.
"""

from __future__ import annotations

from credstack.core.descriptors.synthetic.generation import (
    PARTICIPATION_ONLY_SHARE as PARTICIPATION_ONLY_SHARE,
)
from credstack.core.descriptors.synthetic.generation import RICH_SHARE as RICH_SHARE
from credstack.core.descriptors.synthetic.generation import SPARSE_SHARE as SPARSE_SHARE
from credstack.core.descriptors.synthetic.generation import _document as _document
from credstack.core.descriptors.synthetic.generation import _pair as _pair
from credstack.core.descriptors.synthetic.generation import _text as _text
from credstack.core.descriptors.synthetic.generation import (
    generate_organisations as generate_organisations,
)
from credstack.core.descriptors.synthetic.generation import (
    generate_programmes as generate_programmes,
)
from credstack.core.descriptors.synthetic.generation import iter_programmes as iter_programmes
from credstack.core.descriptors.synthetic.vocabulary import _COUNTRY as _COUNTRY
from credstack.core.descriptors.synthetic.vocabulary import ABROAD as ABROAD
from credstack.core.descriptors.synthetic.vocabulary import ASSESSMENT_NAMES as ASSESSMENT_NAMES
from credstack.core.descriptors.synthetic.vocabulary import ASSISTANCE as ASSISTANCE
from credstack.core.descriptors.synthetic.vocabulary import AUDIENCES as AUDIENCES
from credstack.core.descriptors.synthetic.vocabulary import CREDITS_BY_RANK as CREDITS_BY_RANK
from credstack.core.descriptors.synthetic.vocabulary import GRADING as GRADING
from credstack.core.descriptors.synthetic.vocabulary import HOURS_BY_RANK as HOURS_BY_RANK
from credstack.core.descriptors.synthetic.vocabulary import INHERENT as INHERENT
from credstack.core.descriptors.synthetic.vocabulary import KINDS as KINDS
from credstack.core.descriptors.synthetic.vocabulary import OPENINGS as OPENINGS
from credstack.core.descriptors.synthetic.vocabulary import OUTCOMES as OUTCOMES
from credstack.core.descriptors.synthetic.vocabulary import PACE_NOTES as PACE_NOTES
from credstack.core.descriptors.synthetic.vocabulary import PARTICIPATION as PARTICIPATION
from credstack.core.descriptors.synthetic.vocabulary import PLACES as PLACES
from credstack.core.descriptors.synthetic.vocabulary import PREREQUISITES as PREREQUISITES
from credstack.core.descriptors.synthetic.vocabulary import QA_INTERNAL as QA_INTERNAL
from credstack.core.descriptors.synthetic.vocabulary import RECOGNITION_NOTES as RECOGNITION_NOTES
from credstack.core.descriptors.synthetic.vocabulary import TITLES as TITLES
from credstack.core.descriptors.synthetic.vocabulary import TOPICS as TOPICS
from credstack.core.descriptors.synthetic.vocabulary import Text as Text

__all__ = ["generate_organisations", "generate_programmes", "iter_programmes"]

