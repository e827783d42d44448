import csv
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.standards import ledger

COLUMNS = ["crn", "event", "rule", "starts_on", "due_on", "met_on", "state"]


class Command(BaseCommand):
    help = "One row per National Standards obligation as the ledger holds it on a day (INTERCHANGE.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--crn", default=None)

    def handle(self, *args: Any, as_of: date, format: str, crn: str | None, **options: Any) -> None:
        rows = ledger.report(as_of, crn)
        if format == "json":
            self.stdout.write(json.dumps(rows))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
