"""Trigram indexes for partial, any-case name search (PostgreSQL only).

Search matches any part of a first name, surname or alias ("UPPER(name) LIKE '%TERM%'"); a b-tree
cannot serve a leading wildcard, so at national scale the search read every person (1.6 s). A GIN
trigram index on the same UPPER() expression serves it. SQLite (the quick-start) keeps scanning.
"""

from django.db import migrations

NAME_INDEXES = [
    ("person_first_name_trgm", "cases_person", "first_name"),
    ("person_last_name_trgm", "cases_person", "last_name"),
    ("alias_first_name_trgm", "cases_alias", "first_name"),
    ("alias_last_name_trgm", "cases_alias", "last_name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in NAME_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in NAME_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_recall_return_and_review")]

    operations = [migrations.RunPython(create, drop)]
