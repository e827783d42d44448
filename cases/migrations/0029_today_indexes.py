from django.db import migrations

# Today (cases/today/selectors.py) counts each section whole, so it reads every row that matches, on the officer's
# events: by (event) alone, PostgreSQL read every contact of the caseload and threw most away
# (at national scale, for the busiest officer: 2,692 contacts for 51 appointments without an outcome, 2,739 for
# 288 absences and failures). Each index holds only the rows a section can list, so the section reads only them
# (the contacts' scans 0.5 to 0.3 ms and 1.9 to 1.0 ms). Partial: 7 and 34 MB beside the 252 MB of
# contact_event_starts, kept small for the contact POST. (The same for the open obligations, 1,949 read for 265,
# was not chosen by the planner: an obligation's items lie together, and the filter is cheap.)
# PostgreSQL only, as 0028 (the embedded SQLite quick-start has a few thousand rows).
INDEXES = {
    # appointments without an outcome, by event (the officer's own, by staff, are contact_staff_starts)
    "contact_event_open": "cases_contact (event_id, starts_at) WHERE outcome = '' AND NOT entered_in_error",
    # absences awaiting evidence and enforceable failures, by event (and the failures of a day, by event and time)
    "contact_event_to_decide": "cases_contact (event_id, starts_at) WHERE NOT entered_in_error AND "
    "(outcome = 'awaiting_evidence' OR (enforceable AND outcome IN "
    "('failed_to_comply', 'sent_home_behaviour', 'unacceptable_absence')))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # built CONCURRENTLY: contacts and the ledger take writes while they are built
    dependencies = [("cases", "0028_obligation_next_change")]

    operations = [migrations.RunPython(create, drop)]
