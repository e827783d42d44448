"""Reads that may be a few seconds old go to a PostgreSQL streaming replica (DATABASE_REPLICA_URL); everything
else goes to the primary. Nothing is guessed: a read goes to the replica only inside `reads_from_replica()`
(a context manager and decorator, set by the performance pages and their downloads, kpi_report, export_cases
and the rollup/recount jobs' counts), and even there it goes to the primary when

- the request writes (any method but GET/HEAD/OPTIONS), or the read is inside a transaction on the primary;
- the user changed something within the last REPLICA_READ_YOUR_WRITES_SECONDS (read-your-writes: a signed
  cookie set after any successful non-GET request or any case_change() in a request);
- the replica is down, not streaming, or lagging past REPLICA_MAX_LAG_SECONDS (checked at most every
  REPLICA_CHECK_SECONDS, remembered in the process); /healthz reports which (probation/health.py).

Every write goes to the primary, whatever the scope. Without DATABASE_REPLICA_URL there is no `replica` alias
and every read goes to the primary.
"""

import contextvars
import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
COOKIE = "primary_reads"
SALT = "probation.db_router.read-your-writes"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Inside reads_from_replica(): reads may go to the replica.
_scope: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_scope", default=False)
# This request (or job) must read from the primary: it writes, or its user has just written.
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("primary_pinned", default=False)
# Something in this request changed a case (case_change): the response sets the read-your-writes cookie.
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("request_wrote", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


# --- The replica's state, checked at most every REPLICA_CHECK_SECONDS ----------------------------------------

OK, LAGGING, DOWN, NOT_CONFIGURED = "ok", "lagging", "down", "not configured"

LAG_QUERY = """
SELECT pg_is_in_recovery(),
       (SELECT status FROM pg_stat_wal_receiver LIMIT 1),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0.0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0.0)::float END
"""


@dataclass(frozen=True)
class ReplicaState:
    state: str
    lag: float | None = None  # seconds behind the primary, when known
    checked_at: float = 0.0


_last: ReplicaState | None = None


def measure() -> ReplicaState:
    """Ask the replica now. Replayed everything it received, it is 0 s behind however long ago the primary's
    last transaction was (an idle primary sends nothing to replay); otherwise it is behind by the age of the
    last transaction it replayed. A replica whose WAL receiver is not streaming does not know how far behind it
    is: lagging. One that is not in recovery is not a replica (a promoted standby): down."""
    now = time.monotonic()
    if not configured():
        return ReplicaState(NOT_CONFIGURED, None, now)
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_QUERY)
            in_recovery, receiver, lag = cursor.fetchone()
    except Exception:
        connections[REPLICA].close()
        return ReplicaState(DOWN, None, now)
    if not in_recovery:
        return ReplicaState(DOWN, None, now)
    if receiver != "streaming":
        return ReplicaState(LAGGING, None, now)
    lag = float(lag)
    return ReplicaState(LAGGING if lag > settings.REPLICA_MAX_LAG_SECONDS else OK, lag, now)


def replica_state() -> ReplicaState:
    """The replica's state, measured at most every REPLICA_CHECK_SECONDS in this process."""
    global _last
    last = _last
    if last is None or time.monotonic() - last.checked_at >= settings.REPLICA_CHECK_SECONDS:
        last = _last = measure()
    return last


def forget_state() -> None:
    global _last
    _last = None


# --- The scope: who may read from the replica --------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


class _ReadsFromReplica:
    """`with reads_from_replica():` or `@reads_from_replica`: the reads inside may be a few seconds old."""

    def __enter__(self) -> None:
        self._token = _scope.set(True)

    def __exit__(self, *exc: object) -> None:
        _scope.reset(self._token)

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _ReadsFromReplica():
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def reads_from_replica(function: F | None = None) -> Any:
    scope = _ReadsFromReplica()
    return scope(function) if function is not None else scope


@contextmanager
def reads_from_primary() -> Iterator[None]:
    """Pin the reads inside to the primary, whatever scope encloses them."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def caught_up(timeout: float | None = None) -> bool:
    """Wait (up to `timeout`, default REPLICA_CATCH_UP_SECONDS) until the replica has replayed everything the
    primary has written so far; whether it did. For a job that must see what was committed just before it
    counts (the recount clears a month's stale mark, then counts the month)."""
    if not configured() or replica_state().state != OK:
        return False
    timeout = settings.REPLICA_CATCH_UP_SECONDS if timeout is None else timeout
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + timeout
        with connections[REPLICA].cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return True
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.02)
    except Exception:
        return False


@contextmanager
def reads_from_caught_up_replica(timeout: float | None = None) -> Iterator[None]:
    """reads_from_replica() once the replica has replayed everything committed so far; the primary if it
    has not within the timeout."""
    if caught_up(timeout):
        with reads_from_replica():
            yield
    else:
        with reads_from_primary():
            yield


def wrote() -> None:
    """Called by case_change(): the request that made the change sets the read-your-writes cookie."""
    _wrote.set(True)


def read_alias() -> str:
    """Where a read goes now (the router's decision)."""
    if not _scope.get() or _pinned.get() or not configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_state().state == OK else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads as read_alias() says; writes, relations and migrations on the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA, None} else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


class ReadYourWritesMiddleware:
    """Pins a request to the primary when it writes or its user changed something in the last few seconds,
    and sets the cookie that says so after a successful non-GET request or a case change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        window = settings.REPLICA_READ_YOUR_WRITES_SECONDS
        writes = request.method not in SAFE_METHODS
        recent = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=window) is not None
        pinned, wrote_token = _pinned.set(writes or recent), _wrote.set(False)
        try:
            response = self.get_response(request)
            changed = _wrote.get() or (writes and response.status_code < 400)
        finally:
            _pinned.reset(pinned)
            _wrote.reset(wrote_token)
        if changed:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=SALT,
                max_age=window,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
