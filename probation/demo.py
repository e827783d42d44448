"""A believable demo organisation: two regions, four PDUs with two teams each, officers of both grades with
realistic caseloads, an SPO per team, a head per PDU, a director per region, and one login per role (plus the
SPO of a receiving PDU, with a transfer waiting for them). Loading it twice changes nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
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
    note: str = ""  # what to try with this login, printed by `load_demo`


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("officer", Role.OFFICER, "Olivia Officer", StaffMember.Grade.PO, "NE-TYN-T1"),
    DemoLogin("spo", Role.SPO, "Sanjay Senior", StaffMember.Grade.SPO, "NE-TYN-T1"),
    DemoLogin("pdu_head", Role.PDU_HEAD, "Priya Head", StaffMember.Grade.HEAD_OF_PDU, "NE-TYN"),
    DemoLogin("director", Role.REGIONAL_DIRECTOR, "Dara Director", StaffMember.Grade.REGIONAL_DIRECTOR, "NE"),
    DemoLogin("national", Role.NATIONAL, "Nia National", StaffMember.Grade.NATIONAL, ""),
    DemoLogin("admin", Role.ADMIN, "Adam Admin", StaffMember.Grade.ADMIN, ""),
    # Last, so the staff codes of the logins above (DEMO01 to DEMO06) stay what they were.
    DemoLogin(
        "spo_leeds",
        Role.SPO,
        "Leah Receiver",
        StaffMember.Grade.SPO,
        "YH-LDS-T1",
        "a transfer from Tyneside waits for you",
    ),
)

ORGANISATION = {
    ("NE", "North East"): {
        ("NE-TYN", "Tyneside"): [("NE-TYN-T1", "Tyneside Team 1"), ("NE-TYN-T2", "Tyneside Team 2")],
        ("NE-DUR", "County Durham"): [("NE-DUR-T1", "Durham Team 1"), ("NE-DUR-T2", "Durham Team 2")],
    },
    ("YH", "Yorkshire and the Humber"): {
        ("YH-LDS", "Leeds"): [("YH-LDS-T1", "Leeds Team 1"), ("YH-LDS-T2", "Leeds Team 2")],
        ("YH-SHF", "Sheffield"): [("YH-SHF-T1", "Sheffield Team 1"), ("YH-SHF-T2", "Sheffield Team 2")],
    },
}

# Each PDU's office, the address on its teams' letters (a made-up street in the real town).
OFFICES = {
    "NE-TYN": "Probation Office\n12 Pilgrim Street\nNewcastle upon Tyne\nNE1 6QF",
    "NE-DUR": "Probation Office\n4 Old Elvet\nDurham\nDH1 3HL",
    "YH-LDS": "Probation Office\n31 Park Square East\nLeeds\nLS1 2NE",
    "YH-SHF": "Probation Office\n8 Castle Street\nSheffield\nS3 8LT",
}

PO, PSO, SPO = StaffMember.Grade.PO, StaffMember.Grade.PSO, StaffMember.Grade.SPO
HEAD, DIRECTOR = StaffMember.Grade.HEAD_OF_PDU, StaffMember.Grade.REGIONAL_DIRECTOR
FULL_TIME = Decimal("37")

# Staff without a login, so every team has officers of both grades, an SPO, and every PDU and region its head.
COLLEAGUES = (
    ("NE101", "Tom Hardy", PO, "NE-TYN-T1", FULL_TIME),
    ("NE102", "Amira Khan", PSO, "NE-TYN-T1", Decimal("30")),
    ("NE103", "Gareth Lewis", PO, "NE-TYN-T2", FULL_TIME),
    ("NE104", "Chloe Martin", PO, "NE-DUR-T1", Decimal("22.5")),
    ("NE105", "Hannah Robson", PO, "NE-TYN-T2", FULL_TIME),
    ("NE106", "Kieran Walsh", PSO, "NE-TYN-T2", FULL_TIME),
    ("NE107", "Fiona Dodds", SPO, "NE-TYN-T2", FULL_TIME),
    ("NE108", "Mark Bainbridge", PO, "NE-DUR-T1", FULL_TIME),
    ("NE109", "Leanne Shaw", PSO, "NE-DUR-T1", FULL_TIME),
    ("NE110", "Graham Pearson", SPO, "NE-DUR-T1", FULL_TIME),
    ("NE111", "Rachel Carr", PO, "NE-DUR-T2", FULL_TIME),
    ("NE112", "Steven Hodgson", PSO, "NE-DUR-T2", FULL_TIME),
    ("NE113", "Julie Atkinson", SPO, "NE-DUR-T2", FULL_TIME),
    ("NE114", "Michael Stokoe", HEAD, "NE-DUR", FULL_TIME),
    ("YH101", "Ben Okafor", PO, "YH-LDS-T1", FULL_TIME),
    ("YH102", "Sophie Ahmed", PO, "YH-LDS-T1", FULL_TIME),
    ("YH103", "Ryan Mitchell", PSO, "YH-LDS-T1", FULL_TIME),
    ("YH104", "Daniel Firth", PO, "YH-LDS-T2", FULL_TIME),
    ("YH105", "Aisha Begum", PSO, "YH-LDS-T2", Decimal("30")),
    ("YH106", "Paul Whitaker", SPO, "YH-LDS-T2", FULL_TIME),
    ("YH107", "Helen Marsden", HEAD, "YH-LDS", FULL_TIME),
    ("YH108", "Joe Barraclough", PO, "YH-SHF-T1", FULL_TIME),
    ("YH109", "Kirsty Hague", PSO, "YH-SHF-T1", FULL_TIME),
    ("YH110", "Mohammed Iqbal", SPO, "YH-SHF-T1", FULL_TIME),
    ("YH111", "Emily Sykes", PO, "YH-SHF-T2", FULL_TIME),
    ("YH112", "Owen Price", PO, "YH-SHF-T2", Decimal("30")),
    ("YH113", "Claire Booth", SPO, "YH-SHF-T2", FULL_TIME),
    ("YH114", "Nigel Walton", HEAD, "YH-SHF", FULL_TIME),
    ("YH115", "Imran Rashid", DIRECTOR, "YH", FULL_TIME),
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
            office = OFFICES[pdu_code]
            pdu, _ = PDU.objects.update_or_create(
                code=pdu_code, defaults={"name": pdu_name, "region": region, "office_address": office}
            )
            for team_code, team_name in teams:
                Team.objects.update_or_create(
                    code=team_code, defaults={"name": team_name, "pdu": pdu, "office_address": office}
                )

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
    load_caseloads()
    load_services()
    load_delivery()
    planner_statistics()  # bulk-written tables: without statistics PostgreSQL plans the ledger's reads as empty
    ending.end_completed()  # the sentences whose end date has passed end, as the nightly job would end them
    ledger.rebuild()  # the demo is written in bulk: derive its National Standards obligations once
    ledger.sweep()  # and raise today's flags, as the nightly job would
    load_reductions()
    today = timezone.localdate()
    workload.backfill(12, today)  # the team dashboard's 12 months of capacity history
    # as nightly; from the first of the month a year ago (29 February has no day a year before it)
    rollups.refresh(rollups.month_starts(today.replace(year=today.year - 1, day=1), today))
    planner_statistics()
    return list(DEMO_LOGINS)


def planner_statistics() -> None:
    """ANALYZE after a bulk load (PostgreSQL). Autovacuum would get there within a minute, but until it does the
    planner takes the new tables for empty and picks nested loops that turn a 1 ms page into a 40 s one (the
    SPO's National Standards list on a fresh demo)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def where(login: DemoLogin) -> str:
    """Where a demo login sits, for the list `make run` prints: "Tyneside Team 1, Tyneside PDU, North East"."""
    if not login.unit:
        return "England and Wales"
    fields = _unit_fields(login.unit)
    team, pdu, region = fields["team"], fields["pdu"], fields["region"]
    if isinstance(team, Team):
        return f"{team.name}, {team.pdu.name} PDU, {team.pdu.region.name}"
    if isinstance(pdu, PDU):
        return f"{pdu.name} PDU, {pdu.region.name}"
    return str(region)


def load_reductions() -> None:
    """A trainee on the officer team, so the dashboard shows a reduction at work."""
    trainee = StaffMember.objects.filter(grade=StaffMember.Grade.PSO, team__isnull=False).order_by("code").first()
    if trainee is not None:
        Reduction.objects.get_or_create(
            staff=trainee,
            kind=Reduction.Kind.TRAINEE,
            defaults={"hours": Decimal("7.5"), "starts_on": timezone.localdate().replace(month=1, day=1)},
        )
