"""Failures to comply, the 12-month warning rule, breach resetting the count, and management oversight."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import EnforcementAction, Event, Outcome, OversightTask
from cases.standards import ledger
from tests.factories import book

Kind = EnforcementAction.Kind


@pytest.fixture
def record(officer, community_order, contact_types):
    """Record an appointment on a day with an outcome; returns the contact."""

    def _record(day: date, outcome: str, hour: int = 10, reason: str = "illness"):
        contact = book(
            officer,
            community_order,
            contact_types["office_visit"],
            datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
        )
        reason_given = reason if outcome == Outcome.ACCEPTABLE_ABSENCE else ""
        return contacts.record_outcome(contact=contact, user=officer.user, outcome=outcome, absence_reason=reason_given)

    return _record


def test_two_failures_on_the_same_day_count_once(record, community_order) -> None:
    record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE, hour=9)
    record(date(2026, 1, 5), Outcome.FAILED_TO_COMPLY, hour=14)
    record(date(2026, 1, 12), Outcome.UNACCEPTABLE_ABSENCE)
    panel = enforcement.compliance(community_order, today=date(2026, 2, 1))
    assert panel.failure_dates == [date(2026, 1, 5), date(2026, 1, 12)]
    assert panel.failures_last_12_months == 2
    assert len(panel.unanswered) == 2  # one decision a day


def test_a_failure_on_a_non_enforceable_contact_does_not_count(record, officer, community_order, contact_types) -> None:
    phone = book(officer, community_order, contact_types["telephone"], datetime(2026, 1, 5, 10, tzinfo=UTC))
    contacts.record_outcome(contact=phone, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE)
    assert enforcement.compliance(community_order).failures_since_reset == 0


@pytest.mark.parametrize(
    ("warned", "failed", "warning_allowed"),
    [
        (date(2025, 3, 1), date(2026, 2, 28), False),  # day 364
        (date(2025, 3, 1), date(2026, 3, 1), True),  # day 365: the 12 months beginning 1 March 2025 have ended
        (date(2025, 3, 1), date(2026, 3, 2), True),  # day 366: outside
        (date(2024, 2, 29), date(2025, 2, 28), False),  # 29 February + 12 months = 28 February
        (date(2024, 2, 29), date(2025, 3, 1), True),
    ],
)
def test_a_second_warning_is_refused_within_12_months_of_the_first(
    record, officer, community_order, warned, failed, warning_allowed
) -> None:
    Event.objects.filter(pk=community_order.pk).update(sentence_date=date(2024, 1, 2))
    community_order.refresh_from_db()
    first = record(warned, Outcome.UNACCEPTABLE_ABSENCE)
    enforcement.decide(event=community_order, user=officer.user, kind=Kind.WARNING, failure=first, on=warned)
    second = record(failed, Outcome.UNACCEPTABLE_ABSENCE)
    warnings = list(EnforcementAction.objects.filter(kind=Kind.WARNING).select_related("failure"))
    allowed, covering = enforcement.choices_for(second, warnings, failed)
    assert ("warning" in allowed) is warning_allowed
    if warning_allowed:
        enforcement.decide(event=community_order, user=officer.user, kind=Kind.WARNING, failure=second, on=failed)
    else:
        assert covering is not None
        with pytest.raises(ValidationError, match="must be referred for breach"):
            enforcement.decide(event=community_order, user=officer.user, kind=Kind.WARNING, failure=second, on=failed)


def test_a_breach_dealt_with_by_the_court_resets_the_count(record, officer, community_order) -> None:
    first = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    breach = enforcement.decide(
        event=community_order, user=officer.user, kind=Kind.BREACH, failure=first, on=date(2026, 1, 9)
    )
    assert enforcement.compliance(community_order).open_breach == breach
    enforcement.breach_resolved(
        action=breach, user=officer.user, on=date(2026, 2, 3), court_outcome="Order continued, fine"
    )
    record(date(2026, 2, 3), Outcome.UNACCEPTABLE_ABSENCE)  # the day of the court hearing: before the reset
    record(date(2026, 2, 4), Outcome.UNACCEPTABLE_ABSENCE)
    panel = enforcement.compliance(community_order, today=date(2026, 3, 1))
    assert panel.counted_from == date(2026, 2, 4)
    assert panel.failure_dates == [date(2026, 2, 4)]
    assert panel.failures_last_12_months == 3
    assert panel.open_breach is None


def test_a_breach_cannot_be_initiated_before_the_ro_was_aware(record, officer, community_order) -> None:
    failure = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    with pytest.raises(ValidationError, match="on or after 7 January 2026, when you became aware of the failure"):
        enforcement.decide(
            event=community_order,
            user=officer.user,
            kind=Kind.BREACH,
            failure=failure,
            on=date(2026, 1, 6),
            aware_on=date(2026, 1, 7),
        )


def test_a_professional_judgement_needs_its_rationale(record, officer, community_order) -> None:
    failure = record(date(2026, 1, 5), Outcome.FAILED_TO_COMPLY)
    with pytest.raises(ValidationError, match="rationale"):
        enforcement.decide(
            event=community_order,
            user=officer.user,
            kind=Kind.PROFESSIONAL_JUDGEMENT,
            failure=failure,
            on=date(2026, 1, 6),
        )
    action = enforcement.decide(
        event=community_order,
        user=officer.user,
        kind=Kind.PROFESSIONAL_JUDGEMENT,
        failure=failure,
        on=date(2026, 1, 6),
        rationale="Arrived late after a hospital appointment; evidence seen",
    )
    assert enforcement.compliance(community_order).unanswered == []
    assert action.rationale.startswith("Arrived late")


def test_no_enforcement_on_a_terminated_event(record, officer, community_order) -> None:
    failure = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    Event.objects.filter(pk=community_order.pk).update(terminated_on=date(2026, 1, 6), termination_reason="completed")
    ledger.refresh_events([community_order.pk])  # written behind the services' back: bring the ledger along
    community_order.refresh_from_db()
    with pytest.raises(ValidationError, match="has ended"):
        enforcement.decide(
            event=community_order, user=officer.user, kind=Kind.WARNING, failure=failure, on=date(2026, 1, 7)
        )


def test_each_failure_gets_one_decision(record, officer, community_order) -> None:
    failure = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    enforcement.decide(
        event=community_order, user=officer.user, kind=Kind.WARNING, failure=failure, on=date(2026, 1, 6)
    )
    with pytest.raises(ValidationError, match="already been recorded"):
        enforcement.decide(
            event=community_order, user=officer.user, kind=Kind.BREACH, failure=failure, on=date(2026, 1, 7)
        )


def test_the_warning_letter_names_the_person_and_the_failure(record, officer, community_order) -> None:
    failure = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    warning = enforcement.decide(
        event=community_order, user=officer.user, kind=Kind.WARNING, failure=failure, on=date(2026, 1, 6)
    )
    assert "Dear Sam Example" in warning.letter
    assert "5 January 2026" in warning.letter
    assert "within the next 12 months" in warning.letter


def test_the_third_acceptable_absence_opens_oversight_and_recording_it_closes_it(record, spo, community_order) -> None:
    record(date(2026, 1, 5), Outcome.ACCEPTABLE_ABSENCE)
    record(date(2026, 1, 12), Outcome.ACCEPTABLE_ABSENCE)
    assert not OversightTask.objects.exists()
    third = record(date(2026, 1, 19), Outcome.ACCEPTABLE_ABSENCE)
    task = OversightTask.objects.get(event=community_order)
    assert task.trigger == third
    record(date(2026, 1, 26), Outcome.ACCEPTABLE_ABSENCE)
    assert OversightTask.objects.count() == 1  # the 4th adds nothing while one is open
    enforcement.oversight_record(
        task=task, user=spo.user, by=spo, note="Discussed with officer; pattern explained by illness", outcome="agree"
    )
    assert OversightTask.objects.get(pk=task.pk).closed_by == spo


def test_after_oversight_the_count_starts_again(record, spo, community_order) -> None:
    from django.utils import timezone

    for day in [5, 12, 19]:
        record(date(2026, 1, day), Outcome.ACCEPTABLE_ABSENCE)
    task = OversightTask.objects.get()
    enforcement.oversight_record(task=task, user=spo.user, by=spo, note="Seen", outcome="agree")
    OversightTask.objects.filter(pk=task.pk).update(closed_at=timezone.make_aware(datetime(2026, 1, 20, 12)))
    record(date(2026, 2, 2), Outcome.ACCEPTABLE_ABSENCE)
    record(date(2026, 2, 9), Outcome.ACCEPTABLE_ABSENCE)
    assert OversightTask.objects.filter(closed_at__isnull=True).count() == 0
    record(date(2026, 2, 16), Outcome.ACCEPTABLE_ABSENCE)
    assert OversightTask.objects.filter(closed_at__isnull=True).count() == 1


@pytest.mark.today("2026-11-25")  # recommended today, decided on fixed dates after it
def test_recall_is_only_for_licences_and_the_request_follows_the_decision(officer, spo, community_order) -> None:
    with pytest.raises(ValidationError, match="licence"):
        enforcement.recall_recommend(
            event=community_order, user=officer.user, recall_type="standard", rationale="Risk escalating"
        )
    Event.objects.filter(pk=community_order.pk).update(type="licence", release_date=date(2025, 12, 22))
    community_order.refresh_from_db()
    recall = enforcement.recall_recommend(
        event=community_order, user=officer.user, recall_type="standard", rationale="Risk escalating"
    )
    with pytest.raises(ValidationError, match="once the recall is agreed"):
        enforcement.recall_requested(
            action=recall, user=officer.user, requested_at=datetime(2026, 11, 25, 9, tzinfo=UTC)
        )
    decided = datetime(2026, 11, 25, 7, tzinfo=UTC)
    enforcement.recall_decide(
        action=recall,
        user=spo.user,
        decider=spo,
        decision="agreed",
        rationale="Agreed: risk to partner",
        decided_at=decided,
    )
    with pytest.raises(ValidationError, match="at or after 07:00 on 25 November 2026, when the recall was agreed"):
        enforcement.recall_requested(action=recall, user=officer.user, requested_at=decided - timedelta(minutes=5))
    enforcement.recall_requested(action=recall, user=officer.user, requested_at=decided + timedelta(hours=2))
    recall.refresh_from_db()
    assert recall.decision == "agreed"
    assert recall.requested_at == decided + timedelta(hours=2)


def test_failures_on_the_same_day_need_one_decision(record, officer, community_order) -> None:
    morning = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE, hour=9)
    afternoon = record(date(2026, 1, 5), Outcome.FAILED_TO_COMPLY, hour=15)
    assert [f.pk for f in enforcement.compliance(community_order).unanswered] == [morning.pk]
    enforcement.decide(
        event=community_order, user=officer.user, kind=Kind.WARNING, failure=morning, on=date(2026, 1, 6)
    )
    assert enforcement.compliance(community_order).unanswered == []
    with pytest.raises(ValidationError, match="already been recorded for the failure on this day"):
        enforcement.decide(
            event=community_order, user=officer.user, kind=Kind.BREACH, failure=afternoon, on=date(2026, 1, 7)
        )


def test_a_warning_given_after_an_earlier_failure_still_rules_out_warning_for_it(
    record, officer, community_order
) -> None:
    first = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    second = record(date(2026, 1, 8), Outcome.UNACCEPTABLE_ABSENCE)
    enforcement.decide(event=community_order, user=officer.user, kind=Kind.WARNING, failure=second, on=date(2026, 1, 9))
    with pytest.raises(ValidationError, match="must be referred for breach"):
        enforcement.decide(
            event=community_order, user=officer.user, kind=Kind.WARNING, failure=first, on=date(2026, 1, 12)
        )


def test_a_decision_cannot_predate_its_failure(record, officer, community_order) -> None:
    failure = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    with pytest.raises(ValidationError, match="on or after 5 January 2026, the date of the failure"):
        enforcement.decide(
            event=community_order, user=officer.user, kind=Kind.WARNING, failure=failure, on=date(2026, 1, 4)
        )


def test_a_licence_failure_is_not_taken_to_court_breach(record, officer, community_order) -> None:
    Event.objects.filter(pk=community_order.pk).update(type="licence", release_date=date(2025, 12, 22))
    community_order.refresh_from_db()
    failure = record(date(2026, 1, 5), Outcome.UNACCEPTABLE_ABSENCE)
    allowed, _ = enforcement.choices_for(failure, [], date(2026, 1, 6))
    assert allowed == ["warning", "professional_judgement"]
    assert enforcement.compliance(community_order).counted_from == date(2025, 12, 22)


def test_a_professional_judgement_awaits_spo_oversight_on_the_dashboard_and_the_oversight_list(
    client, record, officer, spo, community_order
) -> None:
    failure = record(date(2026, 1, 5), Outcome.FAILED_TO_COMPLY)
    enforcement.decide(
        event=community_order,
        user=officer.user,
        kind=Kind.PROFESSIONAL_JUDGEMENT,
        failure=failure,
        on=date(2026, 1, 6),
        rationale="Arrived late after a hospital appointment; evidence seen",
    )
    task = OversightTask.objects.get(event=community_order, closed_at__isnull=True)
    assert (task.reason, task.trigger, task.opened_on) == ("professional_judgement", failure, date(2026, 1, 6))
    assert not community_order.obligations.filter(rule="acceptable_absence_oversight").exists()  # not a clock
    client.force_login(spo.user)
    assert "awaiting your oversight: professional judgement not to enforce" in client.get("/team/").content.decode()
    assert "Professional judgement not to enforce" in client.get("/cases/oversight/").content.decode()


@pytest.mark.today("2026-11-25")  # recommended today, decided on fixed dates after it
def test_a_recommended_recall_waits_on_the_oversight_list_until_decided(client, officer, spo, community_order) -> None:
    Event.objects.filter(pk=community_order.pk).update(type="licence", release_date=date(2025, 12, 22))
    community_order.refresh_from_db()
    recall = enforcement.recall_recommend(
        event=community_order, user=officer.user, recall_type="standard", rationale="Risk escalating"
    )
    client.force_login(spo.user)
    assert "1</strong> awaiting your oversight: recall recommendations" in client.get("/team/").content.decode()
    assert "EXAMPLE, Sam (X123456)</a>: standard recall" in client.get("/cases/oversight/").content.decode()
    enforcement.recall_decide(
        action=recall,
        user=spo.user,
        decider=spo,
        decision="not_agreed",
        rationale="Manage in the community",
        decided_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
    )
    assert "No recall is waiting for a decision" in client.get("/cases/oversight/").content.decode()
