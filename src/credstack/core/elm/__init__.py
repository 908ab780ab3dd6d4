"""The European Learning Model (ELM v3) and European Digital Credentials (EDC).

* :mod:`.vocabulary` — ELM's URIs (EQF, ISCED-F, ECTS, ESCO) and language maps;
* :mod:`.jades` — a JAdES seal read and its signature verified (RFC 7797, ``b64: false``);
* :mod:`.trust` — the seal's certificate at its signing time, and the operator's trust list;
* :mod:`.reference` — the ELM files (EDC-AP context, SHACL shapes, EBSI schema) pinned by
  digest, and the shapes compiled once;
* :mod:`.shapes` — SHACL validation with pyshacl;
* :mod:`.json_ld` — an EDC read as RDF by Oxigraph, where it reads it as PyLD does;
* :mod:`.validation` — the EDC validator: expansion to RDF, shapes, EBSI's JSON Schema.
"""
