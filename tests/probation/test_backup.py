"""The documented backup and restore (docs/OPERATIONS.md), for real: back up the test database, restore it
into a fresh one, and find standards_report and export_cases unchanged."""

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Outcome
from tests.factories import book

ROOT = Path(settings.BASE_DIR)


def _url(name: str) -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def _drop(name: str) -> None:
    psql = shutil.which("psql")
    assert psql, "the PostgreSQL client is needed"
    subprocess.run([psql, _url("postgres"), "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)


def _reports(database_url: str) -> tuple[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    today = timezone.localdate().isoformat()

    def run(*command: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout

    return run("standards_report", "--as-of", today), run("export_cases", "-")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_record(
    officer, community_order, contact_types, tmp_path: Path
) -> None:
    visit = book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, 7, 10, tzinfo=UTC))
    contacts.record_outcome(contact=visit, user=officer.user, outcome=Outcome.ATTENDED, notes="Seen; café visit")
    original = _url(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = _url(restored_name)
    dump = tmp_path / "probation.dump"
    _drop(restored_name)
    try:
        env = {**os.environ, "DATABASE_URL": original}
        subprocess.run([str(ROOT / "probation/scripts/backup"), str(dump)], env=env, check=True, capture_output=True)
        subprocess.run([str(ROOT / "probation/scripts/restore"), str(dump), restored], check=True, capture_output=True)
        before, after = _reports(original), _reports(restored)
    finally:
        _drop(restored_name)
    assert '"rule": "initial_appointment"' in before[0]
    assert "café visit" in before[1]
    assert after == before
