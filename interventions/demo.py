"""Demo services: a few in the North East and some national ones. Loading twice changes nothing."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from cases.calendar_months import add_months
from cases.models import Contact, Event, Outcome, Requirement
from interventions.models import Programme, Referral, Service, ServiceArea, UpwReview, UpwSession
from regions.models import Region

SERVICES = [
    ("Tyneside Housing Options", "Newcastle City Council", ServiceArea.ACCOMMODATION, "NE"),
    ("Supported housing pathway", "Home Group", ServiceArea.ACCOMMODATION, "NE"),
    ("Routes into work", "North East Futures", ServiceArea.ETE, "NE"),
    ("Debt and benefits advice", "Citizens Advice", ServiceArea.FINANCE, None),
    ("Drug and alcohol recovery service", "Change Grow Live", ServiceArea.SUBSTANCE_MISUSE, "NE"),
    ("Peer mentoring", "St Giles Trust", ServiceArea.MENTORING, None),
    ("Women's centre", "Changing Lives", ServiceArea.WOMEN, "NE"),
]


def load_services() -> None:
    for name, provider, area, region_code in SERVICES:
        region = Region.objects.filter(code=region_code).first() if region_code else None
        Service.objects.get_or_create(name=name, provider=provider, region=region, defaults={"area": area})


def load_delivery() -> None:
    """Unpaid Work sessions, programmes at every stage, RAR days and referrals for the demo caseloads, written
    in bulk; once only."""
    if UpwSession.objects.exists() or Programme.objects.exists():
        return
    rng = random.Random(2027)  # noqa: S311 - repeatable demo data, not security
    today = timezone.localdate()
    requirements = Requirement.objects.filter(event__person__crn__startswith="D", event__terminated_on__isnull=True)
    sessions, programmes, reviews = [], [], []
    for requirement in requirements.filter(type=Requirement.Type.UNPAID_WORK).select_related("event"):
        event = requirement.event
        day = event.sentence_date + timedelta(days=rng.randint(5, 25) if rng.random() < 0.9 else rng.randint(26, 40))
        every = timedelta(days=rng.choice([7, 7, 14, 21]))  # some will not finish in 12 months
        left = Decimal(requirement.hours or 0)
        last = min(today, event.expected_end_date or today)
        review_due = add_months(event.sentence_date, 6)
        while day < last and left > 0:
            if day >= review_due and review_due <= today:  # hours not complete at six months: reviewed
                if rng.random() < 0.9:
                    reviewed = review_due - timedelta(days=rng.randint(0, 10))
                    reviews.append(UpwReview(requirement=requirement, reviewed_on=reviewed, notes=UPW_REVIEW))
                review_due = date.max
            if rng.random() < 0.08:
                sessions.append(_session(requirement, day, UpwSession.Status.STOOD_DOWN, reason="Supervisor ill"))
            else:
                hours = min(Decimal(7), left)
                ete = Decimal(1) if rng.random() < 0.1 and hours > 1 else Decimal(0)
                sessions.append(_session(requirement, day, UpwSession.Status.ATTENDED, hours - ete, ete))
                left -= hours
            day += every
    UpwSession.objects.bulk_create(sessions)
    UpwReview.objects.bulk_create(reviews)
    for requirement in requirements.filter(type=Requirement.Type.ACCREDITED_PROGRAMME).select_related("event"):
        referred = requirement.event.sentence_date + timedelta(days=rng.randint(3, 20))
        programme = Programme(requirement=requirement, referred_on=min(referred, today))
        stage = rng.random()
        if stage > 0.2 and referred + timedelta(days=14) < today:
            programme.eligibility, programme.eligibility_on = Programme.Eligibility.ELIGIBLE, referred + timedelta(14)
            if stage > 0.4 and referred + timedelta(days=60) < today:
                programme.started_on = referred + timedelta(days=60)
                if stage > 0.85 and referred + timedelta(days=180) < today:
                    programme.ended_on, programme.outcome = referred + timedelta(180), Programme.Outcome.COMPLETED
        programmes.append(programme)
    Programme.objects.bulk_create(programmes)
    rar_events = requirements.filter(type=Requirement.Type.RAR).values("event_id")
    Contact.objects.filter(event__in=rar_events, type__code="office_visit", outcome=Outcome.ATTENDED).update(rar=True)
    services = {
        s.area: s for s in Service.objects.filter(region__isnull=True) | Service.objects.filter(region__code="NE")
    }
    settled = Event.objects.filter(sentence_date__lte=today - timedelta(days=30), terminated_on__isnull=True)
    events = list(settled.filter(person__crn__startswith="D").order_by("id")[:40])
    Referral.objects.bulk_create(
        Referral(
            event=event,
            service=services[rng.choice(sorted(services))],
            reason="Identified at assessment",
            status=status,
            referred_on=event.sentence_date + timedelta(days=10),
            status_on=event.sentence_date + timedelta(days=10 if status == Referral.Status.REFERRED else 24),
        )
        for event, status in zip(events, (rng.choice(list(Referral.Status)) for _ in events), strict=False)
    )


UPW_REVIEW = "Hours reviewed at six months: attendance steady; placement continues at the same rate."


def _session(
    requirement: Requirement,
    day: date,
    status: str,
    work: Decimal = Decimal(0),
    ete: Decimal = Decimal(0),
    reason: str = "",
) -> UpwSession:
    return UpwSession(
        requirement=requirement,
        date=day,
        project="Community garden",
        status=status,
        work_hours=work,
        ete_hours=ete,
        stand_down_reason=reason,
    )
