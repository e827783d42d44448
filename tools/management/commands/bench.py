from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tools import bench


class Command(BaseCommand):
    help = "Benchmark the main pages, the sweep and the report on this database; write docs/BENCHMARKS.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--markdown", default=str(Path(settings.BASE_DIR) / "docs" / "BENCHMARKS.md"))
        parser.add_argument("--json", default=str(Path(settings.BASE_DIR) / "var" / "bench.json"))

    def handle(self, *args: Any, repeat: int, markdown: str, json: str, **options: Any) -> None:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        bench.statistics_fresh()
        data = bench.dataset()
        results = bench.run(repeat)
        for r in results:
            timing = f"median {r.median_ms:>8} ms  p95 {r.p95_ms:>8} ms"
            verdict = f"target {r.target}: {'met' if r.met else 'NOT met'}"
            self.stdout.write(f"{r.name:<40} {timing}  {r.queries:>3} queries  floor {r.floor_ms} ms  {verdict}")
        bench.write(results, data, Path(markdown), Path(json))
        self.stdout.write(f"Written to {markdown} and {json}")
