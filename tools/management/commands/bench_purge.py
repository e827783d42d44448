"""Time the nightly purge (probation/jobs.py purge_expired) at scale: put expired and live sessions, their rows on
the sign-in list, once-only keys and sign-in lock rows into this database (every one named "bench-..."), run the
purge twice (the second must delete nothing), check every live row is still there, then take out every row it
put in. Writes only the purge's own tables (and the sign-in attempts that keep a lock row live)."""

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from probation import jobs

PREFIX = "bench-"

FILL = [
    # expired sessions: up to a month past their expiry; live ones: the next ten hours
    """INSERT INTO django_session (session_key, session_data, expire_date)
       SELECT 'bench-x-' || g, repeat('s', 220), %(now)s - interval '1 second' - (g %% 2592000) * interval '1 second'
       FROM generate_series(1, %(expired)s) g""",
    """INSERT INTO django_session (session_key, session_data, expire_date)
       SELECT 'bench-l-' || g, repeat('s', 220), %(now)s + (g %% 36000) * interval '1 second'
       FROM generate_series(1, %(live)s) g""",
    # the sign-in list: a row for every session, expired or live, of the staff who have logins
    """INSERT INTO probation_usersession (user_id, session_key, started_at, ip, browser)
       SELECT users.ids[1 + g %% array_length(users.ids, 1)], 'bench-x-' || g, %(now)s - interval '11 hours',
              '10.0.0.1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0'
       FROM generate_series(1, %(expired)s) g, (SELECT array_agg(id) AS ids FROM auth_user) users""",
    """INSERT INTO probation_usersession (user_id, session_key, started_at, ip, browser)
       SELECT users.ids[1 + g %% array_length(users.ids, 1)], 'bench-l-' || g, %(now)s - interval '1 hour',
              '10.0.0.1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0'
       FROM generate_series(1, %(live)s) g, (SELECT array_agg(id) AS ids FROM auth_user) users""",
    # once-only keys: older than a week (expired), or from the last six days (live)
    """INSERT INTO probation_submission (key, at, location)
       SELECT 'bench-x-' || g, %(now)s - interval '8 days' - (g %% 2592000) * interval '1 second',
              '/cases/X123456/contacts/'
       FROM generate_series(1, %(keys)s) g""",
    """INSERT INTO probation_submission (key, at, location)
       SELECT 'bench-l-' || g, %(now)s - (g %% 518400) * interval '1 second', '/cases/X123456/contacts/'
       FROM generate_series(1, %(live)s) g""",
    # sign-in lock rows: idle ones, and live ones whose username was tried in the last minute
    """INSERT INTO probation_signinguard (username) SELECT 'bench-x-' || g FROM generate_series(1, %(guards)s) g""",
    """INSERT INTO probation_signinguard (username)
       SELECT 'bench-l-' || g FROM generate_series(1, %(live_guards)s) g""",
    """INSERT INTO probation_signinattempt (username, ip, at, succeeded)
       SELECT 'bench-l-' || g, '10.0.0.2', %(now)s - interval '1 minute', false
       FROM generate_series(1, %(live_guards)s) g""",
]
TABLES = {
    "django_session": "session_key",
    "probation_usersession": "session_key",
    "probation_submission": "key",
    "probation_signinguard": "username",
    "probation_signinattempt": "username",
}


def count_ours(kind: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table, column in TABLES.items():
            sql = f"SELECT count(*) FROM {table} WHERE {column} LIKE %s"  # noqa: S608 (names from TABLES)
            cursor.execute(sql, [f"{PREFIX}{kind}-%"])
            found[table] = cursor.fetchone()[0]
    return found


class Command(BaseCommand):
    help = "Time the nightly purge of once-only keys and sessions at scale, then remove what it put in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--expired", type=int, default=1_000_000, help="expired sessions (and list rows)")
        parser.add_argument("--keys", type=int, default=1_000_000, help="once-only keys older than a week")
        parser.add_argument("--live", type=int, default=20_000, help="live sessions, list rows and keys")
        parser.add_argument("--guards", type=int, default=100_000, help="idle sign-in lock rows")
        parser.add_argument("--live-guards", type=int, default=1_000)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        params = {**options, "now": now}
        try:
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for statement in FILL:
                    cursor.execute(statement, params)
                    self.stdout.write(f"{time.perf_counter() - started:6.1f} s {' '.join(statement.split())[:60]}")
                    self.stdout.flush()
                for table in TABLES:
                    cursor.execute(f"VACUUM ANALYZE {table}")
            self.stdout.write(f"filled in {time.perf_counter() - started:.1f} s: expired {count_ours('x')}")
            live_before = count_ours("l")
            for run in ("first", "second"):
                timings: dict[str, float] = defaultdict(float)
                with connection.execute_wrapper(timed(timings)):
                    started = time.perf_counter()
                    deleted = jobs.purge_expired(now)
                    took = time.perf_counter() - started
                ranked = sorted(timings.items(), key=lambda kv: -kv[1])[:8]
                slowest = "; ".join(f"{ms / 1000:.2f} s {sql[:90]}" for sql, ms in ranked)
                self.stdout.write(f"{run} run: {took:.2f} s, deleted {deleted}; slowest statements: {slowest}")
                self.stdout.flush()
            left = count_ours("x")
            live_after = count_ours("l")
            self.stdout.write(f"expired rows left: {left}; live rows before {live_before}, after {live_after}")
            assert all(n == 0 for table, n in left.items() if table != "probation_signinattempt"), left
            assert live_after == live_before, (live_before, live_after)
        finally:
            with connection.cursor() as cursor:
                for table, column in TABLES.items():
                    sql = f"DELETE FROM {table} WHERE {column} LIKE %s"  # noqa: S608 (names from TABLES)
                    cursor.execute(sql, [f"{PREFIX}%"])
            self.stdout.write(f"removed: left {count_ours('x')} {count_ours('l')}")


def timed(timings: dict[str, float]) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings[" ".join(sql.split())] += (time.perf_counter() - started) * 1000

    return wrapper
