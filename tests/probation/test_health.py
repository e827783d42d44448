from unittest import mock

import pytest
from django.test import Client
from kombu import Connection

from probation import health


@pytest.mark.django_db
def test_healthz_reports_ok_when_database_and_broker_answer(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "replica": "not configured"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client: Client) -> None:
    closed_port = Connection("redis://127.0.0.1:1/0")
    with mock.patch.object(health.celery_app, "connection_for_write", return_value=closed_port):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
        "replica": "not configured",
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client: Client) -> None:
    with mock.patch.object(health, "database_ok", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_database_check_fails_when_the_query_cannot_run() -> None:
    with mock.patch.object(health.connection, "cursor", side_effect=Exception("connection refused")):
        assert health.database_ok() is False
