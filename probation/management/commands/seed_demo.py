import time
from dataclasses import replace
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.models import Person
from cases.standards import ledger
from probation import scale
from probation.demo import load_demo


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
            ledger.rebuild()
            self.stdout.write(f"Ledger derived in {time.monotonic() - started:.0f}s")


def _scales() -> dict[str, scale.Scale]:
    return scale.SCALES


def _generate(chosen: scale.Scale, seed: int, out: Any) -> dict[str, int]:
    return scale.generate(chosen, seed=seed, out=out)
