"""A bulk load into an empty table: its foreign keys and plain indexes set aside, then made again as they were."""

from django.db import connection

from cases.models import Obligation
from cases.standards import ledger
from tools import bulk_load

TABLE = Obligation._meta.db_table


def definitions() -> set[tuple[str, str]]:
    """Every index and constraint of the ledger's table, as the catalogue defines it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass", [TABLE]
        )
        return set(indexes) | set(cursor.fetchall())


def test_an_empty_tables_indexes_and_foreign_keys_are_made_again_after_the_rows(community_order, contact_types) -> None:
    before = definitions()
    Obligation.objects.all().delete()
    with bulk_load.indexes_built_after(TABLE):
        during = definitions()
        assert not any(definition.startswith("FOREIGN KEY") for _name, definition in during)
        kept = {"obligation_unique", f"{TABLE}_pkey", "obligation_due_after_start", "obligation_next_change"}
        assert kept <= {name for name, _ in during}  # unique, checks, partial
        assert "obligation_officer" not in {name for name, _ in during}
        written = ledger.rebuild_counting([community_order.pk])
    assert written > 10
    assert Obligation.objects.count() == written
    assert definitions() == before


def test_a_table_with_rows_keeps_its_indexes_throughout(community_order, contact_types) -> None:
    ledger.rebuild()
    before = definitions()
    assert Obligation.objects.exists()
    with bulk_load.indexes_built_after(TABLE):
        assert definitions() == before
    assert definitions() == before
