"""The page of teams and officers who may need support (outliers.py), for a PDU or a region."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from probation.access import role_required
from probation.roles import Role
from regions.performance import league, outliers
from regions.performance.measures import MEASURES
from regions.performance.views import _scope, chosen_period, offered


@role_required(Role.NATIONAL, Role.REGIONAL_DIRECTOR, Role.PDU_HEAD)
def performance_outliers(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """Teams and officers who may need support (outliers.py): a PDU's or a region's units clearly below their
    peers with the same kind of caseload on a measure, each with its counts, interval, trend and cases behind
    it; only for a unit the viewer may see (the same access as its performance page)."""
    if level not in ("region", "pdu"):
        raise Http404("Outliers are shown for a PDU or a region")
    title, _units, within = _scope(request, level, code)
    chosen = chosen_period(request)
    choices = offered("officer")
    measure = next((m for m in choices if m.name == request.GET.get("measure")), MEASURES["initial_contact_order"])
    teams, officers = outliers.outliers(measure, chosen, **within)

    def shown(unit: outliers.Unit) -> dict[str, Any]:
        return {
            "unit": unit,
            "value": measure.display(measure.value(unit.numerator, unit.denominator)),
            "interval": league.display_interval(measure, league.interval(measure, unit.numerator, unit.denominator)),
            "peer_value": measure.display(measure.value(unit.peer_numerator, unit.peer_denominator)),
            "trend": [
                {"month": month, "numerator": n, "denominator": d, "value": measure.display(measure.value(n, d))}
                for month, n, d in unit.trend
            ],
        }

    back = reverse(f"regions:performance-{level}", args=[code])
    return render(
        request,
        "regions/performance_outliers.html",
        {
            "level": level,
            "code": code,
            "title": title,
            "period": chosen,
            "measure": measure,
            "measures": choices,
            "teams": [shown(u) for u in teams],
            "officers": [shown(u) for u in officers],
            "back": back,
            "mix_share": round(outliers.MIX_SHARE * 100),
            "months": outliers.TREND_MONTHS,
            "period_kinds": [("month", "Month"), ("quarter", "Quarter"), ("year", "12 months"), ("custom", "Custom")],
            "period_kind": request.GET.get("period", "year"),
        },
    )
