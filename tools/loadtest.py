"""The load test's two ends in the database: officers to sign in as, and the exactly-once check.

`prepare` gives the officers with the most cases a sign-in and writes who they are and their cases
for the locust scenario (load/locustfile.py). Each contact the scenario logs carries a unique marker
in its notes; `check` then counts, for every marker the server acknowledged (a redirect after the
POST), the rows that hold it: exactly one each, and none for a marker that was not acknowledged.
"""

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Count

from cases.models import Allocation, Contact
from regions.models import StaffMember
from tools.bench import newest_first, sign_in_for

MARKER_PREFIX = "load-test:"


def prepare(officers: int, password: str, out: Path) -> list[dict[str, Any]]:
    """Give the busiest officers a known password: for a benchmark database only (the caller checks)."""
    busiest = (
        Allocation.objects.current()
        .filter(event__terminated_on__isnull=True)
        .values("staff")
        .annotate(n=Count("id"))
        .order_by("-n")[:officers]
    )
    chosen = []
    for staff in StaffMember.objects.filter(pk__in=[row["staff"] for row in busiest]).select_related("user"):
        user = sign_in_for(staff)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        cases = (
            Allocation.objects.current()
            .filter(staff=staff, event__terminated_on__isnull=True, event__person__access_rules__isnull=True)
            .values_list("event__person__crn", "event__ref")
        )
        chosen.append({"username": user.username, "staff": staff.pk, "cases": [list(case) for case in cases]})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"password": password, "officers": chosen}, indent=1))
    return chosen


@dataclass
class Check:
    acknowledged: int
    stored: int
    lost: list[str]
    duplicated: list[str]
    stored_unacknowledged: int

    @property
    def exactly_once(self) -> bool:
        """Every acknowledged contact stored once, and there were some (a run that logged nothing proves nothing)."""
        return self.acknowledged > 0 and not self.lost and not self.duplicated


def check(acks_file: Path, run: str) -> Check:
    acknowledged = {line.strip() for line in acks_file.read_text().splitlines() if line.strip()}
    ours = Contact.objects.filter(notes__startswith=f"{MARKER_PREFIX}{run}:")
    rows = Counter(ours.values_list("notes", flat=True).iterator())
    return Check(
        acknowledged=len(acknowledged),
        stored=sum(rows.values()),
        lost=sorted(marker for marker in acknowledged if rows[marker] == 0),
        duplicated=sorted(marker for marker, n in rows.items() if n > 1),
        stored_unacknowledged=sum(n for marker, n in rows.items() if marker not in acknowledged),
    )


def summarise(stats_csv: Path) -> list[dict[str, str]]:
    with stats_csv.open() as f:
        return list(csv.DictReader(f))


def write(result: Check, stats: list[dict[str, str]], setup: str, markdown: Path, json_path: Path) -> None:
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(
        json.dumps({"date": when, "setup": setup, "check": asdict(result), "requests": stats}, indent=2)
    )
    lines = [
        f"## Load test of {when}",
        "",
        setup,
        "",
        "| request | count | failures | requests/s | median ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in stats:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.1f} "
            f"| {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |"
        )
    posts = next((row for row in stats if row["Name"] == "log a contact: POST"), None)
    if posts is not None:
        lines += [
            "",
            f"**Contact logs: {float(posts['Requests/s']):.1f} a second**, median {posts['50%']} ms, "
            f"p95 {posts['95%']} ms, {posts['Failure Count']} errors (of {posts['Request Count']}).",
        ]
    lines += [
        "",
        f"Exactly-once check: {result.acknowledged:,} contacts acknowledged, {result.stored:,} stored; "
        f"{len(result.lost)} lost, {len(result.duplicated)} duplicated, "
        f"{result.stored_unacknowledged} stored without an acknowledgement (a request cut off after its commit).",
    ]
    newest_first(markdown, lines)
