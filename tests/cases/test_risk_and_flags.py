from datetime import date

from django.test import Client

from cases.models import AuditEvent, Person, Registration, RiskLevel


def test_the_ro_updates_rosh_and_tier_and_the_history_is_kept(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    url = "/cases/X123456/risk/"
    for day, rosh, tier in [("1", "high", "A2"), ("5", "very_high", "A3")]:
        data = {"rosh": rosh, "tier": tier, "assessed_on_0": day, "assessed_on_1": "10", "assessed_on_2": "2026"}
        assert client.post(url, data).status_code == 302
    person = Person.objects.get(crn="X123456")
    assert (person.rosh, person.tier) == ("very_high", "A3")
    assert list(RiskLevel.objects.filter(person=person).values_list("rosh", flat=True)) == ["very_high", "high"]
    assert AuditEvent.objects.filter(person=person, action="risk.change").count() == 2
    assert "RoSH and tier history" in client.get("/cases/X123456/").content.decode()


def test_an_older_assessment_recorded_late_does_not_replace_the_current_level(
    client: Client, officer, community_order
) -> None:
    client.force_login(officer.user)
    client.post(
        "/cases/X123456/risk/",
        {"rosh": "high", "tier": "A2", "assessed_on_0": "5", "assessed_on_1": "10", "assessed_on_2": "2026"},
    )
    client.post(
        "/cases/X123456/risk/",
        {"rosh": "low", "tier": "D0", "assessed_on_0": "1", "assessed_on_1": "10", "assessed_on_2": "2026"},
    )
    person = Person.objects.get(crn="X123456")
    assert (person.rosh, person.tier) == ("high", "A2")


def test_a_mappa_flag_needs_its_level_and_category(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    data = {
        "type": "mappa",
        "from_date_0": "1",
        "from_date_1": "11",
        "from_date_2": "2026",
        "mappa_level": "",
        "mappa_category": "",
    }
    page = client.post("/cases/X123456/flags/new/", data).content.decode()
    assert "Choose the MAPPA level" in page
    assert "Choose the MAPPA category" in page
    data |= {
        "mappa_level": "2",
        "mappa_category": "1",
        "review_due_0": "1",
        "review_due_1": "2",
        "review_due_2": "2027",
    }
    assert client.post("/cases/X123456/flags/new/", data).status_code == 302
    flag = Registration.objects.get(person=community_order.person, type="mappa")
    assert (flag.mappa_level, flag.mappa_category, flag.review_due) == (2, 1, date(2027, 2, 1))


def test_reviewing_a_flag_sets_a_new_review_date_or_ends_it(client: Client, officer, community_order) -> None:
    flag = Registration.objects.get(person=community_order.person)
    client.force_login(officer.user)
    url = f"/cases/X123456/flags/{flag.pk}/review/"
    assert "Select the outcome of the review" in client.post(url, {}).content.decode()
    assert "Enter the end date" in client.post(url, {"outcome": "end"}).content.decode()
    page = client.post(
        url, {"outcome": "end", "ended_on_0": "1", "ended_on_1": "1", "ended_on_2": "2020"}
    ).content.decode()
    assert "The end date must be on or after the start date, 1 November 2025" in page
    assert (
        client.post(url, {"outcome": "end", "ended_on_0": "20", "ended_on_1": "11", "ended_on_2": "2026"}).status_code
        == 302
    )
    flag.refresh_from_db()
    assert flag.ended_on == date(2026, 11, 20)
    assert AuditEvent.objects.filter(action="registration.review", person=community_order.person).exists()
    assert client.get(url).status_code == 404  # an ended flag has no more reviews


def test_a_colleague_cannot_change_risk_or_flags(client: Client, colleague, community_order) -> None:
    client.force_login(colleague.user)
    for path in ["risk/", "flags/new/"]:
        assert client.get(f"/cases/X123456/{path}").status_code == 403
