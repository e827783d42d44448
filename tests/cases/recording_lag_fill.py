"""The migrations that filled each met obligation's recording lag (SQL) against the ledger that keeps it now
(Python, cases/standards/meeting_facts.py): both must give every obligation the same lag."""

from importlib import import_module

from django.apps import apps

from cases.models import Obligation

FILLS = [
    "cases.migrations.0027_obligation_met_recording_lag",
    "cases.migrations.0032_seen_recording_lag_of_contacts_that_could_meet",
    "interventions.migrations.0007_upw_completion_recording_lag",
]


def assert_the_fill_agrees_with_the_ledger() -> None:
    """Clear every stored lag, run the migrations' fill, and find what the ledger had stored."""
    stored = dict(Obligation.objects.values_list("pk", "met_recording_lag"))
    Obligation.objects.update(met_recording_lag=None)
    for migration in FILLS:
        import_module(migration).fill(apps, None)
    assert dict(Obligation.objects.values_list("pk", "met_recording_lag")) == stored
