"""The tamper-evident audit log's pure part: entries, the hash chain, its verification."""

from credstack.core.audit.chain import *  # noqa: F403  (the chain is the whole package)
from credstack.core.audit.chain import __all__ as __all__
