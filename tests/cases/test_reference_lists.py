"""The lists the contact forms offer (contact types, the officers of the case's PDU) are read from the shared
cache, not the database, and are read again as soon as a row of them changes (probation/reference.py)."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils.html import escape

from cases.allocation import services as allocation
from cases.models import ContactType, ContactVersion
from probation import reference
from probation.govuk_forms import Select
from regions.models import StaffMember
from tests.factories import StaffMemberFactory

pytestmark = pytest.mark.today("2026-11-25")
BOOK = "/cases/X123456/events/1/appointments/new/"
LOG = "/cases/X123456/events/1/contacts/new/"


def test_the_lists_are_read_once_then_from_the_cache(
    client: Client, officer, community_order, contact_types, django_assert_num_queries
) -> None:
    client.force_login(officer.user)
    client.get(BOOK)  # reads the lists into the cache
    # the session and user; the case, the event with its RAR; the risks, adjustments agreed and RO in one
    # (contacts.selectors.before_seeing); the audit row: no list
    with django_assert_num_queries(6) as counted:
        page = client.get(BOOK).content.decode()
    tables = " ".join(q["sql"] for q in counted.captured_queries)
    assert "cases_contacttype" not in tables
    assert 'regions_staffmember"."pdu_id" =' not in tables  # the officers of the PDU
    assert re.search(rf"<option value=\"{officer.pk}\" selected>{officer.name}", page), page[
        page.index('name="staff"') :
    ][:300]
    assert '<select name="type" class="govuk-select" id="id_type">' in page


def test_a_new_officer_and_a_renamed_type_are_offered_at_once(
    client: Client, officer, team, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    assert "Nadia New" not in client.get(BOOK).content.decode()
    StaffMemberFactory.create(team=team, name="Nadia New")
    office = contact_types["office_visit"]
    office.name = "Office appointment"
    office.save()
    page = client.get(BOOK).content.decode()
    assert "Nadia New" in page
    assert f'<option value="{office.pk}">Office appointment</option>' in page


def test_a_leaver_is_no_longer_offered(client: Client, officer, colleague, community_order, contact_types) -> None:
    client.force_login(officer.user)
    assert escape(colleague.name) in client.get(LOG).content.decode()
    allocation.staff_left(leaving=colleague, user=AnonymousUser())  # an update(): no signal, dropped by hand
    assert escape(colleague.name) not in client.get(LOG).content.decode()


def test_a_choice_not_in_the_list_is_refused(client: Client, officer, community_order, contact_types) -> None:
    client.force_login(officer.user)
    other = StaffMemberFactory.create(name="Elsewhere Officer")  # another PDU's
    page = client.post(
        BOOK,
        {"type": contact_types["office_visit"].pk, "day_0": "1", "day_1": "12", "day_2": "2026", "at": "10:00"}
        | {"staff": other.pk},
    )
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_without_a_cache_the_lists_are_read_from_the_database(monkeypatch, contact_types) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise ConnectionError("no Redis")

    monkeypatch.setattr(reference.cache, "get", unreachable)
    monkeypatch.setattr(reference.cache, "set", unreachable)
    rows = reference.rows(ContactType, "all", lambda: list(ContactType.objects.all()))
    assert {t.code for t in rows} == set(contact_types)


def test_a_list_of_a_model_not_watched_is_refused() -> None:
    with pytest.raises(ValueError, match="watch"):
        reference.rows(ContactVersion, "x", list)


def test_the_select_escapes_what_it_draws() -> None:
    widget = Select(choices=[('a"b', "<b>bold</b>"), ("2", "Two")], attrs={"class": "govuk-select", "disabled": True})
    html = widget.render("who", "2", attrs={"id": "id_who"})
    assert html.startswith('<select name="who" class="govuk-select" disabled id="id_who">')
    assert '<option value="a&quot;b">&lt;b&gt;bold&lt;/b&gt;</option>' in html
    assert '<option value="2" selected>Two</option>' in html


def test_staff_are_watched() -> None:
    assert StaffMember in reference._watched
    assert ContactType in reference._watched


def test_a_list_read_from_the_cache_has_the_rows_the_database_gave(officer, colleague) -> None:
    read = StaffMember.objects.filter(team=officer.team).order_by("pk")
    first = reference.rows(StaffMember, "test:team", lambda: list(read))
    cached = reference.rows(StaffMember, "test:team", lambda: pytest.fail("read again, not from the cache"))
    assert [vars(row) | {"_state": None} for row in cached] == [vars(row) | {"_state": None} for row in first]
    assert [(row._state.adding, row._state.db) for row in cached] == [(False, "default")] * len(first)
    assert cached == list(read)
    cached[0].name = "Renamed here"
    cached[0].save()  # an instance from the cache saves as an update of its row
    assert StaffMember.objects.get(pk=cached[0].pk).name == "Renamed here"


def test_rows_read_with_a_related_row_are_kept_as_they_are(officer, django_assert_num_queries) -> None:
    with_team = StaffMember.objects.filter(pk=officer.pk).select_related("team")
    reference.rows(StaffMember, "test:with-team", lambda: list(with_team))
    cached = reference.rows(StaffMember, "test:with-team", lambda: pytest.fail("read again, not from the cache"))
    with django_assert_num_queries(0):
        assert cached[0].team == officer.team


def test_a_list_read_again_is_this_process_copy_checked_against_the_version(officer, colleague, monkeypatch) -> None:
    read = StaffMember.objects.filter(team=officer.team).order_by("pk")
    first = reference.rows(StaffMember, "test:copy", lambda: list(read))
    asked: list[str] = []
    real_get = reference.cache.get

    def only_versions(key: str, *args: Any, **kwargs: Any) -> object:
        asked.append(key)
        assert key.endswith(":version"), f"asked the cache for {key}, not only the version"
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(reference.cache, "get", only_versions)
    again = reference.rows(StaffMember, "test:copy", lambda: pytest.fail("read again, not from the copy"))
    assert [row.pk for row in again] == [row.pk for row in first]
    assert again[0] is not first[0]  # each request unpacks its own instances
    assert asked == ["reference:regions.staffmember:version"]


def test_a_copy_is_not_taken_for_the_list_after_the_cache_is_emptied(officer, colleague) -> None:
    """The cache emptied (Redis restarted) and a row changed without a signal: the version starts again from the
    clock, never from a number a copy was kept under, so the list is read afresh."""
    read = StaffMember.objects.filter(pk=colleague.pk)

    def names() -> list[str]:
        return [row.name for row in reference.rows(StaffMember, "test:emptied", lambda: list(read.all()))]

    assert names() == [colleague.name]
    reference.cache.clear()
    StaffMember.objects.filter(pk=colleague.pk).update(name="Renamed Quietly")
    assert names() == ["Renamed Quietly"]


def test_a_change_is_seen_through_the_copy(officer, colleague) -> None:
    read = StaffMember.objects.filter(pk=colleague.pk)
    reference.rows(StaffMember, "test:changed", lambda: list(read.all()))
    colleague.name = "Renamed Loudly"
    colleague.save()  # post_save bumps the version
    again = reference.rows(StaffMember, "test:changed", lambda: list(read.all()))
    assert [row.name for row in again] == ["Renamed Loudly"]


def test_a_form_asks_the_cache_once_for_the_versions_of_both_its_lists(
    client: Client, officer, community_order, contact_types, monkeypatch
) -> None:
    client.force_login(officer.user)
    client.get(BOOK)  # the lists read into the cache, and this process's copies
    asked: list[Any] = []  # what the code asks the cache (not the gets a local cache's get_many makes of itself)
    inside: list[bool] = []
    real_get, real_get_many = reference.cache.get, reference.cache.get_many

    def get(key: str, *args: Any, **kwargs: Any) -> object:
        if not inside:
            asked.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys: list[str], *args: Any, **kwargs: Any) -> object:
        asked.append(keys)
        inside.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(reference.cache, "get", get)
    monkeypatch.setattr(reference.cache, "get_many", get_many)
    page = client.get(BOOK).content.decode()
    assert f'<option value="{contact_types["office_visit"].pk}">' in page
    assert escape(officer.name) in page
    assert len(asked) == 1, asked
    assert {"reference:regions.staffmember:version", "reference:cases.contacttype:version"} <= set(asked[0])


def test_a_change_made_in_a_request_is_seen_by_the_rest_of_it(officer, colleague) -> None:
    read = StaffMember.objects.filter(pk=colleague.pk)
    reference._request_starts()  # as request_started does (sending it here would also close the connection)
    try:
        reference.rows(StaffMember, "test:in-request", lambda: list(read.all()))
        colleague.name = "Renamed Midway"
        colleague.save()
        assert [row.name for row in reference.rows(StaffMember, "test:in-request", lambda: list(read.all()))] == [
            "Renamed Midway"
        ]
    finally:
        reference._request_ends()
    assert reference._request_versions.get() is None  # outside a request, each list asks for its version
