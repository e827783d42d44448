"""One case with something behind every kind of URL, and the people the access matrix asks as.

Sam Example (X123456) is on a community order in Tyneside, supervised by `case_officer`. Alongside are a
colleague in the same team, Tyneside's SPO and head, the North East's director, and an SPO and director
of another region; national and admin staff; Zephyrine Vexley (E000001), the colleague's case, from
which `case_officer` is excluded; and Quillon Marrowby (R000001), restricted to the colleague alone. Sam has a
fast delivery report for court, by `case_officer`, a pre-sentence report uploaded (psr.pdf) and a warning letter
made from the case."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from cases.contacts import services as contacts
from cases.documents import services as documents
from cases.enforcement import services as enforcement
from cases.letters import services as letters
from cases.models import (
    AccessRule,
    Address,
    Circumstance,
    Contact,
    ContactType,
    CourtReport,
    Disability,
    Document,
    EnforcementAction,
    Outcome,
    OversightTask,
    PersonalContact,
    Requirement,
)
from cases.plans import services as plans
from cases.reference import ensure_contact_types
from cases.transfers import services as transfers
from interventions.models import Service
from interventions.referrals import services as referrals
from probation.roles import Role
from regions.models import StaffMember
from regions.performance.measures import MEASURES
from tests.factories import (
    RegistrationFactory,
    RequirementFactory,
    StaffMemberFactory,
    TeamFactory,
    book,
    case_for,
)

PERSONAS = (
    "anonymous",
    "case_officer",
    "other_officer",
    "spo_of_pdu",
    "spo_elsewhere",
    "pdu_head",
    "director",
    "director_elsewhere",
    "national",
    "admin",
)


@dataclass
class World:
    people: dict[str, User | None]
    parameters: dict[str, dict[str, str]]  # per URL name, the values of its parameters
    queries: dict[str, str]  # per URL name, a query string that makes the page show more
    excluded_officer: User
    excluded_crn: str


def user_of(staff: StaffMember) -> User:
    assert staff.user is not None
    return staff.user


def build(everyone: dict[Role, StaffMember]) -> World:
    officer, spo = everyone[Role.OFFICER], everyone[Role.SPO]
    ro, spo_user = user_of(officer), user_of(spo)
    team = officer.team
    assert team is not None
    elsewhere = TeamFactory.create(code="YH-LDS-T1", pdu__code="YH-LDS", pdu__region__code="YH")
    colleague = StaffMemberFactory.create(team=team, user__username="other_officer", user__roles=[Role.OFFICER])
    spo_elsewhere = StaffMemberFactory.create(
        team=elsewhere, grade=StaffMember.Grade.SPO, user__username="spo_elsewhere", user__roles=[Role.SPO]
    )
    director_elsewhere = StaffMemberFactory.create(
        team=None,
        region=elsewhere.pdu.region,
        grade=StaffMember.Grade.REGIONAL_DIRECTOR,
        user__username="director_elsewhere",
        user__roles=[Role.REGIONAL_DIRECTOR],
    )

    ensure_contact_types(ContactType)
    types = {t.code: t for t in ContactType.objects.all()}
    event = case_for(officer, crn="X123456", first_name="Sam", last_name="Example")
    upw = RequirementFactory.create(event=event, type=Requirement.Type.UNPAID_WORK, hours=120)
    rar = RequirementFactory.create(event=event, type=Requirement.Type.RAR, hours=None, days=20)
    programme = RequirementFactory.create(
        event=event, type=Requirement.Type.ACCREDITED_PROGRAMME, hours=None, programme="Building Better Relationships"
    )
    flag = RegistrationFactory.create(person=event.person)

    def attended(day: int, outcome: str, reason: str = "") -> Contact:
        contact = book(officer, event, types["office_visit"], datetime(2026, 1, day, 10, tzinfo=UTC))
        return contacts.record_outcome(contact=contact, user=ro, outcome=outcome, absence_reason=reason)

    def failed_and_decided(day: int, kind: str) -> tuple[int, EnforcementAction]:
        failure = attended(day, Outcome.UNACCEPTABLE_ABSENCE)
        decision = enforcement.decide(event=event, user=ro, kind=kind, failure=failure, on=date(2026, 1, day + 1))
        return failure.pk, decision

    failure, warning = failed_and_decided(5, EnforcementAction.Kind.WARNING)
    second, breach = failed_and_decided(7, EnforcementAction.Kind.BREACH)
    for day in (12, 19, 26):
        attended(day, Outcome.ACCEPTABLE_ABSENCE, reason="illness")
    oversight = OversightTask.objects.get(event=event)
    plan = plans.plan_for(event, ro)
    objective = plans.objective_save(
        plan=plan,
        user=ro,
        expected_version=plan.version,
        objective=None,
        fields={"area": "accommodation", "description": "Find settled housing"},
    )
    service = Service.objects.create(name="Housing advice", provider="Shelter", area="accommodation")
    referral = referrals.refer(event=event, user=ro, service=service, reason="Sofa surfing", on=date(2026, 1, 5))
    transfer = transfers.request(
        event=event, user=spo_user, to_pdu=elsewhere.pdu, reason="Moved to Leeds", on=date(2026, 1, 9)
    )

    document = documents.document_add(
        person=event.person,
        user=ro,
        file=ContentFile(b"%PDF-1.4 pre-sentence report", name="psr.pdf"),
        name="psr.pdf",
        content_type="application/pdf",
        type=Document.Type.PRE_SENTENCE_REPORT,
        dated_on=date(2026, 1, 4),
    )
    letter = letters.letter_make(event=event, user=ro, kind=Document.Letter.WARNING)

    report = CourtReport.objects.create(
        person=event.person, staff=officer, kind="fast", requested_on=date(2026, 1, 5), due_on=date(2026, 1, 12)
    )

    sam, since = event.person, date(2025, 1, 1)
    second_home = Address.objects.create(person=sam, type="secondary", lines="2 Flat Lane", from_date=since)
    next_of_kin = PersonalContact.objects.create(person=sam, name="Alex Kin", relationship="family", from_date=since)
    housing = Circumstance.objects.create(person=sam, type="accommodation", value="settled", from_date=since)
    disability = Disability.objects.create(person=sam, type="mobility", adjustments="Ground floor", from_date=since)

    excluded = case_for(colleague, crn="E000001", first_name="Zephyrine", last_name="Vexley").person
    AccessRule.objects.create(person=excluded, staff=officer, kind=AccessRule.Kind.EXCLUSION)
    restricted = case_for(colleague, crn="R000001", first_name="Quillon", last_name="Marrowby").person
    AccessRule.objects.create(person=restricted, staff=colleague, kind=AccessRule.Kind.RESTRICTION)

    case = {"crn": "X123456", "ref": event.ref}
    parameters = {
        "cases:transfer-decide": {"pk": str(transfer.pk)},
        "cases:reallocate-caseload": {"code": officer.code},
        "cases:allocation-overrides-pdu": {"code": team.pdu.code},
        "cases:objective": case | {"pk": str(objective.pk)},
        "cases:contact": case | {"pk": str(failure)},
        "cases:outcome": case | {"pk": str(failure)},
        "cases:amend": case | {"pk": str(failure)},
        "cases:entered-in-error": case | {"pk": str(failure)},
        "cases:cancel-appointment": case | {"pk": str(failure)},
        "cases:transfer-appointments": case | {"pk": str(transfer.pk)},
        "cases:decide": case | {"pk": str(second)},
        "cases:letter": case | {"pk": str(warning.pk)},
        "cases:breach-outcome": case | {"pk": str(breach.pk)},
        "cases:oversight-record": case | {"pk": str(oversight.pk)},
        "cases:registration-review": case | {"pk": str(flag.pk)},
        "cases:court-report-complete": case | {"pk": str(report.pk)},
        "cases:document-download": case | {"pk": str(document.pk)},
        "cases:letter-print": case | {"pk": str(letter.pk)},
        "cases:address-end": case | {"pk": str(second_home.pk)},
        "cases:personal-contact": case | {"pk": str(next_of_kin.pk)},
        "cases:circumstance": case | {"pk": str(housing.pk)},
        "cases:disability": case | {"pk": str(disability.pk)},
        "interventions:upw": case | {"pk": str(upw.pk)},
        "interventions:rar": case | {"pk": str(rar.pk)},
        "interventions:programme": case | {"pk": str(programme.pk)},
        "interventions:referral": case | {"pk": str(referral.pk)},
        "regions:team-detail": {"code": team.code},
        "regions:officer-workload": {"code": officer.code},
        "regions:performance-region": {"code": team.pdu.region.code},
        "regions:performance-pdu": {"code": team.pdu.code},
        "regions:performance-team": {"code": team.code},
        "regions:performance-cases": {"level": "pdu", "code": team.pdu.code},
        "regions:performance-outliers": {"level": "pdu", "code": team.pdu.code},
    }
    queries = {
        "cases:search": "?q=R000001",
        "regions:performance-cases": f"?measure={next(iter(MEASURES))}",
    }
    people: dict[str, User | None] = {
        "anonymous": None,
        "case_officer": officer.user,
        "other_officer": colleague.user,
        "spo_of_pdu": spo.user,
        "spo_elsewhere": spo_elsewhere.user,
        "pdu_head": everyone[Role.PDU_HEAD].user,
        "director": everyone[Role.REGIONAL_DIRECTOR].user,
        "director_elsewhere": director_elsewhere.user,
        "national": everyone[Role.NATIONAL].user,
        "admin": everyone[Role.ADMIN].user,
    }
    return World(people=people, parameters=parameters, queries=queries, excluded_officer=ro, excluded_crn="E000001")
