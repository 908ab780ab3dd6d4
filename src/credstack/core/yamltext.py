"""YAML read by libyaml (PyYAML's C parser) when it parses, by PyYAML's pure-Python parser
when it refuses: the data of a document that reads is the same either way (the constructor
and the resolver are PyYAML's own Python in both), and a document that does not read is
refused in PyYAML's words, with its marks, as before.

Why: the pure-Python parser spent 0.66 s of CPU on the demo's 300 KB of descriptors and the
bundled tables, libyaml 0.08 s, in every process that loads them (each test worker, each
``credstack serve --demo``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import yaml

__all__ = ["load", "load_checked"]

#: libyaml's loader where PyYAML was built with it; PyYAML's own otherwise.
_FAST: Final[type[yaml.SafeLoader]] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """``yaml.safe_load(text)``, parsed by libyaml (for the bundled files, which read)."""
    return yaml.load(text, Loader=_FAST)  # noqa: S506 (a safe loader)


def load_checked(text: str, check: Callable[[yaml.Node], None]) -> tuple[yaml.Node | None, Any]:
    """The single document of ``text``, its node tree given to ``check`` (which may raise a
    :class:`yaml.MarkedYAMLError`) before it is constructed; the node and the data. A
    document libyaml or ``check`` refuses is read again by PyYAML's pure-Python loader, so
    that what is raised is what PyYAML's own parser and marks say."""
    try:
        return _single(_FAST, text, check)
    except (yaml.YAMLError, ValueError):
        return _single(yaml.SafeLoader, text, check)


def _single(kind: type[yaml.SafeLoader], text: str,
            check: Callable[[yaml.Node], None]) -> tuple[yaml.Node | None, Any]:
    loader = kind(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        check(node)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()
