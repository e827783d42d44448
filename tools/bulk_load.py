"""Add a table's rows first and build its indexes after: for a bulk load into an empty table (the synthetic seed).

PostgreSQL maintains every index and checks every foreign key row by row as COPY adds rows; for millions of rows
it is faster to add them with those set aside and then build each index in one sort and check each foreign key in
one join (the PostgreSQL manual, "Populating a Database"). What is set aside is read from the catalogue and made
again from its own definition, so it stays exactly what the migrations made. Primary keys, unique constraints and
checks stay: they guard the load, and the unique ones serve its look-ups; so do partial indexes and indexes on
expressions, which PostgreSQL would not give back in the very words the migrations used (a query is matched to a
partial index by its condition).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def indexes_built_after(table: str) -> Iterator[None]:
    """If `table` is empty: drop its foreign keys and plain indexes (on columns: not unique, partial or on
    expressions), run the block, then make them again, whether or not the block finished. Outside a transaction
    each step commits at once (the block may write from other connections); if the process is killed in the
    block, they stay dropped: seed a fresh database again. If the table has rows, just run the block (building
    their indexes again would cost more than it saves)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 - our own table names
        has_rows = cursor.fetchone()[0]
    if has_rows:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
               WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname""",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
               WHERE x.indrelid = %s::regclass AND NOT x.indisunique
                 AND x.indexprs IS NULL AND x.indpred IS NULL ORDER BY i.relname""",
            [table],
        )
        indexes = cursor.fetchall()
        _check_deferred_now(cursor)
        for name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    except BaseException:
        if not connection.in_atomic_block:  # in a transaction its rollback restores them
            _make_again(table, indexes, foreign_keys)
        raise
    _make_again(table, indexes, foreign_keys)


def _make_again(table: str, indexes: list[tuple[str, str]], foreign_keys: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        _check_deferred_now(cursor)
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _check_deferred_now(cursor: Any) -> None:
    """In a transaction, check the foreign keys of the rows written so far now rather than at commit: PostgreSQL
    alters no table those checks still wait on (the tables it refers to included)."""
    if connection.in_atomic_block:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
