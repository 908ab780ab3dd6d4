"""Helpers for testing credstack and what is built on it.

* In-memory fakes for the core's seams (:mod:`credstack.testing.fakes`): hand them to the
  verifier, the presentation verifier or a service instead of patching modules. Each keeps
  what it was asked in ``requests``, so a test can say what was (not) looked up.
* Walking and comparing JSON trees (:mod:`credstack.testing.json_trees`), for the mutation
  tests and ``bench/mutations.py``, which change one value of a signed credential at a time
  and check that nothing verifies afterwards.
* A conforming micro-credential programme and its awarding university as documents
  (:mod:`credstack.testing.documents`), for the tests and the benchmarks to fill stores with.
* A job queue in memory (:mod:`credstack.testing.jobs`), for tests that run the jobs they
  start themselves.
"""

from credstack.testing import fakes
from credstack.testing.documents import organisation_document, programme_document
from credstack.testing.fakes import *  # noqa: F403 (the fakes' __all__ is the package's too)
from credstack.testing.jobs import RecordingQueue
from credstack.testing.json_trees import (
    Path,
    json_containers,
    json_paths,
    same_to_json_ld,
    value_at,
)

__all__ = [
    "Path",
    "RecordingQueue",
    "json_containers",
    "json_paths",
    "organisation_document",
    "programme_document",
    "same_to_json_ld",
    "value_at",
]
__all__ += fakes.__all__
