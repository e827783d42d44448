from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases.models import Contact, Requirement
from interventions.models import Programme
from interventions.programmes import services as programmes
from tests.factories import RequirementFactory


@pytest.fixture
def tsp(community_order, contact_types) -> Requirement:
    """A Thinking Skills Programme on Sam Example's order (sentenced 19 December 2025)."""
    return RequirementFactory.create(event=community_order, type="accredited_programme", hours=None, programme="TSP")


def step(requirement, officer, name: str, on: date, notes: str = "") -> Programme:
    return programmes.advance(requirement=requirement, user=officer.user, step=name, on=on, notes=notes)


@pytest.mark.today("2026-11-30")
def test_a_programme_goes_from_referral_to_completion(officer, tsp) -> None:
    step(tsp, officer, "referred", date(2026, 1, 6))
    step(tsp, officer, "eligible", date(2026, 1, 20))
    step(tsp, officer, "started", date(2026, 3, 2))
    programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 3, 2), attendance="attended")
    programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 3, 9), attendance="absent")
    done = step(tsp, officer, "completed", date(2026, 5, 25))
    assert (done.outcome, done.ended_on) == ("completed", date(2026, 5, 25))
    sessions = list(Contact.objects.filter(event=tsp.event, type__code="programme_session"))
    summary = programmes.summary(tsp, sessions)
    assert (summary.attended, summary.missed, summary.waiting_days) == (1, 1, 73)  # 19 Dec 2025 to 2 Mar 2026
    assert programmes.next_steps(done) == []
    absence = Contact.objects.get(type__code="programme_session", outcome="awaiting_evidence")
    # the absence was on Monday 9 March 2026 (recorded much later): five business days from the session, 10-13, 16
    assert absence.evidence_due == date(2026, 3, 16)


def test_steps_must_come_in_order_and_with_reasons(officer, tsp) -> None:
    with pytest.raises(ValidationError, match="moved on"):
        step(tsp, officer, "started", date(2026, 1, 6))
    step(tsp, officer, "referred", date(2026, 1, 6))
    with pytest.raises(ValidationError, match="on or after 6 January 2026"):
        step(tsp, officer, "eligible", date(2026, 1, 5))
    with pytest.raises(ValidationError, match="Enter the reason"):
        step(tsp, officer, "not_eligible", date(2026, 1, 7))
    ineligible = step(tsp, officer, "not_eligible", date(2026, 1, 7), "Learning needs: refer to an adapted programme")
    assert programmes.next_steps(ineligible) == []
    with pytest.raises(ValidationError, match="once the programme has started"):
        programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 1, 8), attendance="attended")


def test_non_completion_needs_a_reason_and_ends_the_sessions(officer, tsp) -> None:
    step(tsp, officer, "referred", date(2026, 1, 6))
    step(tsp, officer, "eligible", date(2026, 1, 6))
    step(tsp, officer, "started", date(2026, 1, 6))  # the same day as referral: the earliest edge
    with pytest.raises(ValidationError, match="Enter the reason"):
        step(tsp, officer, "not_completed", date(2026, 2, 1))
    step(tsp, officer, "not_completed", date(2026, 2, 1), "Breached and returned to court")
    with pytest.raises(ValidationError, match="until it ends"):
        programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 2, 2), attendance="attended")
    summary = programmes.summary(tsp, [], today=date(2026, 3, 1))
    assert summary.waiting_days == 18


def test_waiting_time_runs_to_today_until_the_start(tsp) -> None:
    assert programmes.summary(tsp, [], today=date(2026, 1, 19)).waiting_days == 31


def test_sessions_outside_the_programme_do_not_count(officer, tsp) -> None:
    step(tsp, officer, "referred", date(2026, 1, 6))
    step(tsp, officer, "eligible", date(2026, 1, 6))
    step(tsp, officer, "started", date(2026, 2, 2))
    early = Contact(event=tsp.event, starts_at=timezone.make_aware(datetime(2026, 1, 30, 10)))
    assert programmes.summary(tsp, [early]).sessions == []


@pytest.mark.parametrize("size", [1, 30])
def test_the_programme_page_runs_a_bounded_number_of_queries(
    client: Client, officer, tsp, size: int, django_assert_max_num_queries
) -> None:
    step(tsp, officer, "referred", date(2026, 1, 6))
    step(tsp, officer, "eligible", date(2026, 1, 6))
    step(tsp, officer, "started", date(2026, 1, 6))
    for i in range(size):
        programmes.log_session(
            requirement=tsp, user=officer.user, day=date(2026, 1, 6) + timedelta(days=i), attendance="attended"
        )
    client.force_login(officer.user)
    with django_assert_max_num_queries(14):
        page = client.get(f"/interventions/X123456/programme/{tsp.pk}/").content.decode()
    assert f'id="programme-sessions">{size} attended, 0 missed</dd>' in page


def test_the_page_records_progress_and_shows_errors(client: Client, officer, tsp) -> None:
    client.force_login(officer.user)
    url = f"/interventions/X123456/programme/{tsp.pk}/"
    day = timezone.localdate()
    when = {"step-on_0": day.day, "step-on_1": day.month, "step-on_2": day.year}
    assert client.post(url, {"form": "step", "step-step": "referred", **when}).status_code == 302
    refused = client.post(url, {"form": "step", "step-step": "not_eligible", **when}).content.decode()
    assert "Enter the reason" in refused
    assert "govuk-error-summary" in refused
    assert Programme.objects.get().eligibility == "pending"
    stale = client.post(url, {"form": "step", "step-step": "completed", **when}).content.decode()
    assert "Select a valid choice" in stale or "moved on" in stale
    page = client.get(url).content.decode()
    assert 'id="programme-status">' in page
    assert "Awaiting an eligibility decision" in page


def test_someone_else_cannot_change_the_programme(client: Client, colleague, tsp) -> None:
    client.force_login(colleague.user)
    response = client.post(f"/interventions/X123456/programme/{tsp.pk}/", {"form": "step", "step-step": "referred"})
    assert response.status_code == 403
    assert not Programme.objects.exists()


def test_completion_needs_an_attended_session_and_a_day_has_one_session(officer, tsp) -> None:
    for name in ("referred", "eligible", "started"):
        step(tsp, officer, name, date(2026, 1, 6))
    with pytest.raises(ValidationError, match="No sessions have been attended"):
        step(tsp, officer, "completed", date(2026, 3, 1))
    programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 1, 13), attendance="attended")
    with pytest.raises(ValidationError, match="A session on 13 January 2026 is already recorded"):
        programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 1, 13), attendance="attended")
    assert step(tsp, officer, "completed", date(2026, 3, 1)).outcome == "completed"


def test_a_form_left_open_after_the_programme_moved_on_gets_a_plain_refusal(client: Client, officer, tsp) -> None:
    for name in ("referred", "eligible", "started"):
        step(tsp, officer, name, date(2026, 1, 6))
    client.force_login(officer.user)
    day = timezone.localdate()
    stale = {
        "form": "step",
        "step-step": "eligible",
        "step-on_0": day.day,
        "step-on_1": day.month,
        "step-on_2": day.year,
    }
    page = client.post(f"/interventions/X123456/programme/{tsp.pk}/", stale).content.decode()
    assert "the programme has moved on" in page
    assert "valid choice" not in page


def test_programme_completion_counts_programmes_ending_in_the_period(client: Client, officer, pdu_head, tsp) -> None:
    from regions.performance import counting

    step(tsp, officer, "referred", date(2026, 1, 6))
    step(tsp, officer, "eligible", date(2026, 1, 6))
    step(tsp, officer, "started", date(2026, 1, 12))
    programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 1, 12), attendance="attended")
    step(tsp, officer, "completed", date(2026, 4, 20))
    rows = [row for row in counting.count(date(2026, 4, 1), date(2026, 4, 30)) if row[0] == "programme_completion"]
    assert [(numerator, denominator) for *_, numerator, denominator in rows] == [(1, 1)]
    assert not [row for row in counting.count(date(2026, 3, 1), date(2026, 3, 31)) if row[0] == "programme_completion"]
    client.force_login(pdu_head.user)
    listed = client.get(
        f"/performance/pdu/{officer.pdu.code}/cases/?measure=programme_completion&period=month&to=2026-04"
    ).content.decode()
    assert "X123456" in listed
    assert "Completed" in listed


@pytest.mark.today("2026-06-30")
def test_a_programme_unfinished_when_its_sentence_ends_counts_as_not_completed(
    client: Client, officer, spo, pdu_head, tsp
) -> None:
    """Completion measures count ends (DOMAIN.md, "Sentences end"): a programme under way when the order is
    revoked is a programme not completed, in the month the order ended; one never started counts nowhere."""
    from cases.ending import services as ending
    from regions.performance import counting

    step(tsp, officer, "referred", date(2026, 1, 6))
    step(tsp, officer, "eligible", date(2026, 1, 6))
    step(tsp, officer, "started", date(2026, 1, 12))
    ending.event_end(tsp.event, spo.user, date(2026, 5, 14), "revoked", "Further offence: resentenced")

    def completion(start: date, end: date) -> list[tuple[int, int]]:
        return [(n, d) for measure, *_, n, d in counting.count(start, end) if measure == "programme_completion"]

    assert completion(date(2026, 5, 1), date(2026, 5, 31)) == [(0, 1)]
    assert completion(date(2026, 4, 1), date(2026, 4, 30)) == []
    client.force_login(pdu_head.user)
    listed = client.get(
        f"/performance/pdu/{officer.pdu.code}/cases/?measure=programme_completion&period=month&to=2026-05"
    ).content.decode()
    assert "X123456" in listed
    assert "14 May 2026" in listed
    assert "Not completed: the sentence ended" in listed


@pytest.mark.today("2026-06-30")
def test_a_programme_never_started_is_not_counted_when_its_sentence_ends(officer, spo, tsp) -> None:
    from cases.ending import services as ending
    from regions.performance import counting

    step(tsp, officer, "referred", date(2026, 1, 6))
    ending.event_end(tsp.event, spo.user, date(2026, 5, 14), "revoked", "Further offence: resentenced")
    assert not [row for row in counting.count(date(2026, 5, 1), date(2026, 5, 31)) if row[0] == "programme_completion"]
