"""Reachability of what the service depends on, for /healthz and the admin status page."""

from django.db import connection

from probation import db_router
from probation.celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 2


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok() -> bool:
    try:
        # Bounded reads too: a hung Redis accepts the connection and then never answers.
        timeouts = {"socket_connect_timeout": BROKER_TIMEOUT_SECONDS, "socket_timeout": BROKER_TIMEOUT_SECONDS}
        with celery_app.connection_for_write(transport_options=timeouts) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
            return True
    except Exception:
        return False


def replica() -> str:
    """The read replica: ok, lagging, down or not configured. Never fails the health check on its own: while
    it is lagging or down, its reads go to the primary (probation/db_router.py)."""
    return db_router.replica_state().state


def checks() -> dict[str, bool]:
    return {"database": database_ok(), "broker": broker_ok()}
