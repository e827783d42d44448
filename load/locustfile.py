"""Officers browsing their caseloads and logging contacts (see tools/loadtest.py and `make load`).

Each simulated officer signs in as one of the officers `manage.py loadtest prepare` chose, then, until the
run ends: looks at My cases, opens a case, reads its contact log, and logs a contact (books it, with a
unique marker in the notes). A marker is written to the acknowledgements file only when the server
answered the POST with its redirect: `manage.py loadtest check` then proves each was stored exactly once.
"""

import json
import os
import random
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from itertools import cycle
from pathlib import Path
from zoneinfo import ZoneInfo

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(Path(os.environ.get("LOAD_USERS_FILE", "var/load/users.json")).read_text())
RUN = os.environ.get("LOAD_RUN", "manual")
ACKS = Path(os.environ.get("LOAD_ACKS", "var/load/acks.txt"))
OFFICERS = cycle(PLAN["officers"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OFFICE_VISIT = re.compile(r'<option value="(\d+)"[^>]*>\s*Office visit')
# What the closed loop logs (LOAD_KIND): telephone calls, which no rule reads, or office visits, which move the
# clocks of seeing the person (the sentence's ledger derived again from the month of the visit).
LOGGED = {"telephone": ("Telephone call", {}), "office_visit": ("Office visit", {"outcome": "attended"})}
KIND_LABEL, KIND_FIELDS = LOGGED[os.environ.get("LOAD_KIND", "telephone")]
KIND_RADIO = re.compile(rf'value="(\d+)"\s*>\s*<label[^>]*>\s*{KIND_LABEL}')
WARNED = re.compile(r'name="warned" value="([^"]+)"')
LONDON = ZoneInfo("Europe/London")
acknowledged: list[str] = []


@events.test_stop.add_listener
def write_acknowledgements(**_: object) -> None:
    ACKS.parent.mkdir(parents=True, exist_ok=True)
    ACKS.write_text("".join(f"{marker}\n" for marker in acknowledged))


def token(html: str | None) -> str:
    found = CSRF.search(html or "")
    assert found, "no CSRF token on the page"
    return found[1]


class SignedIn(FastHttpUser):
    """One of the officers `loadtest prepare` chose, signed in: their staff id and their cases."""

    abstract = True
    staff: int
    cases: list[list[str]]

    def sign_in(self) -> None:
        officer = next(OFFICERS)
        self.staff = officer["staff"]
        self.cases = officer["cases"]
        page = self.client.get("/sign-in/", name="sign-in form")
        signed_in = self.client.post(
            "/sign-in/",
            {"username": officer["username"], "password": PLAN["password"], "csrfmiddlewaretoken": token(page.text)},
            name="sign in",
            allow_redirects=False,
        )
        assert signed_in.status_code == 302, f"{officer['username']} could not sign in"


class Officer(SignedIn):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.sign_in()

    @task(1)
    def my_cases(self) -> None:
        self.client.get("/cases/", name="My cases")

    @task(2)
    def overview(self) -> None:
        crn, _ = random.choice(self.cases)
        self.client.get(f"/cases/{crn}/", name="case overview")

    @task(2)
    def contact_log(self) -> None:
        crn, _ = random.choice(self.cases)
        self.client.get(f"/cases/{crn}/contacts/", name="contact log")

    @task(5)
    def log_contact(self) -> None:
        crn, ref = random.choice(self.cases)
        url = f"/cases/{crn}/events/{ref}/appointments/new/"
        form = self.client.get(url, name="log a contact: form")
        office = OFFICE_VISIT.search(form.text or "")
        if office is None:
            return
        marker = f"load-test:{RUN}:{uuid.uuid4()}"
        day = date.today() + timedelta(days=random.randint(1, 90))
        while day.weekday() >= 5:  # an officer books on a working day (a weekend asks to be confirmed)
            day += timedelta(days=1)
        booking = {
            "csrfmiddlewaretoken": token(form.text),
            "type": office[1],
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "at": f"{random.randint(9, 16):02d}:{random.choice(['00', '15', '30', '45'])}",
            "staff": self.staff,
            "notes": marker,
        }
        self.book(url, crn, booking, marker)

    def book(self, url: str, crn: str, booking: dict[str, object], marker: str) -> None:
        """Send the booking; if the page asks to confirm a warning (a bank holiday), confirm it, as the officer
        would, and send it again."""
        with self.client.post(
            url, booking, name="log a contact: POST", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code == 302 and f"/cases/{crn}/contacts/" in (answer.headers.get("Location") or ""):
                acknowledged.append(marker)
                answer.success()
                return
            warned = WARNED.search(answer.text or "") if answer.status_code == 200 else None
            if warned is None or booking.get("confirm"):
                answer.failure(f"not stored: HTTP {answer.status_code}")
                return
            answer.success()  # asked to confirm: not a failure of the server
        self.book(url, crn, {**booking, "confirm": "on", "warned": warned[1]}, marker)


class ClosedLoopOfficer(SignedIn):
    """The closed-loop throughput test (`make load-closed`): each simulated officer logs telephone calls (or office
    visits: LOAD_KIND=office_visit) one after another with no think time (the next POST leaves as the last answer
    arrives), each on the next of their cases in turn, as an officer sees one person after another (one case took
    some 700 visits in the two minutes, all in one month, whose window each visit then read whole); the form is
    read once, at the start: its CSRF token lasts the session. The scripts name the class to run
    (probation/scripts/load-test)."""

    wait_time = constant(0)

    def message_read(self) -> None:
        """The "Contact logged" message is shown on the page the POST redirects to, which an officer reads and this
        test does not: its cookie is dropped as that page would, or every officer would carry the messages of all
        their logs (past 2 KB, into their session, written on every POST), which no browser does."""
        jar = self.client.cookiejar
        for cookie in [cookie for cookie in jar if cookie.name == "messages"]:
            jar.clear(cookie.domain, cookie.path, cookie.name)

    def on_start(self) -> None:
        self.sign_in()
        cases = random.sample(self.cases, len(self.cases))
        self.urls = cycle(f"/cases/{crn}/events/{ref}/contacts/new/" for crn, ref in cases)
        form = self.client.get(next(self.urls), name="log a contact: form")
        kind = KIND_RADIO.search(form.text or "")
        assert kind, f"no {KIND_LABEL} on the log-a-contact form"
        self.kind, self.csrf = kind[1], token(form.text)

    @task
    def log_contact(self) -> None:
        marker = f"load-test:{RUN}:{uuid.uuid4()}"
        now = datetime.now(UTC).astimezone(LONDON) - timedelta(minutes=1)
        url = next(self.urls)
        with self.client.post(
            url,
            {
                "csrfmiddlewaretoken": self.csrf,
                "type": self.kind,
                **KIND_FIELDS,
                "day_0": now.day,
                "day_1": now.month,
                "day_2": now.year,
                "at": f"{now:%H:%M}",
                "staff": self.staff,
                "notes": marker,
            },
            name="log a contact: POST",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            crn = url.split("/")[2]
            if answer.status_code == 302 and f"/cases/{crn}/contacts/" in (answer.headers.get("Location") or ""):
                acknowledged.append(marker)
                answer.success()
                self.message_read()
            else:
                answer.failure(f"not stored: HTTP {answer.status_code}")
