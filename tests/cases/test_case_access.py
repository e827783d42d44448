"""Who may see a case, managed in the service (issue 20, item 5): the SPOs and head of the case's PDU keep its
restriction and exclusion lists on /cases/<crn>/access/, each change audited; nobody else may; and a change that
would hide the case from the person making it is refused until they confirm it."""

from django.test import Client

from cases.access import case_access
from cases.models import AccessRule, AuditEvent


def test_the_head_of_the_pdu_excludes_and_readmits_an_officer(
    client: Client, pdu_head, colleague, community_order
) -> None:
    client.force_login(pdu_head.user)
    page = client.get("/cases/X123456/access/").content.decode()
    assert "Who may see this case" in page
    assert "No restriction" in page
    response = client.post(
        "/cases/X123456/access/", {"kind": "exclusion", "staff": colleague.code.lower(), "reason": "Knows the family"}
    )
    assert response.status_code == 302
    rule = AccessRule.objects.get()
    assert (rule.staff, rule.kind, rule.reason) == (colleague, "exclusion", "Knows the family")
    assert not case_access(colleague.user, community_order.person).can_read
    assert AuditEvent.objects.filter(action="access.add", person=community_order.person).count() == 1
    page = client.get("/cases/X123456/access/").content.decode()
    assert "Colin Colleague" in page
    assert "Knows the family" in page

    assert client.post("/cases/X123456/access/", {"remove": str(rule.pk)}).status_code == 302
    assert not AccessRule.objects.exists()
    assert case_access(colleague.user, community_order.person).can_read
    assert AuditEvent.objects.filter(action="access.remove", person=community_order.person).count() == 1


def test_restricting_a_case_away_from_yourself_needs_a_confirmation(
    client: Client, spo, colleague, community_order
) -> None:
    client.force_login(spo.user)
    page = client.post("/cases/X123456/access/", {"kind": "restriction", "staff": colleague.code})
    html = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in html
    assert "would stop you seeing this case" in html
    assert 'type="checkbox" name="confirm"' in html
    assert not AccessRule.objects.exists()  # nothing written, nothing audited
    assert not AuditEvent.objects.filter(action="access.add").exists()

    confirmed = client.post("/cases/X123456/access/", {"kind": "restriction", "staff": colleague.code, "confirm": "on"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/cases/search/"
    assert AccessRule.objects.filter(kind="restriction", staff=colleague).exists()
    assert not case_access(spo.user, community_order.person).can_read
    assert client.get("/cases/X123456/access/").status_code == 403  # now limited for the SPO too


def test_excluding_yourself_or_removing_yourself_from_a_restriction_asks_first(
    client: Client, pdu_head, colleague, community_order
) -> None:
    client.force_login(pdu_head.user)
    refused = client.post("/cases/X123456/access/", {"kind": "exclusion", "staff": pdu_head.code}).content.decode()
    assert "would stop you seeing this case" in refused
    assert not AccessRule.objects.exists()
    mine = AccessRule.objects.create(person=community_order.person, staff=pdu_head, kind="restriction")
    AccessRule.objects.create(person=community_order.person, staff=colleague, kind="restriction")
    refused = client.post("/cases/X123456/access/", {"remove": str(mine.pk)}).content.decode()
    assert "would stop you seeing this case" in refused
    assert AccessRule.objects.filter(pk=mine.pk).exists()


def test_only_the_managers_of_the_cases_pdu_may_change_who_sees_it(
    client: Client, officer, administrator, community_order
) -> None:
    for user in [officer.user, administrator.user]:
        client.force_login(user)
        assert client.get("/cases/X123456/access/").status_code == 403
        assert client.post("/cases/X123456/access/", {"kind": "exclusion", "staff": officer.code}).status_code == 403
    assert not AccessRule.objects.exists()


def test_an_unknown_code_or_no_choice_gets_govuk_errors(client: Client, spo, community_order) -> None:
    client.force_login(spo.user)
    page = client.post("/cases/X123456/access/", {"kind": "", "staff": "NOBODY"}).content.decode()
    assert "Choose which list to add them to" in page
    assert "No member of staff has this code" in page
    page = client.post("/cases/X123456/access/", {"remove": "999999"}).content.decode()
    assert "already been removed" in page
