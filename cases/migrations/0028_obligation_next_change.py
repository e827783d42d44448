from django.db import migrations

# The nightly sweep asks, for each rule, which open obligations change state today: a pending one whose due
# date has passed or that was met, voided or closed by today, an overdue one closed by today. Asked as an OR over
# four columns, PostgreSQL read every row of the rule (about 1.2 s a rule at national scale, 15 rules); this
# index keeps each open obligation's next day of change, so the sweep reads only those whose day has come
# (cases/standards/ledger.py, NEXT_CHANGE: the same expression, which the query must repeat exactly). PostgreSQL
# only: the embedded SQLite quick-start has a few thousand rows and no LEAST.
NEXT_CHANGE = "(CASE WHEN state = 'pending' THEN LEAST(due_on + 1, met_on, void_on, missed_on) ELSE missed_on END)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS obligation_next_change ON cases_obligation (rule, {NEXT_CHANGE}) "
            "WHERE state IN ('pending', 'overdue')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS obligation_next_change")


class Migration(migrations.Migration):
    atomic = False  # built CONCURRENTLY: the ledger takes writes while the index is built (seconds at national scale)
    dependencies = [("cases", "0027_obligation_met_recording_lag")]

    operations = [migrations.RunPython(create, drop)]
