"""The hot forms drawn in Python (probation/gds_fields.py) are the same, to the byte, as crispy-forms-gds draws
them: each form in many states (blank, filled in, every choice, every error, initial values, markup typed into the
names the choices show) drawn both ways and compared, while crispy-forms-gds is installed. A form with a widget
gds_fields does not draw is drawn by crispy-forms-gds itself."""

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django import forms
from django.test import Client

from cases.contacts.forms import BookingForm, ContactLogFilterForm, LogContactForm, OutcomeForm
from cases.models import AbsenceReason, ContactType, Event, Outcome, Registration
from cases.models.person import TIER_CHOICES, Rosh
from cases.record.forms import CaseloadFilterForm
from probation import gds_fields
from probation.govuk_forms import GovukFormMixin
from regions.models import StaffMember
from tests.factories import StaffMemberFactory

pytestmark = pytest.mark.today("2026-11-25")

MARKUP = '<b>O\'Neill</b> & "Sons"'
DAY = {"day_0": "7", "day_1": "12", "day_2": "2026"}
# Every way a date can be wrong (and right): parts missing, not numbers, not a real date, a 2-digit year, too early.
DATES = [
    {"_0": "", "_1": "", "_2": ""},
    {"_0": "7", "_1": "", "_2": ""},
    {"_0": "", "_1": "12", "_2": ""},
    {"_0": "", "_1": "", "_2": "2026"},
    {"_0": "7", "_1": "12", "_2": ""},
    {"_0": "x", "_1": "12", "_2": "2026"},
    {"_0": "7", "_1": "x", "_2": "y"},
    {"_0": "31", "_1": "2", "_2": "2026"},
    {"_0": "7", "_1": "12", "_2": "26"},
    {"_0": "7", "_1": "12", "_2": "1999"},
    {"_0": " 7 ", "_1": "12", "_2": "2026"},
    {"_0": "7", "_1": "12", "_2": "2026"},
]


def crispy(form: forms.BaseForm) -> str:
    """The form as crispy-forms-gds draws it, with every label and hint escaped as EscapingFormHelper means them
    to be. A BoundField copies its field's help text when it is made, before the helper escapes it: a page whose
    error summary (or validation) made them first got the hint unescaped (an apostrophe as ' rather than &#x27;,
    the same text in the browser). gds_fields always escapes; here the BoundFields are made afresh."""
    form._bound_fields_cache.clear()  # type: ignore[attr-defined]
    return str(gds_fields.crispy_html(form))


def assert_same(make: Callable[..., forms.BaseForm], *args: Any, **kwargs: Any) -> None:
    """Two copies of the form, `make(*args, **kwargs)`, validated if bound (crispy changes the widgets it draws):
    the same markup both ways."""
    expected_form, drawn_form = make(*args, **kwargs), make(*args, **kwargs)
    for form in (expected_form, drawn_form):
        if form.is_bound:
            form.is_valid()
    assert all(gds_fields.drawable(drawn_form[name]) for name in drawn_form.fields)
    drawn = str(gds_fields.render_form(drawn_form))
    assert drawn == crispy(expected_form)


@pytest.fixture
def staff(officer: StaffMember) -> list[StaffMember]:
    marked = StaffMemberFactory.create(team=officer.team, name=MARKUP)
    return [officer, marked]


@pytest.fixture
def types(contact_types: dict[str, ContactType]) -> list[ContactType]:
    ContactType.objects.filter(code="other").update(name=f"Other {MARKUP}")
    return list(ContactType.objects.all())


def booking_states(staff: list[StaffMember], types: list[ContactType]) -> Iterator[dict[str, Any]]:
    filled = {"type": str(types[0].pk), **DAY, "at": "10:00", "staff": str(staff[0].pk)}
    yield {}
    yield filled
    yield filled | {"location": MARKUP, "notes": f"{MARKUP}\n  second line", "count": "3", "repeat": "weekly"}
    yield filled | {"notes": "   ", "location": "   "}
    yield filled | {"at": "25:00", "count": "x", "location": "x" * 201, "notes": "x" * 10_001}
    yield filled | {"count": "0", "repeat": "yearly", "enforceable": "maybe", "warned": "x" * 33}
    yield filled | {"count": "27", "type": "999999", "staff": "999999", "notes": "a\x00b"}
    yield filled | {"rar": "on", "confirm": "on", "warned": "abc"}
    for t in types:
        yield filled | {"type": str(t.pk)}
    for s in staff:
        yield filled | {"staff": str(s.pk)}
    for choice in ("", "yes", "no"):
        yield filled | {"enforceable": choice}
    for choice in ("", "weekly", "fortnightly", "monthly"):
        yield filled | {"repeat": choice}
    for parts in DATES:
        yield filled | {f"day{key}": value for key, value in parts.items()}


def test_the_booking_form_is_drawn_as_crispy_draws_it(staff, types) -> None:
    for has_rar in (True, False):
        for initial in ({}, {"staff": staff[1].pk, "rar": True}, {"staff": staff[0], "day": date(2026, 12, 7)}):
            assert_same(BookingForm, staff=staff, has_rar=has_rar, initial=initial)
        for data in booking_states(staff, types):
            assert_same(BookingForm, data, staff=staff, has_rar=has_rar)


def test_the_booking_form_asking_for_a_confirmation_is_drawn_as_crispy_draws_it(staff, types) -> None:
    data = {"type": str(types[0].pk), **DAY, "at": "10:00", "staff": str(staff[0].pk), "confirm": "on"}

    def warned() -> forms.BaseForm:
        form = BookingForm(data, staff=staff, has_rar=True)
        assert form.is_valid()
        assert not form.confirmed(["Sunday 6 December 2026 is a weekend day"])
        return form

    assert_same(warned)


def test_the_log_a_contact_form_is_drawn_as_crispy_draws_it(staff, types) -> None:
    unbooked = [t for t in types if t.code in {"office_visit", "home_visit", "telephone", "other", "email"}]
    filled = {"type": str(unbooked[0].pk), "day_0": "25", "day_1": "11", "day_2": "2026", "at": "09:15"}
    filled |= {"staff": str(staff[0].pk)}
    states: list[dict[str, Any]] = [
        {},
        filled | {"staff": str(staff[1].pk)},
        filled | {"at": "23:59", "outcome": "acceptable_absence", "notes": MARKUP, "sensitive": "on"},
        filled | {"type": "999999", "outcome": "nonsense", "absence_reason": "nonsense", "notes": "x" * 10_001},
        *(filled | {"type": str(t.pk)} for t in unbooked),
        *(filled | {"outcome": value} for value, _ in Outcome.choices),
        *(filled | {"absence_reason": value} for value, _ in AbsenceReason.choices),
        *(filled | {f"day{key}": value for key, value in parts.items()} for parts in DATES),
    ]
    assert_same(LogContactForm, staff=staff, initial={"staff": staff[0].pk})
    assert_same(LogContactForm, staff=staff, initial={"type": unbooked[1], "outcome": "attended"})
    for data in states:
        assert_same(LogContactForm, data, staff=staff)


def test_the_outcome_form_is_drawn_as_crispy_draws_it() -> None:
    assert_same(OutcomeForm)
    for data in [{}, {"outcome": "nonsense", "notes": "x" * 10_001}, *({"outcome": v} for v, _ in Outcome.choices)]:
        assert_same(OutcomeForm, data | {"notes": MARKUP, "sensitive": "on"})


def test_the_my_cases_filter_is_drawn_as_crispy_draws_it(db) -> None:
    choices = {
        "tier": TIER_CHOICES,
        "rosh": Rosh.choices,
        "sentence_type": Event.Type.choices,
        "flag": Registration.Type.choices,
    }
    assert_same(CaseloadFilterForm)
    assert_same(CaseloadFilterForm, {"name": MARKUP, "tier": "Z9", "rosh": "x", "flag": "x"})
    assert_same(CaseloadFilterForm, {"name": "x" * 101})
    for name, values in choices.items():
        for value, _ in values:
            assert_same(CaseloadFilterForm, {name: value, "name": "X123456"})


def test_the_contact_log_filter_is_drawn_as_crispy_draws_it(types) -> None:
    assert_same(ContactLogFilterForm)
    assert_same(ContactLogFilterForm, {"text": MARKUP, "type": "999999", "outcome": "x", "enforceable": "x"})
    assert_same(ContactLogFilterForm, {"text": "x" * 101})
    for t in types:
        assert_same(ContactLogFilterForm, {"type": str(t.pk)})
    for value, _ in [("none", ""), *Outcome.choices]:
        assert_same(ContactLogFilterForm, {"outcome": value})
    for value in ("yes", "no"):
        assert_same(ContactLogFilterForm, {"enforceable": value})
    for parts in DATES:
        for name in ("date_from", "date_to"):
            assert_same(ContactLogFilterForm, {f"{name}{key}": value for key, value in parts.items()})


class WithAFile(GovukFormMixin, forms.Form):
    name = forms.CharField()
    letter = forms.FileField()


def test_a_form_with_a_widget_not_drawn_here_is_drawn_by_crispy(db) -> None:
    assert not gds_fields.drawable(WithAFile()["letter"])
    assert str(gds_fields.render_form(WithAFile({}))) == crispy(WithAFile({}))
    assert 'type="file"' in gds_fields.render_form(WithAFile())


TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|submission)" value=")[^"]*"')


def page_both_ways(monkeypatch: pytest.MonkeyPatch, fetch: Callable[[], str]) -> tuple[str, str]:
    drawn = fetch()
    with monkeypatch.context() as patched:
        patched.setattr(gds_fields, "drawable", lambda field: False)
        by_crispy = fetch()
    return TOKENS.sub(r"\1\"", drawn), TOKENS.sub(r"\1\"", by_crispy)


def test_the_pages_are_the_same_but_for_the_escaped_apostrophe_of_a_hint(
    client: Client, officer, community_order, types, monkeypatch
) -> None:
    """The pages as served, drawn both ways: the same but for the hint crispy left unescaped (see crispy())."""
    client.force_login(officer.user)
    fetches: list[Callable[[], str]] = [
        lambda: client.get("/cases/X123456/events/1/appointments/new/").content.decode(),
        lambda: client.post("/cases/X123456/events/1/appointments/new/", {"at": "x"}).content.decode(),
        lambda: client.get("/cases/X123456/events/1/contacts/new/").content.decode(),
        lambda: client.post("/cases/X123456/events/1/contacts/new/", {"day_0": "1"}).content.decode(),
        lambda: client.get("/cases/X123456/contacts/", {"date_from_0": "1", "text": MARKUP}).content.decode(),
        lambda: client.get("/cases/X123456/contacts/").content.decode(),
        lambda: client.get("/cases/", {"tier": "B2", "name": "x" * 101}).content.decode(),
        lambda: client.get("/cases/").content.decode(),
    ]
    for fetch in fetches:
        drawn, by_crispy = page_both_ways(monkeypatch, fetch)
        assert "govuk-form-group" in drawn
        assert drawn == by_crispy.replace("address or 'Home'", "address or &#x27;Home&#x27;")
