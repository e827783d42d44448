from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases.models import AuditEvent, Objective, SentencePlan
from cases.plans import services as plans


def objective(**overrides: str) -> dict[str, str]:
    return {
        "area": "accommodation",
        "description": "Find settled housing",
        "steps": "Referral to housing options",
        **overrides,
    }


def test_a_stale_save_is_refused_and_writes_nothing(officer, colleague, community_order) -> None:
    plan = plans.plan_for(community_order, officer.user)
    plans.save_view(plan=plan, user=officer.user, expected_version=1, persons_view="I want a job")
    with pytest.raises(ValidationError, match="while you were editing") as refused:
        plans.save_view(plan=plan, user=officer.user, expected_version=1, persons_view="I want my kids back")
    assert refused.value.code == plans.STALE
    plan.refresh_from_db()
    assert (plan.persons_view, plan.version) == ("I want a job", 2)


def test_two_people_editing_the_same_plan_the_second_is_refused_and_both_texts_are_on_the_page(
    client: Client, officer, community_order
) -> None:
    plans.plan_for(community_order, officer.user)
    client.force_login(officer.user)
    url = "/cases/X123456/events/1/plan/own-words/"
    first = client.post(url, {"version": "1", "persons_view": "Stay off drink and keep my flat"})
    assert first.status_code == 302
    second = client.post(url, {"version": "1", "persons_view": "Get back into work"})
    page = second.content.decode()
    assert second.status_code == 200
    assert "govuk-error-summary" in page
    assert "while you were editing" in page
    assert "Get back into work" in page  # what they typed is kept in the form
    assert "Stay off drink and keep my flat" in page  # the saved version is shown beside it
    assert SentencePlan.objects.get().persons_view == "Stay off drink and keep my flat"


def test_an_officer_writes_completes_and_reviews_a_plan(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    base = "/cases/X123456/events/1/plan/"
    assert client.post(base + "objectives/new/", {"version": "1", **objective()}).status_code == 302
    assert (
        client.post(
            base + "objectives/new/", {"version": "2", **objective(area="ete", description="Start the CSCS course")}
        ).status_code
        == 302
    )
    Objective.objects.update(created_at=timezone.make_aware(datetime(2026, 1, 5, 9)))  # written on 5 January
    assert (
        client.post(base + "complete/", {"version": "3", "on_0": "5", "on_1": "1", "on_2": "2026"}).status_code == 302
    )
    plan = SentencePlan.objects.get()
    assert (plan.status, plan.completed_on, plan.objectives.count()) == ("completed", date(2026, 1, 5), 2)
    housing = Objective.objects.get(area="accommodation")
    data = {
        "version": "4",
        "reviewed_on_0": "6",
        "reviewed_on_1": "7",
        "reviewed_on_2": "2026",
        "summary": "Good progress",
        f"progress_{housing.pk}": "Moved into supported housing",
    }
    assert client.post(base + "review/", data).status_code == 302
    housing.refresh_from_db()
    assert housing.progress == "Moved into supported housing"
    page = client.get(base).content.decode()
    assert "Completed 5 January 2026" in page
    assert "Good progress" in page
    assert set(AuditEvent.objects.filter(action__startswith="plan.").values_list("action", flat=True)) == {
        "plan.create",
        "plan.objective",
        "plan.complete",
        "plan.review",
    }


def test_a_plan_needs_an_objective_before_it_is_completed(client: Client, officer, community_order) -> None:
    plans.plan_for(community_order, officer.user)
    client.force_login(officer.user)
    page = client.post(
        "/cases/X123456/events/1/plan/complete/", {"version": "1", "on_0": "5", "on_1": "1", "on_2": "2026"}
    ).content.decode()
    assert "Add at least one objective before completing the plan" in page


def test_a_colleague_can_read_but_not_change_the_plan(client: Client, colleague, officer, community_order) -> None:
    plans.plan_for(community_order, officer.user)
    client.force_login(colleague.user)
    assert client.get("/cases/X123456/events/1/plan/").status_code == 200
    assert client.get("/cases/X123456/events/1/plan/objectives/new/").status_code == 403


def test_objective_errors_are_govuk_messages(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    page = client.post(
        "/cases/X123456/events/1/plan/objectives/new/", {"version": "1", "area": "", "description": ""}
    ).content.decode()
    assert "Choose the area of need" in page
    assert "Enter the objective" in page


def test_the_next_review_is_due_six_months_after_the_last(officer, community_order) -> None:
    plan = plans.plan_for(community_order, officer.user)
    plans.objective_save(
        plan=plan, user=officer.user, expected_version=1, objective=None, fields={"area": "ete", "description": "Work"}
    )
    Objective.objects.update(created_at=timezone.make_aware(datetime(2026, 8, 31, 9)))
    plan = plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 8, 31))
    assert plans.next_review_due(plan, None) == date(2027, 2, 28)  # 31 August + 6 months falls back to 28 February
    review = plans.review(
        plan=plan, user=officer.user, expected_version=3, reviewed_on=date(2026, 9, 20), summary="On track", progress={}
    )
    assert plans.next_review_due(plan, review) == date(2027, 3, 20)


def test_after_a_stale_refusal_saving_again_works_and_keeps_both_texts(
    client: Client, officer, community_order
) -> None:
    plans.plan_for(community_order, officer.user)
    client.force_login(officer.user)
    url = "/cases/X123456/events/1/plan/own-words/"
    client.post(url, {"version": "1", "persons_view": "First words"})
    page = client.post(url, {"version": "1", "persons_view": "Second words"}).content.decode()
    assert 'name="version" value="2"' in page  # the form has moved on to the current version
    assert client.post(url, {"version": "2", "persons_view": "First words, then second words"}).status_code == 302
    assert SentencePlan.objects.get().persons_view == "First words, then second words"


def test_a_completed_plan_cannot_be_completed_again(officer, community_order) -> None:
    plan = plans.plan_for(community_order, officer.user)
    plans.objective_save(
        plan=plan, user=officer.user, expected_version=1, objective=None, fields={"area": "ete", "description": "Work"}
    )
    Objective.objects.update(created_at=timezone.make_aware(datetime(2026, 1, 5, 9)))
    plan = plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="already completed"):
        plans.complete(plan=plan, user=officer.user, expected_version=3, on=date(2026, 2, 5))
