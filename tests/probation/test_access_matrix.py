"""The access matrix: what every URL answers to each kind of person, declared here and checked.

Every URL pattern must be declared (a new page without a line here fails the first test). Each person then
requests each URL, by GET and by POST: the status must be the declared one, a refused GET must be a refused
POST too, and no page shows a limited case's name to anyone outside its list. A limited case's pages refuse
an excluded officer, whatever the page. Pages also carry no inline script, handler or style (the
Content-Security-Policy would block them)."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.probation import access_world
from tests.probation.access_world import PERSONAS

# fmt: off
# Columns follow PERSONAS: anonymous, case officer, another officer, SPO of the case's PDU, SPO elsewhere,
# head of the case's PDU, director of the case's region, director elsewhere, national, admin.
# 302 for the anonymous is "sign in first"; 405 is a page that only takes a POST.
#                                 anon  ro   oth  spo  spoX head dir  dirX nat  adm
MATRIX: dict[str, tuple[int, ...]] = {
    "home":                      (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "login":                     (200, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "logout":                    (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "account":                   (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "sign-out-everywhere":       (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "session-status":            (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "stay-signed-in":            (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "healthz":                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accessibility":             (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "admin-home":                (302, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    "admin":                     (302, 302, 302, 302, 302, 302, 302, 302, 302, 200),
    # Lists and caseloads
    "cases:my-cases":            (302, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    "cases:today":               (302, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    "cases:my-transfers":        (302, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    "cases:search":              (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:unallocated":         (302, 403, 403, 200, 200, 200, 403, 403, 403, 403),
    "cases:person-new":          (302, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    "cases:outcomes":            (302, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    "cases:oversight":           (302, 403, 403, 200, 200, 200, 403, 403, 403, 403),
    "cases:transfers":           (302, 403, 403, 200, 200, 200, 403, 403, 403, 403),
    "cases:standards":           (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:transfer-decide":     (302, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    "cases:reallocate-caseload": (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:allocation-overrides": (302, 403, 403, 200, 200, 200, 403, 403, 403, 403),  # each their own PDU's
    "cases:allocation-overrides-pdu": (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    # The case record: read by any staff it is not limited from; changed by its RO and its PDU's managers
    "cases:overview":            (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:audit":               (302, 403, 403, 403, 403, 200, 403, 403, 403, 200),
    "cases:case-access":         (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:court-reports":       (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:court-report-new":    (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:court-report-complete": (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),  # its author, and managers
    "cases:documents":           (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:document-upload":     (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:document-download":   (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:letter-print":        (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:letter-new":          (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:event-new":           (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:release-new":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:custody-new":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:handover-meeting":    (302, 404, 403, 404, 403, 404, 403, 403, 403, 403),  # not a custodial sentence
    "cases:release":             (302, 404, 403, 404, 403, 404, 403, 403, 403, 403),  # not a custodial sentence
    "cases:allocate":            (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:allocation-history":  (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:book":                (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:log-contact":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:recall":              (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:recall-return":       (302, 404, 403, 404, 403, 404, 403, 403, 403, 403),  # no recall to return from
    "cases:transfer-request":    (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:event-end":           (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:plan":                (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:plan-view":           (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:objective-new":       (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:objective":           (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:plan-complete":       (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:plan-review":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:contacts":            (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:contact":             (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:outcome":             (302, 302, 403, 302, 403, 302, 403, 403, 403, 403),  # outcome already recorded
    "cases:amend":               (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:entered-in-error":    (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:cancel-appointment":  (302, 302, 403, 302, 403, 302, 403, 403, 403, 403),  # not a booked appointment
    "cases:transfer-appointments": (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),  # transfer not completed
    "cases:contact-details":     (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:decide":              (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:letter":              (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:breach-outcome":      (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:oversight-record":    (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:risk":                (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:registration-new":    (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:registration-review": (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    # The person in full (issue 22): read by any staff the case is not limited from; changed by its RO and managers
    "cases:person":              (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:risk-full":           (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases:person-details":      (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:address-move":        (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:address-new":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:address-end":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:personal-contact-new": (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:personal-contact":    (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:circumstance-new":    (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:circumstance":        (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:disability-new":      (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:disability":          (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:rosh-new":            (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "cases:predictor-new":       (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "interventions:awaiting":    (302, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    "interventions:upw":         (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "interventions:programme":   (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "interventions:rar":         (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "interventions:refer":       (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "interventions:referral":    (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    # Managers' pages: each sees their own unit and those within it
    "regions:team":              (302, 403, 403, 200, 200, 403, 403, 403, 403, 403),
    "regions:team-detail":       (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    "regions:officer-workload":  (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "regions:pdu":               (302, 403, 403, 403, 403, 200, 403, 403, 403, 403),
    "regions:region":            (302, 403, 403, 403, 403, 403, 200, 200, 403, 403),
    "regions:national":          (302, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    "regions:performance-national": (302, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    "regions:performance-region": (302, 403, 403, 403, 403, 403, 200, 403, 200, 403),
    "regions:performance-pdu":   (302, 403, 403, 403, 403, 200, 200, 403, 200, 403),
    "regions:performance-team":  (302, 403, 403, 403, 403, 200, 200, 403, 200, 403),
    "regions:performance-cases": (302, 403, 403, 403, 403, 200, 200, 403, 200, 403),
    "regions:performance-outliers": (302, 403, 403, 403, 403, 200, 200, 403, 200, 403),
}
# Pages more people may read than may change: who may POST (200 here is "taken": a re-shown form or a redirect).
#                                 anon  ro   oth  spo  spoX head dir  dirX nat  adm
POSTS: dict[str, tuple[int, ...]] = {
    "interventions:upw":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "interventions:programme":   (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
    "interventions:rar":         (302, 200, 403, 200, 403, 200, 403, 403, 403, 403),
}
# fmt: on

# Pages for anyone, signed in or not, that take no POST.
PUBLIC_READ_ONLY = {"healthz", "accessibility"}
# Who may read each limited case's details: its name must not appear on any page anyone else gets.
LIMITED_NAMES = {"Marrowby": {"other_officer"}, "Vexley": set(PERSONAS) - {"case_officer"}}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
INLINE_HANDLER_OR_STYLE = re.compile(r"<[a-z][^>]*\s(on[a-z]+|style)\s*=", re.IGNORECASE)


def url_patterns() -> dict[str, str]:
    """Every URL name with its route; the admin site counts as one, "admin"."""
    found: dict[str, str] = {}

    def walk(patterns: list, prefix: str = "", namespace: str | None = None) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route == "admin/":
                    found["admin"] = route
                else:
                    walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                found[f"{namespace}:{pattern.name}" if namespace else str(pattern.name)] = route

    walk(get_resolver().url_patterns)
    return found


def path_of(world: access_world.World, name: str, route: str, crn: str = "X123456") -> str:
    if name == "admin":
        return "/admin/"
    parameters = {"crn": crn, "ref": "1"} | world.parameters.get(name, {})
    if "crn" in parameters:
        parameters["crn"] = crn
    kwargs = {key: value for key, value in parameters.items() if f":{key}>" in route}
    return reverse(name, kwargs=kwargs) + world.queries.get(name, "")


def test_every_url_pattern_is_declared_in_the_matrix() -> None:
    patterns = url_patterns()
    assert sorted(set(patterns) - set(MATRIX)) == [], "declare who may use these new URLs in MATRIX"
    assert sorted(set(MATRIX) - set(patterns)) == [], "these URLs are gone: remove them from MATRIX"
    assert all(len(row) == len(PERSONAS) for row in MATRIX.values())


def client_for(world: access_world.World, persona: str) -> Client:
    client = Client()
    user = world.people[persona]
    if user is not None:
        client.force_login(user)
    return client


def check_no_leak(persona: str, label: str, body: str) -> None:
    for name, allowed in LIMITED_NAMES.items():
        if persona not in allowed:
            assert name not in body, f"{label} shows {name}'s limited case to {persona}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_gets_what_the_matrix_declares_by_get_and_post(everyone, persona: str) -> None:
    world = access_world.build(everyone)
    client = client_for(world, persona)
    column = PERSONAS.index(persona)
    wrong = []
    for name, route in url_patterns().items():
        path, declared = path_of(world, name, route), MATRIX[name][column]
        response = client.get(path)
        if response.status_code != declared:
            wrong.append(f"GET {path}: {response.status_code}, declared {declared}")
        body = response.content.decode()
        check_no_leak(persona, f"GET {path}", body)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert not INLINE_SCRIPT.search(body), f"{path} has an inline script"
            assert not INLINE_HANDLER_OR_STYLE.search(body), f"{path} has an inline handler or style"

        posted = client.post(path, {})
        declared_post = POSTS.get(name, MATRIX[name])[column]
        allowed_post = (
            {200, 302, 405} if declared_post in {200, 302} else {200, 302} if declared_post == 405 else {declared_post}
        )
        if persona == "anonymous" and name not in {"login", *PUBLIC_READ_ONLY}:
            allowed_post = {302}
            assert posted["Location"].startswith(("/sign-in/", "/admin/login/")), path
        if name in PUBLIC_READ_ONLY:
            allowed_post = {405}
        if posted.status_code not in allowed_post:
            wrong.append(f"POST {path}: {posted.status_code}, expected one of {sorted(allowed_post)}")
        check_no_leak(persona, f"POST {path}", posted.content.decode())
        if persona != "anonymous" and "_auth_user_id" not in client.session:  # it signed itself out
            client = client_for(world, persona)
    assert wrong == [], "\n".join(wrong)


def test_an_excluded_officer_is_refused_every_page_of_the_case(everyone) -> None:
    world = access_world.build(everyone)
    client = client_for(world, "case_officer")
    case_urls = {name: route for name, route in url_patterns().items() if "<str:crn>" in route}
    assert len(case_urls) > 30
    for name, route in case_urls.items():
        path = path_of(world, name, route, crn=world.excluded_crn)
        expected = {403, 404} if "<int:pk>" in route else {403}  # another case's record is not found here
        for response in (client.get(path), client.post(path, {})):
            assert response.status_code in expected, (path, response.status_code)
            assert "Vexley" not in response.content.decode(), path
    limited_page = client.get(f"/cases/{world.excluded_crn}/").content.decode()
    assert "You cannot see this case" in limited_page or "limited" in limited_page.lower()


def test_every_url_refuses_a_post_without_its_csrf_token(everyone) -> None:
    world = access_world.build(everyone)
    client = Client(enforce_csrf_checks=True)
    user = world.people["spo_of_pdu"]
    assert user is not None
    client.force_login(user)
    for name, route in url_patterns().items():
        path = path_of(world, name, route)
        response = client.post(path, {})
        assert response.status_code == 403, (path, response.status_code)
    assert "_auth_user_id" in client.session  # not even signing out happens without the token


@pytest.mark.parametrize("login_closed", [True, False])
def test_a_leaver_gets_nothing_from_any_url(everyone, login_closed: bool) -> None:
    """A leaver (issue 20, item 6): once marked as left their login is closed and every session ends, so each URL
    answers them as it answers someone signed out. Even were their login left open, a staff record that says they
    have left has no role: no page but their account and the health check, and no case's name anywhere."""
    from probation.sessions import close_account
    from regions.models import StaffMember

    world = access_world.build(everyone)
    user = world.people["spo_of_pdu"]
    assert user is not None
    client = client_for(world, "spo_of_pdu")
    StaffMember.objects.filter(user=user).update(active=False)
    if login_closed:
        close_account(user)
    anonymous = PERSONAS.index("anonymous")
    wrong = []
    for name, route in url_patterns().items():
        path = path_of(world, name, route)
        for method in ("get", "post"):
            response = getattr(client, method)(path, {})
            body = response.content.decode()
            for case_name in ("Example", "Marrowby", "Vexley"):
                if case_name in body:
                    wrong.append(f"{method.upper()} {path} shows {case_name}")
            if login_closed and method == "get" and response.status_code != MATRIX[name][anonymous]:
                wrong.append(f"GET {path}: {response.status_code}, as signed out {MATRIX[name][anonymous]}")
            if (
                not login_closed
                and response.status_code == 200
                and name not in {"account", "session-status", "stay-signed-in"}
                and MATRIX[name][anonymous] != 200  # pages open to everyone (health, accessibility statement)
            ):
                wrong.append(f"{method.upper()} {path}: 200")
            if "_auth_user_id" not in client.session and not login_closed:
                client = client_for(world, "spo_of_pdu")
    assert wrong == [], "\n".join(wrong)
