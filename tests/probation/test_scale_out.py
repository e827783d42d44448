"""Web nodes scale out: everything a request depends on between requests lives in PostgreSQL (sessions, once-only
keys, the sign-in lock-out's attempts, the row and advisory locks), never in a process. Two gunicorn instances
on two ports, against one database, serve one officer's journey alternating between them."""

import http.cookiejar
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from cases.models import Contact, ContactType, Event
from cases.standards import calendar
from probation.models import Submission
from regions.models import StaffMember
from tests.factories import PASSWORD
from tools.drill_servers import free_port, wait_for

pytestmark = pytest.mark.today("2026-11-25")  # the test books on its clock; the nodes run on theirs

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("probation", "cases", "regions", "interventions")
IN_PROCESS_CACHES = re.compile(r"django\.core\.cache|lru_cache|functools import .*\bcache\b|@cache\b|LocMemCache")
# Django's cache, used only where its backend is shared between processes: the reference lists
# (probation/reference.py) through CACHE_URL, Redis in production (docker-compose.yml) and a file cache in the
# quick-start (run-local); the settings fall back to a local-memory cache for one process only (tests, bench).
SHARED_CACHE = {"probation/reference.py", "probation/settings.py"}
# Caches of what the code itself defines, the same in every process whatever the data: Today's links, each
# route reversed once (cases/links.py, link_to's _route, its only cache).
CODE_CACHES = {"cases/links.py"}


def test_no_product_code_keeps_state_for_correctness_in_a_process() -> None:
    """A cache in one web process is not seen by another: reference data read once per request, or a copy
    checked against a version in the database at each request (cases/standards/calendar.py), is fine;
    Django's local-memory cache or functools caches of database rows are not."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if IN_PROCESS_CACHES.search(line) and str(path.relative_to(ROOT)) not in SHARED_CACHE | CODE_CACHES
    ]
    assert found == [], "keep shared state in PostgreSQL or Redis, or check a version in the database per request"
    assert "CACHE_URL: redis://" in (ROOT / "docker-compose.yml").read_text(), "web nodes share Redis for the cache"
    assert 'CACHE_URL="${CACHE_URL:-file://' in (ROOT / "probation/scripts/run-local").read_text()
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db", "sessions are rows, seen by every node"
    assert settings.MESSAGE_STORAGE.endswith(("FallbackStorage", "CookieStorage", "SessionStorage"))


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_nodes(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two gunicorn instances, one worker each, on two ports, sharing only the database, SECRET_KEY and the cache
    of reference lists (new for each test, as Redis is shared in production)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
        "SECRET_KEY": "two-nodes-one-secret-key-" + "x" * 40,
        "STATIC_MANIFEST": "false",
        "DEBUG": "false",
    }
    ports = [free_port(), free_port()]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    nodes = [
        subprocess.Popen(
            [gunicorn, "probation.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            assert wait_for(partial(_answers, port), 60), f"gunicorn on {port}"
        yield f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}"
    finally:
        for node in nodes:
            node.terminate()
            node.wait(20)


class Browser:
    """One cookie jar for both nodes (cookies belong to a host, not a port: as behind one address), seeing
    redirects rather than following them."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object) -> None:
            return None

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect)

    def request(self, url: str, data: dict[str, object] | None = None) -> tuple[int, str, str]:
        """(status, page text, Location)"""
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"X-CSRFToken": token or ""})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")


def _answers(port: int) -> bool:
    try:
        return Browser().request(f"http://127.0.0.1:{port}/healthz")[0] in {200, 503}
    except OSError:
        return False


# The servers run on the real clock: so does this test's (read at collection, before the clock is pinned), so
# the ledger they keep is the one this process derives.
@pytest.mark.today(datetime.now(ZoneInfo("Europe/London")).date().isoformat())
@pytest.mark.django_db(transaction=True)
def test_one_officers_journey_alternating_between_two_web_nodes(
    two_nodes: tuple[str, str], officer: StaffMember, community_order: Event, contact_types: dict[str, ContactType]
) -> None:
    a, b = two_nodes
    assert officer.user is not None
    crn, ref = community_order.person.crn, community_order.ref
    # The servers hash with production's hasher, not the tests' fast one.
    officer.user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    officer.user.save(update_fields=["password"])
    browser = Browser()

    browser.request(f"{a}/sign-in/")
    status, _, _ = browser.request(f"{a}/sign-in/", {"username": officer.user.username, "password": PASSWORD})
    assert status == 302, "signed in on the first node"

    status, overview, _ = browser.request(f"{b}/cases/{crn}/")
    assert status == 200, "the second node knows the session"
    assert "Sam Example" in overview

    day = timezone.localdate() + timedelta(days=1)
    while not calendar.is_business_day(day):
        day += timedelta(days=1)
    booking = {
        "type": contact_types["office_visit"].pk,
        "day_0": day.day,
        "day_1": day.month,
        "day_2": day.year,
        "at": "10:00",
        "staff": officer.pk,
        "submission": uuid.uuid4().hex,
    }
    status, _, location = browser.request(f"{b}/cases/{crn}/events/{ref}/appointments/new/", booking)
    assert status == 302, "booked on the second node"
    assert location == f"/cases/{crn}/contacts/"

    status, log, _ = browser.request(f"{a}{location}")
    assert status == 200
    assert "1 appointment booked" in log, "the second node's message shown by the first"
    assert f"{day:%a} {day.day} {day:%b %Y}" in log, "the first node lists the appointment the second booked"
    assert "Booked" in log

    status, _, again = browser.request(f"{a}/cases/{crn}/events/{ref}/appointments/new/", booking)
    assert status == 302, "the same form sent again, to the other node"
    assert again == location
    assert Contact.objects.filter(event=community_order).count() == 1, "once only, across nodes"
    assert Submission.objects.filter(key=booking["submission"]).count() == 1

    assert browser.request(f"{b}/sign-out/", {})[0] == 302
    status, _, location = browser.request(f"{a}/cases/{crn}/")
    assert status == 302, "signed out on one node, signed out on both"
    assert "/sign-in/" in location
