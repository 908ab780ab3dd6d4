"""credstack: an open micro-credential ecosystem — descriptors, registry, recognition and the
credentials themselves, issued, verified and held.

The front door: the recipes most programs need, importable from ``credstack`` itself. ::

    import credstack

    programme = credstack.parse_programme(yaml.safe_load(text))
    report = credstack.validate(programme, credstack.get_profile("jp-mc"))

    with credstack.open_runtime() as runtime:            # the store in ./.credstack
        issued = credstack.issue_credential(runtime, actor=credstack.Operator("me"),
                                            credential={...})
        credstack.change_status(runtime, actor=credstack.Operator("me"),
                                credential_id=issued.credential_id,
                                changes=[credstack.StatusChange.REVOKE])

    verdict = credstack.verify_credential(text)          # a report of every check
    assert verdict.ok

Everything else lives where its layer puts it: the pure rules in :mod:`credstack.core`, the
use cases in :mod:`credstack.services`, the store and what else they drive in
:mod:`credstack.adapters`, the web and the CLI in :mod:`credstack.entrypoints`
(``docs/architecture.md``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Each recipe: (the module it lives in, its name there).
_RECIPES: dict[str, tuple[str, str]] = {
    "CredstackError": ("credstack.errors", "CredstackError"),
    "Operator": ("credstack.core.access.actors", "Operator"),
    "Settings": ("credstack.settings", "Settings"),
    "StatusChange": ("credstack.core.status.changes", "StatusChange"),
    "VerificationReport": ("credstack.core.verification", "VerificationReport"),
    "change_status": ("credstack.services.issuance.status", "change_status"),
    "get_profile": ("credstack.core.descriptors", "get_profile"),
    "issue_credential": ("credstack.services.issuance.credentials", "issue_credential"),
    "open_runtime": ("credstack.entrypoints.bootstrap", "open_runtime"),
    "parse_programme": ("credstack.core.descriptors", "parse_programme"),
    "read_documents": ("credstack.core.descriptors", "read_documents"),
    "validate": ("credstack.core.descriptors", "validate"),
    "verify_credential": ("credstack.services.verification.service", "verify"),
}

__all__ = [
    "CredstackError",
    "Operator",
    "Settings",
    "StatusChange",
    "VerificationReport",
    "__version__",
    "change_status",
    "get_profile",
    "issue_credential",
    "open_runtime",
    "parse_programme",
    "read_documents",
    "validate",
    "verify_credential",
]

if TYPE_CHECKING:
    #: The installed distribution's version: pyproject.toml is its one source.
    __version__: str
    from credstack.core.access.actors import Operator
    from credstack.core.descriptors import get_profile, parse_programme, read_documents, validate
    from credstack.core.status.changes import StatusChange
    from credstack.core.verification import VerificationReport
    from credstack.entrypoints.bootstrap import open_runtime
    from credstack.errors import CredstackError
    from credstack.services.issuance.credentials import issue_credential
    from credstack.services.issuance.status import change_status
    from credstack.services.verification.service import verify as verify_credential
    from credstack.settings import Settings


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562) rather than at import: importing any credstack module
    # imports this package first, and the pure core (``credstack.core``) must stay importable
    # without the database, web and network stack the services bring. The version too is
    # read when asked for: finding the distribution's metadata costs a command line that
    # only prints its help more than everything else it does (``credstack --help``).
    if name == "__version__":
        from importlib.metadata import version

        value: Any = version("credstack")
    elif name in _RECIPES:
        module, attribute = _RECIPES[name]
        value = getattr(importlib.import_module(module), attribute)
    else:
        raise AttributeError(f"module 'credstack' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_RECIPES, "__version__"})
