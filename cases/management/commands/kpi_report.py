import csv
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from probation.db_router import reads_from_replica
from regions.performance import rollups

COLUMNS = ["scope", "code", "measure", "numerator", "denominator", "rate"]


class Command(BaseCommand):
    help = (
        "The performance measures for every PDU, region and the nation over a period (INTERCHANGE.md), as the"
        " ledger holds them after the sweep on the later of --to and today."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--region", default=None, help="A region's code: its PDUs, the region and the nation")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    @reads_from_replica  # counts that may be a few seconds old: the replica's, when there is one
    def handle(self, *args: Any, start: date, end: date, region: str | None, format: str, **options: Any) -> None:
        if end < start:
            raise CommandError("--to must be on or after --from")
        rows = rollups.report(start, end, region)
        if format == "json":
            self.stdout.write(json.dumps(rows))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
