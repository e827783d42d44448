"""The one way a wide table (or chart) is put on a page: inside a scroll region, so at 320 CSS pixels (1280 at
400%) the page itself never scrolls sideways (WCAG 1.4.10) and the table keeps its two dimensions.

    {% load tables %}
    {% scroll_region "cases-caption" %}
      <table class="govuk-table"><caption id="cases-caption" ...>...</caption>...</table>
    {% endscroll_region %}

The region is focusable, so a keyboard user can reach it with Tab and scroll it with the arrow keys, and it is
named by the element whose id is given (the table's caption, or the chart's title)."""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


class ScrollRegionNode(template.Node):
    def __init__(self, labelledby: FilterExpression, nodelist: NodeList) -> None:
        self.labelledby = labelledby
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        return render_to_string(
            "includes/scroll_region.html",
            {"labelledby": self.labelledby.resolve(context), "content": self.nodelist.render(context)},
        )


@register.tag
def scroll_region(parser: Parser, token: Token) -> ScrollRegionNode:
    """`{% scroll_region "label-id" %}...{% endscroll_region %}`: the content in a focusable, labelled region."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the id of the element that names it")
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(parser.compile_filter(bits[1]), nodelist)
