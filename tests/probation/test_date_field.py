"""The one GOV.UK date field: a date that records what happened is today or earlier, at the edge of today."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from probation.govuk_forms import DateField


@pytest.mark.today("2026-12-31")
@pytest.mark.parametrize(
    ("entered", "expected"),
    [
        (["31", "12", "2026"], date(2026, 12, 31)),  # today, the last day of the year
        (["30", "12", "2026"], date(2026, 12, 30)),
    ],
)
def test_a_past_date_may_be_today(entered: list[str], expected: date) -> None:
    assert DateField(label="Date of release", past=True).clean(entered) == expected


@pytest.mark.today("2026-12-31")
def test_a_past_date_refuses_tomorrow_and_names_the_date() -> None:
    field = DateField(label="Date of release", past=True, called="The release date")
    with pytest.raises(ValidationError, match="The release date must be today or in the past"):
        field.clean(["1", "1", "2027"])
    with pytest.raises(ValidationError, match="The sentence date must be today or in the past"):
        DateField(label="Sentence date", past=True).clean(["1", "1", "2027"])


@pytest.mark.today("2028-02-29")
def test_a_date_field_without_past_takes_a_future_date() -> None:
    assert DateField(label="Target date").clean(["1", "3", "2028"]) == date(2028, 3, 1)
    assert DateField(label="Date", past=True).clean(["29", "2", "2028"]) == date(2028, 2, 29)


def test_a_date_before_the_business_day_calendar_is_refused_unless_it_is_a_birth_date() -> None:
    """A clock cannot start before the calendar table (issue 20, "Also"): it would get a wrong deadline."""
    from cases.standards.calendar import FIRST_YEAR
    from probation.govuk_forms import EARLIEST

    assert date(FIRST_YEAR, 1, 1) == EARLIEST
    field = DateField(label="Sentence date", past=True)
    assert field.clean(["1", "1", "2000"]) == date(2000, 1, 1)
    with pytest.raises(ValidationError, match="The sentence date must be on or after 1 January 2000"):
        field.clean(["31", "12", "1999"])
    assert DateField(label="Date of birth", earliest=None).clean(["27", "3", "1950"]) == date(1950, 3, 27)


def test_the_new_person_form_takes_a_birth_date_before_2000(db) -> None:
    from cases.record.forms import NewPersonForm

    data = {"date_of_birth_0": "1", "date_of_birth_1": "2", "date_of_birth_2": "1951"}
    form = NewPersonForm(data)
    form.is_valid()
    assert "date_of_birth" not in form.errors
    form = NewPersonForm(data | {"sentence_date_0": "1", "sentence_date_1": "2", "sentence_date_2": "1999"})
    form.is_valid()
    assert form.errors["sentence_date"] == ["The sentence date must be on or after 1 January 2000"]
