from sqlalchemy import Engine, inspect

from db import migrate
from db.schema import Base


def test_migrations_upgrade_to_every_table_and_downgrade_to_nothing(blank_engine: Engine) -> None:
    migrate.upgrade(blank_engine)
    tables = set(inspect(blank_engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    migrate.downgrade(blank_engine)
    assert set(inspect(blank_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(blank_engine)
    assert set(Base.metadata.tables) <= set(inspect(blank_engine).get_table_names())


def test_the_hot_filters_are_indexed(engine: Engine) -> None:
    indexed = {
        table: {tuple(ix["column_names"]) for ix in inspect(engine).get_indexes(table)}
        for table in ("orders", "payments", "activities")
    }
    for table, columns in indexed.items():
        assert ("date",) in columns and ("customer_id",) in columns, table
        assert ("rep_id", "date") in columns, table


def test_the_models_match_the_migrations(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
