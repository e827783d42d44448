from django.db import migrations

# The team dashboard counts the open oversight tasks on its PDU's cases (regions/dashboard/selectors.py,
# _open_oversight). By (pdu_id) alone PostgreSQL read a heap page for each of the PDU's 2,800 events to learn
# their ids, then every open task in the country (a copy with 20,000 open and 40,000 closed tasks: 13 ms); with the
# ids in the index it merges them with the index of open tasks, reading neither table (1.6 ms). PostgreSQL only, as
# 0028 (the embedded SQLite quick-start has a few thousand rows).


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS event_pdu_ids ON cases_event (pdu_id, id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS event_pdu_ids")


class Migration(migrations.Migration):
    atomic = False  # built CONCURRENTLY: events take writes while it is built
    dependencies = [("cases", "0029_today_indexes")]

    operations = [migrations.RunPython(create, drop)]
