"""Programmes as the registry keeps them: versions that are drafts or published, and what
storing new descriptors did to a programme.

A programme is keyed by its awarding organisation and its code. Its versions are numbered
from 1; a draft may be replaced until it is published, a published version never changes, and
storing different descriptors after a published version makes the next version. The store
keeps these rules (:mod:`credstack.adapters.db.repositories.programmes`); the words for them
live here, where the services, the pages and the labels read them.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A version's status: only published versions are public, and they never change."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Change(StrEnum):
    """What storing descriptors, publishing or importing did to one programme."""

    CREATED = "created"
    NEW_VERSION = "new-version"
    DRAFT_REPLACED = "draft-replaced"
    PUBLISHED = "published"
    UNCHANGED = "unchanged"
