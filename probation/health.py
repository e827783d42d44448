"""Reachability of what the service depends on, for /healthz and the admin status page."""

from django.db import connection

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


def checks() -> dict[str, bool]:
    return {"database": database_ok(), "broker": broker_ok()}
