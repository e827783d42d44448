from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.standards import ledger


class Command(BaseCommand):
    help = "Recompute the National Standards ledger from the facts, report every difference, and repair it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Only report differences; exit 1 if there are any")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        differences = ledger.rebuild(check=check)
        for difference in differences:
            self.stdout.write(str(difference))
        self.stdout.write(f"{len(differences)} difference(s){' found' if check else ' repaired'}")
        if check and differences:
            raise CommandError(f"The ledger differs from the facts in {len(differences)} place(s)")
