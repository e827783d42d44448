from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tools import loadtest
from tools.bench import statistics_fresh


class Command(BaseCommand):
    help = "The load test's database ends: `prepare` officers to sign in as, `check` that contacts were stored once"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["prepare", "check"])
        parser.add_argument("--officers", type=int, default=50)
        parser.add_argument("--password", default="load-test-only")
        parser.add_argument("--dir", type=Path, default=Path("var/load"))
        parser.add_argument("--run", default="manual", help="The run's marker, as the locustfile was given it")
        parser.add_argument("--setup", default="", help="How the run was made, for docs/BENCHMARKS.md")
        parser.add_argument("--markdown", type=Path, default=Path("docs/BENCHMARKS.md"))
        parser.add_argument("--force", action="store_true", help="Prepare on a database not named for benchmarks")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["dir"]
        if options["step"] == "prepare":
            database = str(connection.settings_dict["NAME"])
            if "bench" not in database and not options["force"]:
                raise CommandError(f"{database} is not a benchmark database: prepare sets known passwords (--force)")
            statistics_fresh()
            chosen = loadtest.prepare(options["officers"], options["password"], folder / "users.json")
            cases = sum(len(officer["cases"]) for officer in chosen)
            self.stdout.write(f"{len(chosen)} officers with {cases:,} cases in {folder / 'users.json'}")
            return
        result = loadtest.check(folder / "acks.txt", options["run"])
        stats = loadtest.summarise(folder / "run_stats.csv")
        loadtest.write(result, stats, options["setup"], options["markdown"], folder / "result.json")
        self.stdout.write(
            f"acknowledged {result.acknowledged:,}, stored {result.stored:,}, lost {len(result.lost)}, "
            f"duplicated {len(result.duplicated)}, stored without acknowledgement {result.stored_unacknowledged}"
        )
        if not result.exactly_once:
            raise CommandError("contacts were lost or duplicated")
