import multiprocessing
import os
import time
from dataclasses import replace
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils import timezone

from cases.models import Event, Obligation, Person
from cases.standards import ledger
from probation.demo import load_demo, planner_statistics
from regions import workload
from tools import bulk_load, scale


class Command(BaseCommand):
    help = "Load demo data: --scale pdu (the quick-start demo) or synthetic region / national data via COPY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["pdu", *scale.SCALES], default="pdu")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--people", type=int, default=None, help="Override the number of people")
        parser.add_argument("--no-ledger", action="store_true", help="Skip deriving the National Standards ledger")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if synthetic people are there")

    def handle(
        self, *args: Any, scale: str, seed: int, people: int | None, no_ledger: bool, if_empty: bool, **options: Any
    ) -> None:
        if if_empty and Person.objects.filter(crn__startswith="S").exists():
            self.stdout.write("Synthetic data is already loaded")
            return
        if scale == "pdu":
            logins = load_demo()
            self.stdout.write(f"Demo loaded: {len(logins)} logins")
            return
        chosen = _scales()[scale]
        if people:
            chosen = replace(chosen, people=people)
        started = time.monotonic()
        counts = _generate(chosen, seed, self.stdout)
        loaded = time.monotonic() - started
        self.stdout.write(", ".join(f"{table} {count:,}" for table, count in counts.items()) + f" in {loaded:.0f}s")
        if not no_ledger:
            started = time.monotonic()
            _rebuild_in_parallel(processes=os.cpu_count() or 1)
            self.stdout.write(f"Ledger derived in {time.monotonic() - started:.0f}s")
            started = time.monotonic()
            workload.backfill(12, timezone.localdate())
            self.stdout.write(f"12 months of capacity history in {time.monotonic() - started:.0f}s")
        planner_statistics()  # the ledger's millions of rows, written after the load's own ANALYZE


def _rebuild_one(share: tuple[list[int], bool]) -> int:
    event_ids, none_stored = share
    connections.close_all()  # a fresh connection in this process
    return ledger.rebuild_counting(event_ids, none_stored=none_stored)


def _rebuild_in_parallel(processes: int) -> int:
    """Derive the ledger for every sentence, a share of the sentences per process (one per core); into an empty
    ledger (a fresh seed), with its indexes and foreign keys built after the rows are in."""
    ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    # Into an empty ledger each process writes its own events' rows and reads none back: with the plain indexes
    # set aside, a look-up by event could be planned as a scan of every row written so far.
    none_stored = not Obligation.objects.exists()
    shares = [(ids[i::processes], none_stored) for i in range(processes)]
    with bulk_load.indexes_built_after(Obligation._meta.db_table):
        connections.close_all()  # never share a connection across fork
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return sum(pool.map(_rebuild_one, shares))


def _scales() -> dict[str, scale.Scale]:
    return scale.SCALES


def _generate(chosen: scale.Scale, seed: int, out: Any) -> dict[str, int]:
    return scale.generate(chosen, seed=seed, out=out)
