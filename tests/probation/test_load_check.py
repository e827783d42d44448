"""The load test's database ends: the officers it signs in as, and the exactly-once check on what they logged."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import ContactType
from regions.models import StaffMember
from tests.factories import book, case_for
from tools import loadtest

RUN = "20261125"


def _log(officer: StaffMember, contact_types: dict[str, ContactType], marker: str, times: int = 1) -> None:
    event = officer.allocations.first().event  # type: ignore[union-attr]
    for n in range(times):
        contact = book(officer, event, contact_types["office_visit"], timezone.now() + timedelta(days=3, hours=n))
        contact.notes = f"load-test:{RUN}:{marker}"
        contact.save(update_fields=["notes"])


@pytest.mark.django_db
def test_prepare_gives_the_busiest_officers_a_sign_in_and_lists_their_cases(
    officer: StaffMember, tmp_path: Path
) -> None:
    first, second = case_for(officer), case_for(officer)
    chosen = loadtest.prepare(1, "a-long-load-password", tmp_path / "users.json")
    plan = json.loads((tmp_path / "users.json").read_text())
    assert [o["username"] for o in chosen] == [o["username"] for o in plan["officers"]] == ["officer"]
    assert sorted(map(tuple, plan["officers"][0]["cases"])) == sorted((e.person.crn, e.ref) for e in (first, second))
    assert Client().login(username="officer", password="a-long-load-password")


@pytest.mark.django_db
def test_check_finds_lost_duplicated_and_unacknowledged_contacts(
    officer: StaffMember, contact_types: dict[str, ContactType], tmp_path: Path
) -> None:
    case_for(officer)
    _log(officer, contact_types, "once")
    _log(officer, contact_types, "twice", times=2)
    _log(officer, contact_types, "unacknowledged")
    acks = tmp_path / "acks.txt"
    acks.write_text("".join(f"load-test:{RUN}:{m}\n" for m in ("once", "twice", "lost")))

    result = loadtest.check(acks, RUN)

    assert (result.acknowledged, result.stored, result.stored_unacknowledged) == (3, 4, 1)
    assert result.lost == [f"load-test:{RUN}:lost"]
    assert result.duplicated == [f"load-test:{RUN}:twice"]
    assert not result.exactly_once
    acks.write_text(f"load-test:{RUN}:once\n")
    assert loadtest.check(acks, "another-run").lost == [f"load-test:{RUN}:once"]  # each run counts its own


@pytest.mark.django_db
def test_the_result_is_written_newest_first(tmp_path: Path) -> None:
    markdown = tmp_path / "BENCHMARKS.md"
    markdown.write_text("# Benchmarks\n\nIntro.\n\n## Run of 2026-11-24 10:00\n\nOld.\n")
    stats = tmp_path / "run_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%,Max Response Time\n"
        "POST,log a contact: POST,6000,0,50.2,40,120,200,410.7\n"
    )
    result = loadtest.Check(acknowledged=6000, stored=6000, lost=[], duplicated=[], stored_unacknowledged=0)
    loadtest.write(result, loadtest.summarise(stats), "50 officers.", markdown, tmp_path / "result.json")
    text = markdown.read_text()
    assert text.index("## Load test of") < text.index("## Run of 2026-11-24")
    assert "| log a contact: POST | 6000 | 0 | 50.2 | 40 | 120 | 200 | 411 |" in text
    assert "6,000 contacts acknowledged, 6,000 stored; 0 lost, 0 duplicated" in text
    assert json.loads((tmp_path / "result.json").read_text())["check"]["stored"] == 6000
