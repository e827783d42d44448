"""Contacts lose their index on the event alone: contact_event_starts (event, starts_at) serves every search by
event, and PostgreSQL, given both, read all of a long sentence's contacts to find those from a date (the performance
footprint, cases/stale_counts.py). Only the index is dropped: Django's own AlterField drops the foreign key and adds
it again, which checks every contact's event (seconds at national scale, holding off writes to contacts)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "cases_contact_event_id_9ac5ff38"  # the name Django gave it (the same on SQLite)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0032_seen_recording_lag_of_contacts_that_could_meet"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS {INDEX} ON "cases_contact" ("event_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contacts",
                        to="cases.event",
                    ),
                ),
            ],
        ),
    ]
