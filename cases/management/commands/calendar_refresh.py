from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.standards import calendar


class Command(BaseCommand):
    help = "Fill the business-day calendar with England & Wales bank holidays, from 2000 to this year + N."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=calendar.YEARS_AHEAD, help="Years ahead of this one")

    def handle(self, *args: Any, years: int, **options: Any) -> None:
        from datetime import date

        days = calendar.fill(date.today().year + years)
        self.stdout.write(f"Calendar filled: {days} days to the end of {date.today().year + years}")
