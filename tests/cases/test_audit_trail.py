import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import Client

from cases import audit
from cases.models import AuditEvent
from probation.roles import Role
from tests.factories import PDUFactory, StaffMemberFactory


def test_reading_a_case_writes_an_audit_event(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    client.get("/cases/X123456/")
    event = AuditEvent.objects.get(person=community_order.person)
    assert (event.user, event.action) == (officer.user, "case.view")


def test_audit_events_cannot_be_changed_or_deleted_by_the_orm(officer, community_order) -> None:
    event = audit.record(officer.user, "case.view", community_order.person)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_update_or_delete_audit_rows_even_in_raw_sql(officer, community_order) -> None:
    event = audit.record(officer.user, "case.view", community_order.person)
    for sql in ["UPDATE cases_auditevent SET action = 'x' WHERE id = %s", "DELETE FROM cases_auditevent WHERE id = %s"]:
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "case.view"


def test_admins_and_the_pdu_head_see_the_audit_trail_and_officers_do_not(
    client: Client, officer, pdu_head, administrator, community_order
) -> None:
    client.force_login(officer.user)
    client.get("/cases/X123456/")
    assert client.get("/cases/X123456/audit/").status_code == 403
    for user in [pdu_head.user, administrator.user]:
        client.force_login(user)
        page = client.get("/cases/X123456/audit/")
        assert page.status_code == 200
        assert "case.view" in page.content.decode()


def test_a_head_of_another_pdu_may_not_see_the_audit_trail(client: Client, community_order) -> None:
    other_head = StaffMemberFactory.create(team=None, pdu=PDUFactory.create(code="OTHER"), user__roles=[Role.PDU_HEAD])
    assert other_head.user is not None
    client.force_login(other_head.user)
    assert client.get("/cases/X123456/audit/").status_code == 403


def test_an_audit_event_without_a_user_is_the_system(community_order) -> None:
    event = audit.record(AnonymousUser(), "import", community_order.person)
    assert event.user is None
