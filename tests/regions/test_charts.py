"""The bar charts (regions/charts.py) carry their axes, each bar's month and value, and the target line, named;
the same numbers are in the table beside them (issue 19, "Readable")."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from cases.contacts import services as contacts
from cases.models import ContactType, Event, Outcome
from cases.reference import ensure_contact_types
from cases.standards import ledger
from regions import workload
from regions.charts import bar_chart
from regions.performance import rollups
from tests.factories import book, case_for


def _chart(html: str) -> ET.Element:
    """The page's one chart, parsed, checked to sit in a scroll region named by its title."""
    found = re.search(
        r'<div class="app-table-scroll" tabindex="0" role="region" aria-labelledby="([^"]+)">\s*'
        r'(<svg class="app-chart".*?</svg>)',
        html,
        re.S,
    )
    assert found is not None, "the chart is not in a scroll region"
    svg = ET.fromstring(found[2])  # noqa: S314 (the page's own markup)
    title = svg.find("title")
    assert title is not None
    assert title.get("id") == found[1]
    return svg


def _texts(svg: ET.Element, testid: str) -> list[str]:
    return [(e.text or "").strip() for e in svg.iter() if e.get("data-testid") == testid]


def _one(svg: ET.Element, testid: str) -> ET.Element:
    (element,) = [e for e in svg.iter() if e.get("data-testid") == testid]
    return element


def test_a_chart_puts_each_value_over_its_bar_the_months_under_them_and_the_target_across() -> None:
    chart = bar_chart(
        [0.5, None, 1.0],
        labels=["Jan", "Feb", "Mar"],
        at_least=1.0,
        limit=0.9,
        limit_label="Target 90%",
        fmt=lambda v: f"{v * 100:.0f}%",
        x_title="Month",
        y_title="Per cent",
        plot_height=100,
    )
    assert [(b.label, b.value) for b in chart.bars] == [("Jan", "50%"), ("Feb", ""), ("Mar", "100%")]
    assert [b.height for b in chart.bars] == [50, 0, 100]
    assert chart.limit == chart.baseline - 90
    assert [(t.y, t.label) for t in chart.ticks] == [
        (chart.baseline, "0%"),
        (chart.baseline - 50, "50%"),
        (chart.baseline - 100, "100%"),
    ]
    assert chart.bars[0].centre < chart.bars[1].centre < chart.bars[2].centre < chart.right < chart.width


@pytest.mark.django_db
def test_the_performance_trend_chart_shows_its_axes_values_and_target(client: Client, officer, pdu_head) -> None:
    ensure_contact_types(ContactType)
    events = [case_for(officer, crn=crn) for crn in ("T000001", "T000002", "T000003")]
    Event.objects.filter(pk__in=[e.pk for e in events]).update(sentence_date=date(2026, 1, 5))
    ledger.refresh_events([e.pk for e in events])
    seen = book(
        officer, events[0], ContactType.objects.get(code="initial_appointment"), datetime(2026, 1, 7, 10, tzinfo=UTC)
    )
    contacts.record_outcome(contact=seen, user=officer.user, outcome=Outcome.ATTENDED)  # 1 of 3 on time
    rollups.refresh(rollups.month_starts(date(2026, 1, 1), date(2026, 1, 1)))
    client.force_login(pdu_head.user)

    page = client.get(f"/performance/pdu/{officer.pdu.code}/?period=month&to=2026-01&measure=initial_contact_order")

    assert page.status_code == 200
    svg = _chart(page.content.decode())
    assert _texts(svg, "x-title") == ["Month"]
    assert _texts(svg, "y-title") == ["Per cent"]
    assert _texts(svg, "tick") == ["0%", "50%", "100%"]
    assert _texts(svg, "label") == ["Jan"]
    assert _texts(svg, "value") == ["33%"]  # the table beside has 33.3%, 1 of 3
    assert _texts(svg, "target-label") == ["Target 90.0%"]
    line, ticks = _one(svg, "target-line"), [e for e in svg.iter("line") if e.get("class") == "app-chart__grid"]
    top, bottom = float(ticks[-1].get("y1", 0)), float(ticks[0].get("y1", 0))
    assert float(line.get("y1", 0)) == pytest.approx(bottom - 0.9 * (bottom - top), abs=1)
    assert "33.3%" in _one_table(page.content.decode(), "trend")


def _one_table(html: str, testid: str) -> str:
    found = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert found is not None
    return found[0]


@pytest.mark.django_db
@pytest.mark.today("2026-11-25")
def test_the_team_capacity_chart_shows_its_axes_values_and_the_full_capacity_line(client: Client, spo, officer) -> None:
    case_for(officer)
    workload.backfill(2, date(2026, 11, 25))
    client.force_login(spo.user)

    html = client.get("/team/").content.decode()

    svg = _chart(html)
    months = _texts(svg, "label")
    assert months == ["Sep", "Oct", "Nov"]  # two months back and this one
    values = _texts(svg, "value")
    assert len(values) == 3
    assert all(v.endswith("%") for v in values)
    for value in values:  # the same numbers as the table beside
        assert f">{value}</td>" in _one_table(html, "history")
    assert _texts(svg, "x-title") == ["Month end"]
    assert _texts(svg, "y-title") == ["Capacity"]
    assert _texts(svg, "target-label") == ["Full capacity 100%"]
    assert _one(svg, "target-line").get("class") == "app-chart__limit"
