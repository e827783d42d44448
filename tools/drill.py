"""`make drill`: the fault drills too long for `make test` (docs/OPERATIONS.md, "Fault drills").

On a PostgreSQL and a Redis of its own (free ports, a temporary directory; never the machine's shared ones),
with the demo and a synthetic region loaded:

1. PostgreSQL killed with -9 in the middle of the nightly sweep, run by a real Celery worker, then started
   again (crash recovery): the ledger holds nothing of the cut sweep, and the worker's retry completes it.
2. Redis stopped while officers log contacts through gunicorn and an administrator changes a rule, with a
   worker and beat running: every page answers, every contact is stored once, and when Redis is back beat's
   catch-up job sends the lost nightly sweep and the rule change's rebuild.

Run with `python -m tools.drill [--people N] [--outage SECONDS] [--record docs/OPERATIONS.md]`."""

import argparse
import contextlib
import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tools.drill_servers import PostgresServer, RedisServer, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARKERS = ("<!-- fault drill results -->", "<!-- /fault drill results -->")


@dataclass
class Drill:
    name: str
    facts: dict[str, str] = field(default_factory=dict)
    checks: list[tuple[str, bool]] = field(default_factory=list)
    seconds: float = 0.0

    def check(self, what: str, ok: bool) -> bool:
        self.checks.append((what, ok))
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        return ok

    def fact(self, name: str, value: object) -> None:
        self.facts[name] = str(value)
        print(f"  {name}: {value}", flush=True)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for _, ok in self.checks)


class Processes:
    """The servers and workers a drill starts, each in its own process group, all ended at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *command: str) -> "subprocess.Popen[bytes]":
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - our own commands
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running[name] = process
        return process

    def signal(self, name: str, number: signal.Signals) -> None:
        os.killpg(self.running[name].pid, number)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop(self, name: str) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGCONT)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


def manage(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return "; ".join(line.strip() for line in done.stdout.splitlines() if line.strip() and "\r" not in line)


@contextmanager
def timed(drill: Drill) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        drill.seconds = time.monotonic() - started


# Drill 1: PostgreSQL killed mid-sweep ---------------------------------------------------------------------


def ledger_snapshot() -> tuple[str, int]:
    """A digest of every obligation's state and last change, and the number of flags."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(id || ':' || state || ':' || updated_at, ',' ORDER BY id)) FROM cases_obligation"
        )
        digest = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_notification")
        return digest, int(cursor.fetchone()[0])


def postgres_killed_mid_sweep(pg: PostgresServer, processes: Processes) -> Drill:
    import psycopg
    from django.db import connections
    from django.utils import timezone

    from cases.models import Obligation
    from cases.standards import ledger, rules
    from cases.tasks import standards_sweep
    from probation.models import JobRun

    drill = Drill("PostgreSQL killed with -9 mid-sweep")
    print(f"\n{drill.name}", flush=True)
    with timed(drill):
        today = timezone.localdate()
        # As if last swept two weeks ago: what fell overdue since is still marked as due
        behind = Obligation.objects.filter(state="overdue", due_on__gte=today - timedelta(days=14))
        to_move = dict(behind.values_list("pk", "rule"))
        behind.update(state="pending")
        drill.fact("obligations for the sweep to move", f"{len(to_move):,} over {len(set(to_move.values()))} rules")
        order = list(rules.DEFAULTS)
        held_rule = max(set(to_move.values()), key=order.index)  # the last rule the sweep reaches
        held_row = min(pk for pk, rule in to_move.items() if rule == held_rule)
        before = ledger_snapshot()

        url = pg.url("probation")
        with psycopg.connect(url, autocommit=True) as watcher:
            holder = psycopg.connect(url)
            holder.execute("SELECT id FROM cases_obligation WHERE id = %s FOR UPDATE", [held_row])
            standards_sweep.delay()

            def blocked() -> bool:
                row = watcher.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                    ["%WITH moved AS%"],
                ).fetchone()
                return row is not None

            reached = wait_for(blocked, 60, every=0.1)
            drill.check("the worker's sweep was waiting on a held row, inside its transaction", reached)
        moved = sum(order.index(rule) < order.index(held_rule) for rule in to_move.values())
        drill.fact("obligations the sweep had moved, uncommitted, when PostgreSQL was killed", f"{moved:,}")
        killed = pg.kill()
        with contextlib.suppress(psycopg.Error):
            holder.close()
        drill.fact("processes killed with -9", f"{len(killed)} (the postmaster and its children)")
        retried = wait_for(lambda: bool(sweep_retries(processes)), 30, every=0.2)
        drill.check("the worker's sweep failed on the lost connection and was scheduled to retry", retried)
        processes.signal("worker", signal.SIGSTOP)  # hold the retry while the ledger is inspected

        started = time.monotonic()
        pg.start()
        drill.fact("restart with crash recovery", f"{time.monotonic() - started:.1f}s")
        recovery = (pg.directory / "server.log").read_text(errors="replace")
        drill.check(
            "PostgreSQL replayed its write-ahead log",
            "redo" in recovery or "database system was not properly shut down" in recovery,
        )
        connections.close_all()
        drill.check("nothing of the cut sweep was stored", ledger_snapshot() == before)
        started = time.monotonic()
        differences = ledger.rebuild(check=True)
        drill.fact("ledger check (rebuild --check)", f"{time.monotonic() - started:.1f}s")
        behind_only = {d.key for d in differences} == {
            (o.event_id, o.rule, o.starts_on, o.subject) for o in Obligation.objects.filter(pk__in=to_move)
        } and all(
            d.stored and d.derived and {**d.stored, "state": d.derived["state"]} == d.derived for d in differences
        )
        drill.check(
            f"the ledger differs from its facts only by the {len(to_move):,} states still to sweep", behind_only
        )

        started = time.monotonic()
        processes.signal("worker", signal.SIGCONT)
        completed = wait_for(lambda: JobRun.objects.filter(name="standards_sweep").exists(), 300)
        drill.check("the retried sweep completed", completed)
        drill.fact("retry to completion", f"{time.monotonic() - started:.1f}s")
        drill.fact("sweep attempts", len(sweep_retries(processes)) + 1)
        drill.check("the ledger is exactly what its facts give (rebuild --check)", ledger.rebuild(check=True) == [])
        overdue = Obligation.objects.filter(pk__in=to_move, state="overdue").count()
        drill.check(f"all {len(to_move):,} obligations are overdue again", overdue == len(to_move))
        drill.fact("flags raised", ledger_snapshot()[1] - before[1])
    return drill


def sweep_retries(processes: Processes) -> list[str]:
    return [line for line in processes.log("worker").splitlines() if "standards_sweep" in line and "Retry in" in line]


# Drill 2: Redis stopped while officers work -----------------------------------------------------------


class Browser:
    """A signed-in session against the server, seeing redirects rather than following them."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect)
        self.slowest = 0.0

    def request(self, path: str, data: dict[str, object] | None = None) -> tuple[int, str]:
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"X-CSRFToken": token or ""})  # noqa: S310
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.slowest = max(self.slowest, time.monotonic() - started)
        return status, text

    def sign_in(self, username: str, password: str) -> int:
        self.request("/sign-in/")
        return self.request("/sign-in/", {"username": username, "password": password})[0]


def redis_stopped_while_officers_work(redis: RedisServer, processes: Processes, outage: float) -> Drill:
    from django.contrib.admin.models import LogEntry
    from django.db import connections
    from django.utils import timezone

    from cases.models import Allocation, Contact, ContactType, Event, RuleSetting
    from cases.standards import calendar, ledger
    from probation import jobs
    from probation.demo import DEMO_PASSWORD
    from probation.models import JobRun

    drill = Drill("Redis stopped while officers work")
    print(f"\n{drill.name}", flush=True)
    port = free_port()
    processes.start("web", str(BIN / "gunicorn"), "probation.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2")
    browser = Browser(f"http://127.0.0.1:{port}")
    wait_for(lambda: _answers(browser), 60)
    with timed(drill):
        connections.close_all()
        cases = list(
            Allocation.objects.current()
            .filter(staff__user__username="officer", event__in=Event.objects.active())
            .values_list("event__person__crn", "event__ref", "staff_id")[:10]
        )
        office_visit = ContactType.objects.get(code="office_visit").pk
        beating = wait_for(lambda: JobRun.objects.filter(name="heartbeat").exists(), 120)
        drill.check("beat and the worker were running the heartbeat before the outage", beating)
        run = datetime.now().strftime("%Y%m%d%H%M%S")
        redis.stop()
        stopped = time.monotonic()
        officer, admin = Browser(browser.base), Browser(browser.base)
        signed_in = officer.sign_in("officer", DEMO_PASSWORD) == 302 and admin.sign_in("admin", DEMO_PASSWORD) == 302
        drill.check("officers and an administrator signed in with Redis stopped", signed_in)
        rule = admin.request("/admin/cases/rulesetting/add/", {"rule": "initial_appointment", "period": "6"})[0]
        drill.check("an administrator changed a rule (saved; its rebuild could not be queued)", rule == 302)
        # Time compressed: as if Redis had been down since before last night's sweep, which beat could not send,
        # and so had every catch-up since (set now, with nothing left to run them)
        JobRun.objects.filter(name__in=["standards_sweep", "catch_up"]).update(
            last_run_at=timezone.now() - timedelta(days=2)
        )
        health = officer.request("/healthz")
        drill.check(
            "/healthz said the broker is unreachable (503)", health[0] == 503 and '"broker": "unreachable"' in health[1]
        )
        yesterday = timezone.localdate() - timedelta(days=1)
        while not calendar.is_business_day(yesterday):  # a booking on a weekend or bank holiday asks to be confirmed
            yesterday -= timedelta(days=1)
        acknowledged, failures, number = 0, 0, 0
        while time.monotonic() - stopped < outage:
            crn, ref, staff = cases[number % len(cases)]
            marker = f"Fault drill {run}: contact {number}"
            booking = {
                "type": office_visit,
                "day_0": yesterday.day,
                "day_1": yesterday.month,
                "day_2": yesterday.year,
                "at": f"{8 + number // 60 % 10:02d}:{number % 60:02d}",  # within office hours, 08:00 to 17:59
                "staff": staff,
                "notes": marker,
            }
            booked = officer.request(f"/cases/{crn}/events/{ref}/appointments/new/", booking)[0]
            contact = Contact.objects.filter(notes=marker).values_list("pk", flat=True).first()
            outcome = officer.request(f"/cases/{crn}/contacts/{contact}/outcome/", {"outcome": "attended"})[0]
            pages = [officer.request(page)[0] for page in ("/cases/", f"/cases/{crn}/", f"/cases/{crn}/contacts/")]
            if (booked, outcome) == (302, 302):
                acknowledged += 1
            failures += sum(status >= 400 for status in [booked, outcome, *pages])
            number += 1
        drill.fact("outage", f"{time.monotonic() - stopped:.0f}s")
        drill.fact("contacts logged (booked and outcome recorded) during the outage", acknowledged)
        drill.check("every request answered without an error (pages 200, posts 302)", failures == 0)
        drill.fact("slowest request during the outage", f"{officer.slowest:.2f}s")
        stored = Contact.objects.filter(notes__startswith=f"Fault drill {run}:", outcome="attended").count()
        drill.check(
            f"each of the {acknowledged} contacts was stored once, with its outcome", stored == acknowledged == number
        )
        drill.fact("runs beat could not send during the outage", processes.log("beat").count("Message Error"))

        # The outage was shorter than the catch-up's grace: date the rule change back rather than wait
        back = jobs.CATCH_UP_GRACE + timedelta(minutes=1)
        changed = RuleSetting.objects.get(rule="initial_appointment").changed_at - back
        RuleSetting.objects.filter(rule="initial_appointment").update(changed_at=changed)
        LogEntry.objects.filter(content_type__model="rulesetting").update(action_time=changed)
        redis.start()
        returned, back_at = time.monotonic(), timezone.now()
        ran = JobRun.objects.filter(name__in=["standards_sweep", "standards_rebuild"], last_run_at__gt=back_at)
        caught_up = wait_for(lambda: ran.count() == 2, 240)
        drill.check(
            "when Redis was back, beat's catch-up sent the lost sweep and the rebuild, and a worker ran them", caught_up
        )
        drill.fact("Redis back to both jobs done", f"{time.monotonic() - returned:.0f}s")
        drill.check(
            "the ledger follows the changed rule (rebuild --check finds nothing)", ledger.rebuild(check=True) == []
        )
        drill.check("/healthz is 200 again", officer.request("/healthz")[0] == 200)
        worker = processes.log("worker")
        lost = worker.rfind("Connection to broker lost")
        drill.check(
            "the worker lost Redis and reconnected by itself", lost > 0 and "Connected to redis" in worker[lost:]
        )
    processes.stop("web")
    return drill


def _answers(browser: Browser) -> bool:
    try:
        return browser.request("/healthz")[0] in {200, 503}
    except OSError:
        return False


# Running and recording -------------------------------------------------------------------------------


def markdown(drills: list[Drill], setup: str) -> str:
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [f"Last run {when}: {setup}", ""]
    for drill in drills:
        lines.append(f"**{drill.name}**: {'passed' if drill.passed else 'FAILED'} in {drill.seconds:.0f}s")
        lines.append("")
        lines += [f"- {name}: {value}" for name, value in drill.facts.items()]
        lines += [f"- {'passed' if ok else 'FAILED'}: {what}" for what, ok in drill.checks]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def record(path: Path, text: str) -> None:
    """Replace the results between the markers in the operations guide."""
    start, end = MARKERS
    doc = path.read_text()
    head, found, rest = doc.partition(start)
    if not found:
        raise SystemExit(f"{path} has no {start} marker")
    tail = rest.partition(end)[2]
    path.write_text(f"{head}{start}\n{text}{end}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000, help="people in the synthetic region")
    parser.add_argument("--outage", type=float, default=90, help="seconds Redis stays stopped")
    parser.add_argument("--record", type=Path, help="write the results into this file (docs/OPERATIONS.md)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="probation-drill-"))
    pg, redis = PostgresServer(), RedisServer()
    env = {
        **os.environ,
        "DATABASE_URL": pg.url("probation"),
        "CELERY_BROKER_URL": redis.url,
        "DJANGO_SETTINGS_MODULE": "probation.settings",
        "STATIC_MANIFEST": "false",
        "VAR_DIR": str(work / "var"),
        "SECRET_KEY": "fault-drill-" + os.urandom(16).hex(),
        "DEBUG": "false",
        "LOG_LEVEL": "INFO",
    }
    processes = Processes(env, work)
    drills: list[Drill] = []
    try:
        print(f"PostgreSQL on port {pg.port}, Redis on port {redis.port}, in {work}", flush=True)
        pg.init()
        pg.start()
        subprocess.run(  # noqa: S603
            [pg.binary("createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "probation"], check=True
        )
        redis.start()
        loading = time.monotonic()
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        seeded = manage(env, "seed_demo", "--scale", "region", "--people", str(args.people))
        print(f"Loaded in {time.monotonic() - loading:.0f}s: {seeded}", flush=True)
        os.environ.update(env)
        import django

        django.setup()
        from cases.models import Contact, Obligation

        setup = (
            f"the demo and a synthetic region of {args.people:,} people ({Obligation.objects.count():,} obligations, "
            f"{Contact.objects.count():,} contacts), loaded in {time.monotonic() - loading:.0f}s, on "
            f"a {os.cpu_count()}-core machine shared with other work"
        )
        celery = str(BIN / "celery")
        processes.start("worker", celery, "-A", "probation", "worker", "-l", "INFO", "--concurrency", "1")
        processes.start("beat", celery, "-A", "probation", "beat", "-l", "INFO", "-s", str(work / "beat-schedule"))
        drills.append(postgres_killed_mid_sweep(pg, processes))
        drills.append(redis_stopped_while_officers_work(redis, processes, args.outage))
    finally:
        processes.stop_all()
        redis.stop()
        pg.stop()
        logs = ROOT / "var" / "drill"
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        for log in work.glob("*.log"):
            shutil.copy(log, logs / log.name)
        if (pg.directory / "server.log").exists():
            shutil.copy(pg.directory / "server.log", logs / "postgresql.log")
        pg.remove()
        shutil.rmtree(work, ignore_errors=True)
    text = markdown(drills, setup + f"; {time.monotonic() - started:.0f}s in all")
    print("\n" + text)
    (ROOT / "var" / "drill" / "results.json").write_text(
        json.dumps([d.__dict__ for d in drills], indent=2, default=str)
    )
    if args.record:
        record(args.record, text)
    return 0 if drills and all(d.passed for d in drills) else 1


if __name__ == "__main__":
    sys.exit(main())
