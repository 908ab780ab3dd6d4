"""Programmes and credentials written as ELM v3 (:mod:`.export`), and programmes exchanged as
ELM datasets (:mod:`.datasets`); the descriptors' mapping is the table ``mapping.yaml``.

They live beside the other exchange formats (CTDL, OB 3.0) because the descriptor importer
reads ELM datasets; what reads and checks European Digital Credentials is
:mod:`credstack.core.elm`. Nothing is imported here, so that importing the descriptors
package never waits on this one.
"""
