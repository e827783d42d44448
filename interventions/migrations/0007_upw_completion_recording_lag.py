from importlib import import_module

from django.db import migrations
from django.db.models import F, OuterRef

# Unpaid Work completion keeps the recording lag of the session that completed the hours (cases 0027 fills the
# other rules and says why).
latest_lag = import_module("cases.migrations.0027_obligation_met_recording_lag").latest_lag


def fill(apps, schema_editor):
    sessions = apps.get_model("interventions", "UpwSession").objects.filter(
        requirement__event_id=OuterRef("event_id"), date=OuterRef("met_on"), status__in=["attended", "failed"]
    )
    lag = latest_lag(apps, sessions, F("date"), "recorded_at")
    obligations = apps.get_model("cases", "Obligation").objects
    obligations.filter(rule="upw_completion", met_on__isnull=False).update(met_recording_lag=lag)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0027_obligation_met_recording_lag"),
        ("interventions", "0006_late_session_recorded_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
