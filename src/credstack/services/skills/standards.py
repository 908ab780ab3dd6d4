"""Skill standards (デジタルスキル標準 …) imported as CASE frameworks published by this server.

A standard's outline (bundled, or an operator's YAML file) becomes a CASE package whose URIs
are under ``CREDSTACK_PUBLIC_URL`` (:func:`credstack.core.skills.standards.standard_package`),
so the alignments to its items resolve here; its names in Japanese and English become the
items' first labels (an operator's later edits are kept on re-import).
"""

from __future__ import annotations

from credstack.core.access import Actor
from credstack.core.skills.standards import bundled_standard, read_standard, standard_package
from credstack.services.runtime import Runtime
from credstack.services.skills.frameworks import Imported, import_parsed

__all__ = ["import_standard"]


def import_standard(runtime: Runtime, *, actor: Actor, name: str | None = None,
                    text: str | None = None, source: str = "standard.yaml") -> Imported:
    """Import the bundled standard ``name`` (``dss``), or the outline in ``text``."""
    if text is not None:
        standard = read_standard(text, source=source)
    else:
        standard = bundled_standard(name or "dss")
        source = f"{standard.id}.yaml"
    package, labels = standard_package(standard, base_url=runtime.settings.public_url)
    return import_parsed(runtime, actor=actor, package=package, kind="standard",
                         source=source, labels=labels)
