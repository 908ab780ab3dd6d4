"""Issued credentials written straight into a store at an earlier migration, as a version
of credstack then would have kept them: for the tests of the migrations that fill a new
column from the stored documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa


def store_issued(connection: sa.Connection, documents: Mapping[str, str], *,
                 now: dt.datetime) -> None:
    """One organisation, its status list, and a VC-JWT credential per ``documents`` entry
    (credential id → stored document), each at its own index, signed at ``now``."""
    connection.execute(sa.text(
        "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
        "updated_at) VALUES (1, 'o', 'university', '{}', 'JP', :now, :now)"),
        {"now": now})
    connection.execute(sa.text(
        "INSERT INTO status_lists (id, organisation_id, number, size, used, "
        "allocated, revocation, suspension, published, created_at, changed_at) "
        "VALUES (1, 1, 1, 8, 4, :bits, :bits, :bits, '{}', :now, :now)"),
        {"now": now, "bits": b"\0"})
    for index, (credential_id, document) in enumerate(documents.items()):
        connection.execute(sa.text(
            "INSERT INTO issued_credentials (credential_id, organisation_id, "
            "securing, document, status_list_id, status_index, purposes, state, "
            "issued_at) VALUES (:id, 1, 'vc-jwt', :document, 1, :index, "
            "'revocation', 'active', :now)"),
            {"id": credential_id, "document": document, "index": index, "now": now})
