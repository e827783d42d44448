"""A small, believable demo organisation with one login per role. Loading it twice changes nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from cases.demo import load_caseloads
from cases.ending import services as ending
from cases.standards import ledger
from interventions.demo import load_delivery, load_services
from probation.roles import Role
from regions import workload
from regions.models import PDU, Reduction, Region, StaffMember, Team
from regions.performance import rollups

DEMO_PASSWORD = "probation-demo"  # noqa: S105 - a published demo login, never used outside the quick-start


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    name: str
    grade: str
    unit: str  # the code of the team, PDU or region they sit in ("" for national)


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("officer", Role.OFFICER, "Olivia Officer", StaffMember.Grade.PO, "NE-TYN-T1"),
    DemoLogin("spo", Role.SPO, "Sanjay Senior", StaffMember.Grade.SPO, "NE-TYN-T1"),
    DemoLogin("pdu_head", Role.PDU_HEAD, "Priya Head", StaffMember.Grade.HEAD_OF_PDU, "NE-TYN"),
    DemoLogin("director", Role.REGIONAL_DIRECTOR, "Dara Director", StaffMember.Grade.REGIONAL_DIRECTOR, "NE"),
    DemoLogin("national", Role.NATIONAL, "Nia National", StaffMember.Grade.NATIONAL, ""),
    DemoLogin("admin", Role.ADMIN, "Adam Admin", StaffMember.Grade.ADMIN, ""),
)

ORGANISATION = {
    ("NE", "North East"): {
        ("NE-TYN", "Tyneside"): [("NE-TYN-T1", "Tyneside Team 1"), ("NE-TYN-T2", "Tyneside Team 2")],
        ("NE-DUR", "County Durham"): [("NE-DUR-T1", "Durham Team 1")],
    },
    ("YH", "Yorkshire and the Humber"): {
        ("YH-LDS", "Leeds"): [("YH-LDS-T1", "Leeds Team 1")],
    },
}

# Officers without a login, so the team pages have people on them.
COLLEAGUES = (
    ("NE101", "Tom Hardy", StaffMember.Grade.PO, "NE-TYN-T1", Decimal("37")),
    ("NE102", "Amira Khan", StaffMember.Grade.PSO, "NE-TYN-T1", Decimal("30")),
    ("NE103", "Gareth Lewis", StaffMember.Grade.PO, "NE-TYN-T2", Decimal("37")),
    ("NE104", "Chloe Martin", StaffMember.Grade.PO, "NE-DUR-T1", Decimal("22.5")),
    ("YH101", "Ben Okafor", StaffMember.Grade.PO, "YH-LDS-T1", Decimal("37")),
)


def _unit_fields(code: str) -> dict[str, object]:
    if not code:
        return {"team": None, "pdu": None, "region": None}
    if team := Team.objects.filter(code=code).first():
        return {"team": team, "pdu": None, "region": None}
    if pdu := PDU.objects.filter(code=code).first():
        return {"team": None, "pdu": pdu, "region": None}
    return {"team": None, "pdu": None, "region": Region.objects.get(code=code)}


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    for (region_code, region_name), pdus in ORGANISATION.items():
        region, _ = Region.objects.update_or_create(code=region_code, defaults={"name": region_name})
        for (pdu_code, pdu_name), teams in pdus.items():
            pdu, _ = PDU.objects.update_or_create(code=pdu_code, defaults={"name": pdu_name, "region": region})
            for team_code, team_name in teams:
                Team.objects.update_or_create(code=team_code, defaults={"name": team_name, "pdu": pdu})

    for code, name, grade, team_code, hours in COLLEAGUES:
        StaffMember.objects.update_or_create(
            code=code,
            defaults={"name": name, "grade": grade, "contracted_hours": hours, **_unit_fields(team_code)},
        )

    for number, login in enumerate(DEMO_LOGINS, start=1):
        first, last = login.name.split(" ", 1)
        user, _ = User.objects.get_or_create(username=login.username)
        user.first_name, user.last_name = first, last
        user.email = f"{login.username}@probation.example"
        user.is_staff = user.is_superuser = login.role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=login.role)[0]])
        StaffMember.objects.update_or_create(
            code=f"DEMO{number:02d}",
            defaults={"name": login.name, "grade": login.grade, "user": user, **_unit_fields(login.unit)},
        )
    load_caseloads("NE-TYN")
    load_services()
    load_delivery()
    ending.end_completed()  # the sentences whose end date has passed end, as the nightly job would end them
    ledger.rebuild()  # the demo is written in bulk: derive its National Standards obligations once
    ledger.sweep()  # and raise today's flags, as the nightly job would
    load_reductions()
    today = timezone.localdate()
    workload.backfill(12, today)  # the team dashboard's 12 months of capacity history
    # as nightly; from the first of the month a year ago (29 February has no day a year before it)
    rollups.refresh(rollups.month_starts(today.replace(year=today.year - 1, day=1), today))
    return list(DEMO_LOGINS)


def load_reductions() -> None:
    """A trainee on the officer team, so the dashboard shows a reduction at work."""
    trainee = StaffMember.objects.filter(grade=StaffMember.Grade.PSO, team__isnull=False).order_by("code").first()
    if trainee is not None:
        Reduction.objects.get_or_create(
            staff=trainee,
            kind=Reduction.Kind.TRAINEE,
            defaults={"hours": Decimal("7.5"), "starts_on": timezone.localdate().replace(month=1, day=1)},
        )
