"""The embedded quick-start that `make run` starts (SQLite, no broker server) works end to end.

Every other test runs on PostgreSQL (tests/conftest.py refuses SQLite), so the SQLite branches would go
untested: this one runs the quick-start's own steps in subprocesses on a SQLite file of its own, on the
suite's pinned day, then signs in as three demo logins and reads the main pages with Django's test client.
It needs no database from pytest and runs whatever DATABASE_URL the suite has.
"""

import os
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from probation.demo import DEMO_PASSWORD

pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parents[2]

# Runs a script (manage.py, or the page script below) with the clock at 10:00 London time on the given day.
PINNED = textwrap.dedent(
    """
    import runpy, sys, time_machine
    from datetime import date, datetime
    from zoneinfo import ZoneInfo
    day = date.fromisoformat(sys.argv[1])
    time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/London")), tick=True).start()
    sys.argv = sys.argv[2:]
    runpy.run_path(sys.argv[0], run_name="__main__")
    """
)

PAGES = textwrap.dedent(
    """
    import re, sys
    import django
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()  # the test client's host, and mail kept in memory

    password = sys.argv[1]

    def signed_in(username):
        client = Client()
        page = client.post("/sign-in/", {"username": username, "password": password}, follow=True)
        assert page.status_code == 200, (username, page.status_code)
        assert client.session.get("_auth_user_id"), f"{username} could not sign in"
        return client

    def read(client, url, *texts):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, (url, response.status_code, page[:2000])
        for text in texts:
            assert text in page, (url, text)
        print("200", url)
        return page

    officer = signed_in("officer")
    read(officer, "/cases/today/", "Today")
    mine = read(officer, "/cases/", "My cases")
    crns = re.findall(r'href="/cases/([A-Z][0-9]{6})/"', mine)
    assert crns, "the demo officer has no cases"
    read(officer, f"/cases/{crns[0]}/", "Sentence")
    read(officer, f"/cases/{crns[0]}/contacts/", "Contacts")
    read(officer, f"/cases/search/?q={crns[0]}", f">{crns[0]}</td>")
    named = re.search(r'href="/cases/' + crns[0] + r'/">([^,<]+),', mine)[1]
    read(officer, f"/cases/search/?q={named[:2]}", f">{crns[0]}</td>")  # two letters: the start of a name
    read(officer, f"/cases/search/?q={named}", f">{crns[0]}</td>")
    read(officer, "/cases/standards/")
    spo = signed_in("spo")
    read(spo, "/team/", "Tyneside Team 1")
    director = signed_in("director")
    read(director, "/performance/region/NE/", "North East")
    read(director, "/region/", "North East")
    """
)


def run(args: list[str], env: dict[str, str], day: date) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PINNED, day.isoformat(), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done.stdout


def test_the_sqlite_quick_start_migrates_loads_the_demo_sweeps_and_serves_the_main_pages(
    tmp_path: Path, pinned_clock: date
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "STATIC_MANIFEST", "SECRET_KEY", "DEBUG"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "probation.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "VAR_DIR": str(tmp_path / "var"),  # the secret key and logs, not the working tree's var/
        "STATIC_MANIFEST": "false",  # no collectstatic into the working tree: the pages link the source files
        "PYTHONPATH": str(ROOT),
    }
    run(["manage.py", "migrate", "--noinput", "-v0"], env, pinned_clock)
    demo = run(["manage.py", "load_demo"], env, pinned_clock)
    assert f"password {DEMO_PASSWORD}" in demo, demo
    assert re.search(r"^    officer\s+probation officer\s+Tyneside Team 1", demo, re.MULTILINE), demo
    assert "Swept:" in run(["manage.py", "standards_sweep"], env, pinned_clock)
    assert "0 difference(s) found" in run(["manage.py", "standards_rebuild", "--check"], env, pinned_clock)
    script = tmp_path / "pages.py"
    script.write_text(PAGES)
    pages = run([str(script), DEMO_PASSWORD], env, pinned_clock)
    assert len(re.findall(r"^200 /", pages, re.MULTILINE)) == 11, pages  # every page the script reads
