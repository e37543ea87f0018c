"""The migrations build exactly the tables the models declare, with one head, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from parallax.store.migrate import alembic_config
from parallax.store.models import Base


def test_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diffs = compare_metadata(context, Base.metadata)
    # Index differences between dialects are not schema drift; tables and columns are.
    drift = [d for d in diffs if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index"))]
    assert drift == []
