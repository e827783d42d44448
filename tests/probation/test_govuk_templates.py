"""The shared GOV.UK pieces every list and form page uses: pagination, and the "Error: " in the title."""

import re

from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory


def _pagination(page_number: int, pages: int = 50) -> str:
    page = Paginator(range(pages * 10), 10).get_page(page_number)
    request = RequestFactory().get("/", {"q": "smith", "sort": "-tier", "page": str(page_number)})
    return render_to_string("includes/pagination.html", {"page": page}, request=request)


def test_pagination_numbers_the_pages_and_marks_the_current_one_for_screen_readers() -> None:
    html = _pagination(25)
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(\d+)</a>', html)
    assert current == ["25"]
    assert 'href="?q=smith&amp;sort=-tier&amp;page=25" aria-label="Page 25" aria-current="page"' in html
    shown = re.findall(r'aria-label="Page (\d+)"', html)
    assert shown == ["1", "24", "25", "26", "50"]  # as GOV.UK shows them: 1 … 24 25 26 … 50
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'rel="prev"' in html
    assert 'rel="next"' in html


def test_pagination_has_no_previous_link_on_the_first_page_nor_any_for_a_single_page() -> None:
    first = _pagination(1)
    assert 'rel="prev"' not in first
    assert 'rel="next"' in first
    assert _pagination(1, pages=1).strip() == ""


class _NameForm(forms.Form):
    name = forms.CharField()


def _prefix(**context: object) -> str:
    return Template("{% load govuk %}{% error_title_prefix %}").render(Context(context))


def test_the_title_starts_with_error_while_any_form_on_the_page_has_errors() -> None:
    assert _prefix(form=_NameForm({"name": ""})) == "Error: "
    assert _prefix(form=_NameForm(), review_form=_NameForm({})) == "Error: "  # a page's second form counts too


def test_the_title_has_no_error_for_a_blank_or_valid_form() -> None:
    assert _prefix(form=_NameForm()) == ""  # not yet submitted: not validated, so no errors
    assert _prefix(form=_NameForm({"name": "Sam"})) == ""
    assert _prefix() == ""
