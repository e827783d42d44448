"""No personal data in the logs: a whole working scenario, errors included, logged at DEBUG through the
service's own formatter, mentions no one's name, date of birth, address or notes."""

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.test import Client

from cases.models import AccessRule, Address, Person
from probation.log_redaction import RedactingFormatter, redact
from tests.factories import PASSWORD, case_for

SECRETS = ["Zebedee", "Quillfeather", "1987-03-14", "14 March 1987", "Larkspur Close", "NE99 9ZZ", "panic attacks"]


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """Everything logged, at every level, formatted as production formats it."""
    configured = [h.formatter for h in logging.getLogger().handlers if isinstance(h.formatter, RedactingFormatter)]
    assert configured, "the console handler uses the redacting formatter"
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(configured[0])
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield output
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_a_working_day_with_errors_logs_no_personal_data(officer, colleague, contact_types) -> None:
    event = case_for(officer, crn="X777777", first_name="Zebedee", last_name="Quillfeather")
    person = event.person
    person.date_of_birth = "1987-03-14"
    person.save()
    Address.objects.create(
        person=person, lines="3 Larkspur Close\nGateshead", postcode="NE99 9ZZ", from_date="2025-01-01"
    )
    hidden = case_for(colleague, crn="X888888", first_name="Zebedee", last_name="Quillfeather").person
    AccessRule.objects.create(person=hidden, staff=officer, kind=AccessRule.Kind.EXCLUSION)

    with captured_logs() as log_output:
        client = Client()
        assert client.post("/sign-in/", {"username": "officer", "password": "wrong"}).status_code == 200
        assert client.post("/sign-in/", {"username": "officer", "password": PASSWORD}).status_code == 302
        assert client.get("/cases/search/?q=Quillfeather").status_code == 200
        assert client.get("/cases/X777777/").status_code == 200
        booking = {
            "type": contact_types["office_visit"].pk,
            "day_0": "7",
            "day_1": "1",
            "day_2": "2026",
            "at": "10:00",
            "staff": officer.pk,
            "notes": "Disclosed panic attacks",
        }
        assert client.post("/cases/X777777/events/1/appointments/new/", booking).status_code == 302
        assert client.post("/cases/X777777/events/1/appointments/new/", booking | {"at": "25:00"}).status_code == 200
        assert client.get("/cases/X888888/").status_code == 403  # excluded: logged as a warning
        assert client.get("/cases/X999999/").status_code == 404  # logged as a warning
        assert client.get("/team/").status_code == 403
        try:  # what a 500 from a refused row logs: PostgreSQL quotes the row's values
            with transaction.atomic():
                Person.objects.create(
                    crn=person.crn, first_name=person.first_name, last_name=person.last_name, pdu=person.pdu
                )
        except IntegrityError:
            logging.getLogger("django.request").exception("Internal Server Error: /cases/new/")
    logged = log_output.getvalue()
    assert "Forbidden" in logged
    assert "Not Found: /cases/X999999/" in logged
    assert "Internal Server Error" in logged
    assert "IntegrityError" in logged
    assert [secret for secret in SECRETS if secret in logged] == [], logged
    assert PASSWORD not in logged


def test_database_errors_keep_what_went_wrong_and_drop_the_values() -> None:
    text = (
        'duplicate key value violates unique constraint "person_crn"\n'
        "DETAIL:  Key (crn)=(X777777) already exists.\n"
        'new row for relation "cases_person" violates check constraint "x"\n'
        "Failing row contains (1, X7, Zebedee, Quillfeather, 1987-03-14)."
    )
    redacted = redact(text)
    assert 'violates unique constraint "person_crn"' in redacted
    assert "DETAIL:  [values withheld]" in redacted
    assert "Zebedee" not in redacted
    assert "X777777" not in redacted
    assert (
        redact("Key (first_name, last_name)=(Zeb (Z), Quill) exists")
        == "Key (first_name, last_name)=([withheld]) exists"
    )


def test_sql_and_its_parameters_are_never_logged_whatever_the_level() -> None:
    assert logging.getLogger("django.db.backends").getEffectiveLevel() >= logging.WARNING
