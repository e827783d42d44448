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
