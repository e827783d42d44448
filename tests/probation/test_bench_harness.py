"""The benchmark harness at small scale: it runs, and every measured page keeps its query count bounded."""

from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest

from cases.models import Contact, Event, Obligation, Person
from cases.standards import ledger
from tools import bench, scale


@pytest.mark.django_db
def test_the_generator_and_the_benchmark_run_with_bounded_queries(tmp_path: Path) -> None:
    counts = scale.generate(replace(scale.SCALES["small"], people=2000), seed=7, out=StringIO(), quiet=True)
    assert counts["people"] == Person.objects.filter(crn__startswith="S").count() == 2000
    assert Contact.objects.count() == counts["contacts"] > 20_000
    active = Event.objects.filter(person__crn__startswith="S", terminated_on__isnull=True).count()
    assert 0.75 <= active / 2000 <= 0.9  # about 250,000 of 300,000 at national scale
    assert Person.objects.values("last_name").distinct().count() > 500  # searches by surname are selective
    again = scale.generate(replace(scale.SCALES["small"], people=10), seed=7, out=StringIO(), quiet=True)
    assert again["people"] == 10  # ids continue after what is there
    ledger.rebuild()
    assert Obligation.objects.count() > 2000
    others = Contact.objects.count() - counts["contacts"]  # the second generation's
    results = {r.name.split(" (")[0]: r for r in bench.run(repeat=2)}
    # The query counts issue 21 holds each measured page to, whatever the caseload and the case's history (the
    # case has 500 contacts): the timings are measured at national scale by `make bench`.
    assert 3 <= results["Contact log"].queries <= 11
    assert 3 <= results["My cases"].queries <= 8
    assert 3 <= results["Today"].queries <= 12  # the officer's cases by id first, so each side of an OR uses its index
    assert 3 <= results["Search by surname"].queries <= 7
    assert 3 <= results["Booking form"].queries <= 10  # the adjustments agreed are shown where appointments are booked
    assert 3 <= results["Team dashboard"].queries <= 25
    assert 3 <= results["National performance"].queries <= 15
    assert 3 <= results["Region performance"].queries <= 15
    assert (
        3 <= results["Case overview"].queries <= 33
    )  # issue 22: phones, RoSH breakdown, predictors, adjustments; issue 18: facts recorded late
    assert 3 <= results["Book an appointment"].queries <= 27  # target 12: not yet (docs/BENCHMARKS.md)
    assert 3 <= results["Log a contact"].queries <= 27
    assert results["Standards sweep"].queries <= 17 + 6
    assert results["Log a contact"].target == bench.POST
    assert 3 <= results["Log an office visit, seen"].queries <= 27
    for history in bench.HISTORIES:  # the same statements whatever the case's history, and none left behind
        assert results[f"Log a contact, {history:,} contacts"].queries == results["Log a contact"].queries
        visit = results[f"Log an office visit, {history:,} contacts"]
        assert visit.queries == results["Log an office visit, seen"].queries
    assert results["Log an office visit, 4,000 contacts on an earlier sentence"].queries == visit.queries
    assert not Contact.objects.filter(notes__in=["Rang about work", "Seen in the office"]).exists()  # put back
    assert Contact.objects.count() < counts["contacts"] + others + 1000  # and the histories added for it
    bench.write(list(results.values()), bench.dataset(), tmp_path / "BENCHMARKS.md", tmp_path / "bench.json")
    written = (tmp_path / "BENCHMARKS.md").read_text()
    assert "| Contact log (500 contacts) |" in written
    assert "| median ≤ 15, ≤ 12 queries | no |" in written  # the log's target, beside its result
