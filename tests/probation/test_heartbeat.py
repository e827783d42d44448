import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.test import Client

from probation.celery import app
from probation.models import JobRun
from probation.tasks import heartbeat


def test_beat_runs_the_heartbeat_every_minute() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == heartbeat.name
    assert entry["schedule"] == 60.0


@pytest.mark.django_db
def test_the_heartbeat_records_each_run() -> None:
    assert heartbeat() == 1
    assert heartbeat() == 2
    run = JobRun.objects.get(name="heartbeat")
    assert run.runs == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis"), reason="needs the Redis broker")
def test_a_heartbeat_sent_through_redis_is_run_by_a_worker() -> None:
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        heartbeat.delay()
        deadline = time.monotonic() + 10
        while not JobRun.objects.filter(name="heartbeat").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert JobRun.objects.get(name="heartbeat").runs == 1


@pytest.mark.django_db
def test_the_admin_status_page_shows_the_last_heartbeat(client: Client, administrator) -> None:
    heartbeat()
    client.force_login(administrator.user)
    page = client.get("/admin-home/").content.decode()
    assert "heartbeat" in page
    assert "Reachable" in page
