"""Migration 0059_registrar_english_names: the programme's English names as ``tables``
declares them (alembic finds no difference), on SQLite and PostgreSQL; a record stored
before keeps its row with the names empty; downgrading drops the columns."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config

BEFORE = "0058_sso_saml_logout"
_COLUMNS = {"faculty_en", "department_en", "degree_name_en"}


def _columns(engine: sa.Engine) -> set[str]:
    return {column["name"] for column in sa.inspect(engine).get_columns("registrar_students")}


def test_the_english_names_are_added_empty_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), BEFORE)
            connection.execute(sa.text(
                "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
                "updated_at) VALUES (1, 'u', 'university', '{}', 'JP', :now, :now)"),
                {"now": NOW})
            connection.execute(sa.text(
                "INSERT INTO registrar_students (organisation_id, student_number, name, "
                "name_kana, name_latin, birth_date, faculty, department, degree_name, "
                "admission_date, standing, credits_earned, fingerprint, version, created_at, "
                "updated_at) VALUES (1, '20A1001', '山田 花子', '', 'YAMADA Hanako', "
                ":born, '工学部', '機械工学科', '学士（工学）', :admitted, 'enrolled', '0', "
                "'x', 1, :now, :now)"),
                {"now": NOW, "born": "2003-04-02", "admitted": "2022-04-01"})
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [diff for diff in compare_metadata(context, Base.metadata)
                    if "registrar_students" in repr(diff)] == []
            assert connection.execute(sa.text(
                "SELECT faculty_en, department_en, degree_name_en FROM registrar_students")
            ).all() == [("", "", "")]
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
        assert not _columns(engine) & _COLUMNS
    finally:
        engine.dispose()
