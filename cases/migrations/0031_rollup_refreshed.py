from django.db import migrations

# The performance pages say when their counts were taken (regions/performance/rollups.py): the newest recount of
# any month (`last_refreshed`), and the oldest recount of the months shown (`counted_at`, a probe a month). Neither
# had an index: at national scale (257,000 rows, 13 months) they read the whole table, 14 and 25 ms of a page's
# 54. PostgreSQL only, as 0030.


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS rollup_refreshed ON cases_performancerollup (refreshed_at)"
        )
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS rollup_month_refreshed"
            " ON cases_performancerollup (month, refreshed_at)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS rollup_refreshed")
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS rollup_month_refreshed")


class Migration(migrations.Migration):
    atomic = False  # built CONCURRENTLY: the recount writes rollups while it is built
    dependencies = [("cases", "0030_event_pdu_ids")]

    operations = [migrations.RunPython(create, drop)]
