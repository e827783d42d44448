import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.interchange.importer import ImportRefused, import_document


class Command(BaseCommand):
    help = (
        "Import organisation and cases from a probation-cases/1 JSON file: all or nothing, upserting by natural keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path} is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: byte {error.start} cannot be read") from error
        except RecursionError as error:
            raise CommandError(f"{path} is nested too deeply to read") from error
        try:
            result = import_document(data)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported: {len(refused.problems)} problem(s) in {path}") from refused
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        for section in result.skipped_sections:
            self.stderr.write(f"Warning: '{section}' is not imported by this version and was skipped")
        self.stdout.write(
            f"Imported {path}: {result.created} people created, {result.updated} updated, {result.unchanged} unchanged"
        )
