"""Court reports in the service (issue 20, item 5): listed on the case, added and allocated by the SPOs and head of
the case's PDU, completed by their author or those managers; every write one audited change to the case; an open
report counts on its author's workload."""

from datetime import date

import pytest
from django.test import Client

from cases.models import AuditEvent, CourtReport, Person
from regions.workload import workloads
from tests.factories import PersonFactory, StaffMemberFactory

NEW = {"kind": "standard", "requested_on_0": "20", "requested_on_1": "11", "requested_on_2": "2026"}
DUE = {"due_on_0": "4", "due_on_1": "12", "due_on_2": "2026"}


@pytest.fixture
def awaiting_sentence(team) -> Person:
    """Someone the court has asked about: a case in the PDU with no sentence yet."""
    return PersonFactory.create(crn="C000001", first_name="Casey", last_name="Court", pdu=team.pdu)


def test_an_spo_adds_a_report_and_its_author_records_its_completion(
    client: Client, spo, officer, awaiting_sentence
) -> None:
    client.force_login(spo.user)
    page = client.get("/cases/C000001/court-reports/").content.decode()
    assert "No court reports have been requested" in page
    assert "Add a court report" in page
    response = client.post("/cases/C000001/court-reports/new/", {"staff": str(officer.pk), **NEW, **DUE})
    assert response.status_code == 302, response.content.decode()
    report = CourtReport.objects.get()
    assert (report.staff, report.kind, report.requested_on, report.due_on) == (
        officer,
        "standard",
        date(2026, 11, 20),
        date(2026, 12, 4),
    )
    assert AuditEvent.objects.filter(action="court_report.create", person=awaiting_sentence).count() == 1

    client.force_login(officer.user)
    page = client.get("/cases/C000001/court-reports/").content.decode()
    assert "Standard delivery report" in page
    assert "Record completion" in page
    assert "Add a court report" not in page  # only the PDU's managers add them
    assert client.get("/cases/C000001/court-reports/new/").status_code == 403
    url = f"/cases/C000001/court-reports/{report.pk}/complete/"
    done = client.post(url, {"completed_on_0": "24", "completed_on_1": "11", "completed_on_2": "2026"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.completed_on == date(2026, 11, 24)
    assert AuditEvent.objects.filter(action="court_report.complete", person=awaiting_sentence).count() == 1
    assert client.get(url).status_code == 404  # completed: nothing more to record


def test_an_open_report_counts_on_its_authors_workload_until_completed(
    client: Client, spo, officer, awaiting_sentence
) -> None:
    client.force_login(spo.user)
    client.post("/cases/C000001/court-reports/new/", {"staff": str(officer.pk), **NEW, **DUE})
    assert workloads([officer], date(2026, 11, 25))[officer.pk].court_reports == 1
    report = CourtReport.objects.get()
    client.post(
        f"/cases/C000001/court-reports/{report.pk}/complete/",
        {"completed_on_0": "25", "completed_on_1": "11", "completed_on_2": "2026"},
    )
    assert workloads([officer], date(2026, 11, 25))[officer.pk].court_reports == 0


def test_another_officer_may_neither_add_nor_complete_and_nothing_is_written(
    client: Client, officer, colleague, awaiting_sentence
) -> None:
    report = CourtReport.objects.create(
        person=awaiting_sentence, staff=officer, kind="fast", requested_on=date(2026, 11, 20), due_on=date(2026, 11, 27)
    )
    client.force_login(colleague.user)
    assert client.get("/cases/C000001/court-reports/").status_code == 200
    assert (
        client.post("/cases/C000001/court-reports/new/", {"staff": str(colleague.pk), **NEW, **DUE}).status_code == 403
    )
    complete = {"completed_on_0": "24", "completed_on_1": "11", "completed_on_2": "2026"}
    assert client.post(f"/cases/C000001/court-reports/{report.pk}/complete/", complete).status_code == 403
    report.refresh_from_db()
    assert report.completed_on is None
    assert CourtReport.objects.count() == 1
    assert (
        AuditEvent.objects.filter(action__in=["case.view_refused", "case.change_refused"], user=colleague.user).count()
        == 2
    )


def test_bad_dates_and_an_author_who_may_not_see_the_case_get_govuk_errors(
    client: Client, spo, officer, awaiting_sentence
) -> None:
    from cases.models import AccessRule

    client.force_login(spo.user)
    early = {"staff": str(officer.pk), **NEW, "due_on_0": "1", "due_on_1": "11", "due_on_2": "2026"}
    page = client.post("/cases/C000001/court-reports/new/", early).content.decode()
    assert "govuk-error-summary" in page
    assert "The due date must be the same as or after the date it was requested" in page
    AccessRule.objects.create(person=awaiting_sentence, staff=officer, kind=AccessRule.Kind.EXCLUSION)
    page = client.post("/cases/C000001/court-reports/new/", {"staff": str(officer.pk), **NEW, **DUE}).content.decode()
    assert "govuk-error-summary" in page  # an excluded officer is not offered, nor accepted
    assert CourtReport.objects.count() == 0


def test_a_limited_case_shows_its_reports_to_nobody_outside_its_list(
    client: Client, officer, spo, restricted_case
) -> None:
    CourtReport.objects.create(
        person=restricted_case, staff=officer, kind="fast", requested_on=date(2026, 11, 20), due_on=date(2026, 11, 27)
    )
    client.force_login(spo.user)
    for path in ["/cases/R000001/court-reports/", "/cases/R000001/court-reports/new/"]:
        response = client.get(path)
        assert response.status_code == 403
        assert "Restricted" not in response.content.decode()


def test_the_list_runs_a_bounded_number_of_queries(
    client: Client, spo, officer, awaiting_sentence, django_assert_max_num_queries
) -> None:
    for n in range(12):
        author = StaffMemberFactory.create(team=officer.team)
        CourtReport.objects.create(
            person=awaiting_sentence,
            staff=author,
            kind="fast",
            requested_on=date(2026, 11, 1),
            due_on=date(2026, 11, 8 + n),
        )
    client.force_login(spo.user)
    with django_assert_max_num_queries(14):
        response = client.get("/cases/C000001/court-reports/")
    assert response.content.decode().count("Record completion<span") == 12
