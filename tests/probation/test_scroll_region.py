"""{% scroll_region %}: the one way a wide table or chart goes on a page (probation/templatetags/tables.py)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def test_it_wraps_its_content_in_a_focusable_region_named_by_the_given_id() -> None:
    html = Template(
        '{% load tables %}{% scroll_region key %}<table><caption id="{{ key }}">{{ name }}</caption></table>'
        "{% endscroll_region %}"
    ).render(Context({"key": "cases-caption", "name": "<b>Cases</b>"}))

    assert html == (
        '<div class="app-table-scroll" tabindex="0" role="region" aria-labelledby="cases-caption">'
        '<table><caption id="cases-caption">&lt;b&gt;Cases&lt;/b&gt;</caption></table></div>\n'
    )


def test_it_escapes_the_id_and_insists_on_one() -> None:
    html = Template("{% load tables %}{% scroll_region key %}x{% endscroll_region %}").render(Context({"key": 'a"b'}))
    assert 'aria-labelledby="a&quot;b"' in html
    with pytest.raises(TemplateSyntaxError):
        Template("{% load tables %}{% scroll_region %}x{% endscroll_region %}")
