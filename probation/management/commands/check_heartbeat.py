from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from probation.models import JobRun


class Command(BaseCommand):
    help = "Exit non-zero unless the heartbeat job ran recently: proves beat, broker and a worker end to end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-age", type=int, default=300, help="seconds since the last heartbeat (default 300)")

    def handle(self, *args: Any, **options: Any) -> None:
        run = JobRun.objects.filter(name="heartbeat").first()
        if run is None:
            raise CommandError("The heartbeat has never run")
        age = timezone.now() - run.last_run_at
        if age > timedelta(seconds=options["max_age"]):
            raise CommandError(f"The heartbeat last ran {int(age.total_seconds())} seconds ago")
        self.stdout.write(f"The heartbeat ran {int(age.total_seconds())} seconds ago")
