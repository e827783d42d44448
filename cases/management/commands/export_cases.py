import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.interchange.exporter import document
from probation.db_router import reads_from_replica


class Command(BaseCommand):
    help = "Export the organisation and every case as a probation-cases/1 JSON file ('-' for standard output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    @reads_from_replica  # a snapshot that may be a few seconds old: the replica's, when there is one
    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(document(), indent=2, ensure_ascii=False) + "\n"
        if options["file"] == "-":
            self.stdout.write(text, ending="")
        else:
            Path(options["file"]).write_text(text, encoding="utf-8")
