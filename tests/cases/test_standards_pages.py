"""National Standards items reach the people who must act: My cases, the case page, the Standards page."""

import pytest
from django.test import Client

from cases.models import Notification, Obligation
from cases.standards import ledger
from tests.factories import case_for


@pytest.fixture
def swept(officer, community_order, contact_types, restricted_case):
    """Sam Example's order has had no initial appointment: overdue since 30 December 2025."""
    ledger.rebuild()
    Obligation.objects.update(state="pending")  # as if last swept before they fell due: the sweep flags them
    ledger.sweep()
    return community_order


def test_my_cases_counts_overdue_items_per_person(
    client: Client, officer, swept, django_assert_max_num_queries
) -> None:
    for number in range(5):
        case_for(officer, crn=f"M{number:06d}")
    ledger.rebuild()
    client.force_login(officer.user)
    with django_assert_max_num_queries(12):
        page = client.get("/cases/?sort=standards").content.decode()
    overdue = Obligation.objects.filter(person=swept.person, state="overdue").count()
    assert overdue > 1
    assert f"{overdue} overdue" in page
    assert page.index("X123456") < page.index("M000000")  # most overdue first


def test_the_case_page_lists_the_clocks_running(client: Client, officer, swept) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/X123456/").content.decode()
    assert 'id="national-standards"' in page
    assert "Initial appointment" in page
    assert "Overdue" in page


def test_the_officer_sees_flags_and_can_mark_them_read(client: Client, officer, swept) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/standards/").content.decode()
    assert "Overdue: Initial appointment for" in page
    assert "on your cases" in page
    assert "R000001" not in page  # the colleague's restricted case is not the officer's, and stays hidden
    client.post("/cases/standards/")
    assert not Notification.objects.filter(staff=officer, read_at__isnull=True).exists()


def test_the_spo_sees_the_teams_items_but_not_limited_cases(
    client: Client, spo, officer, swept, restricted_case
) -> None:
    ledger.rebuild()
    client.force_login(spo.user)
    page = client.get("/cases/standards/").content.decode()
    assert "X123456" in page
    assert f"in {spo.team}" in page
    assert "R000001" not in page


def test_someone_with_no_role_is_refused_the_page(client: Client, django_user_model) -> None:
    """No role yet (or a leaver's): no page but their account (probation/access.py RoleRequiredMiddleware)."""
    user = django_user_model.objects.create_user("visitor", password="x")
    client.force_login(user)
    response = client.get("/cases/standards/")
    assert response.status_code == 403
