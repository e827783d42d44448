from datetime import timedelta
from importlib import import_module

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

# The recording lag of an obligation met by seeing the person is that of the day's contacts that could have met
# it (cases/standards/meeting_facts.py): seen in person for the initial appointment, face to face for the month's
# contact, at home for a home visit. 0027 took every contact of the day at which the person was seen, so a
# telephone call recorded days later marked the day's visit recorded late. This fills those three rules again,
# one set-based UPDATE a rule, as 0027 did.
latest_lag = import_module("cases.migrations.0027_obligation_met_recording_lag").latest_lag
SEEN = import_module("cases.migrations.0027_obligation_met_recording_lag").SEEN


def fill(apps, schema_editor):
    def model(name):
        return apps.get_model("cases", name)

    contacts = (
        model("Contact")
        .objects.filter(entered_in_error=False, outcome__in=SEEN, event_id=OuterRef("event_id"))
        .annotate(day=TruncDate("starts_at"))
        .filter(day=OuterRef("met_on"))
    )
    could_meet = {
        "initial_appointment": Q(type__face_to_face=True) & ~Q(type__code="video"),
        "monthly_contact": Q(type__face_to_face=True),
        "home_visit": Q(type__code="home_visit"),
    }
    obligations = model("Obligation").objects
    months = set()
    for rule, could in could_meet.items():
        lag = latest_lag(apps, contacts.filter(could), F("day"), "recorded_at")
        # Only an obligation met on a day with a contact seen that could not have met it can change: the rest
        # (nearly all, 4 million at national scale: 28 s in all, the months marked included) are left as they are
        changing = obligations.filter(Exists(contacts.exclude(could)), rule=rule, met_on__isnull=False)
        months |= set(changing.dates("due_on", "month"))
        changing.update(met_recording_lag=lag)
    # The months of the recount's window (cases/stale_counts.py) whose recorded-late shares may have moved are
    # recounted by the frequent job
    today = timezone.localdate()
    since = (today.replace(day=1) - timedelta(days=366)).replace(day=1)
    stale = model("PerformanceStale")
    marked = [stale(month=month, marked_at=timezone.now()) for month in months if since <= month <= today]
    stale.objects.bulk_create(marked, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0031_rollup_refreshed"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
