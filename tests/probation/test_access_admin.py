"""Least privilege in the admin (issue 20, item 5): administrators manage reference data, users and staff, not
case records. No model of a case (a person, anything of theirs or of their events) is registered in the admin:
every case-linked admin URL answers 404 to an administrator and shows no name, whatever its query string;
court reports and who may see a case are managed in the service, within its access rules and audit."""

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client

from cases.models import CourtReport, Event, Person
from tests.probation import access_world

# Names of the access world's cases: the administrator may see none of them through the admin.
NAMES = ["Marrowby", "Quillon", "Vexley", "Zephyrine", "Sam Example", "Example"]


def case_linked_models() -> list[type[models.Model]]:
    """Person, Event and every model that refers to one of them, directly or through other case models."""
    linked: set[type[models.Model]] = {Person, Event}
    every = [
        m
        for label in ("cases", "interventions", "regions", "probation")
        for m in apps.get_app_config(label).get_models()
    ]
    grew = True
    while grew:
        grew = False
        for model in every:
            if model in linked:
                continue
            targets = {f.related_model for f in model._meta.get_fields() if f.many_to_one or f.one_to_one}
            if targets & linked:
                linked.add(model)
                grew = True
    return sorted(linked, key=lambda m: m._meta.label)


def superuser_client(world: access_world.World) -> Client:
    """The administrator with every permission the admin knows: a 404 is then "not there", never "not allowed"."""
    administrator = world.people["admin"]
    assert administrator is not None
    administrator.is_superuser = True
    administrator.save()
    client = Client()
    client.force_login(administrator)
    return client


def test_no_case_linked_model_is_registered_in_the_admin() -> None:
    linked = case_linked_models()
    assert {Person, Event, CourtReport} <= set(linked)
    assert len(linked) > 15  # contacts, versions, plans, objectives, referrals, audit events...
    registered = [m._meta.label for m in linked if admin.site.is_registered(m)]
    assert registered == [], f"case records in the admin: {registered}"


def test_an_administrator_gets_404_and_no_name_on_every_case_linked_admin_url(everyone) -> None:
    world = access_world.build(everyone)
    client = superuser_client(world)
    restricted = Person.objects.get(crn="R000001")
    excluded = Person.objects.get(crn="E000001")
    paths = [
        f"/admin/cases/courtreport/add/?person={restricted.pk}",
        f"/admin/cases/event/add/?person={restricted.pk}",
        f"/admin/cases/event/add/?person={excluded.pk}",
        f"/admin/cases/person/{restricted.pk}/change/",
        "/admin/autocomplete/?app_label=cases&model_name=courtreport&field_name=person&term=Mar",
        "/admin/autocomplete/?app_label=cases&model_name=accessrule&field_name=person&term=Mar",
    ]
    for model in case_linked_models():
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        row = model._default_manager.order_by("pk").first()
        pk = row.pk if row is not None else 1
        paths += [
            base,
            f"{base}?q=Marrowby",
            f"{base}add/",
            f"{base}add/?person={restricted.pk}",
            f"{base}{pk}/change/",
            f"{base}{pk}/history/",
            f"{base}{pk}/delete/",
        ]
    for path in paths:
        response = client.get(path)
        body = response.content.decode()
        if path.startswith("/admin/autocomplete/"):
            assert response.status_code in (403, 404), (path, response.status_code)
        else:
            assert response.status_code == 404, (path, response.status_code)
        for name in NAMES:
            assert name not in body, f"{path} shows {name}"
        posted = client.post(path, {"person": str(restricted.pk), "staff": "1", "kind": "fast"})
        assert posted.status_code in (403, 404, 405), (path, posted.status_code)
    assert CourtReport.objects.filter(person=restricted).count() == 0


def test_the_admin_home_lists_no_case_records(everyone) -> None:
    world = access_world.build(everyone)
    client = superuser_client(world)
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    for listed in ["/admin/cases/person/", "/admin/cases/event/", "/admin/cases/courtreport/"]:
        assert listed not in page
    assert "/admin/cases/contacttype/" in page  # reference data stays
