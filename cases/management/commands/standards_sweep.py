from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.ending import services as ending
from cases.standards import ledger


class Command(BaseCommand):
    help = (
        "End the sentences whose end date has passed; move open National Standards obligations to their state on a "
        "day and flag the overdue ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, as_of: date | None, **options: Any) -> None:
        ended = ending.end_completed(as_of)
        moved = ledger.sweep(as_of)
        reminded = ledger.remind(as_of)
        self.stdout.write(f"Ended: {len(ended)} sentences that reached their end date")
        self.stdout.write(f"Swept: {sum(moved.values())} obligations changed state; {reminded} reminders")
