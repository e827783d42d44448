"""Reads that the case pages share. Each runs a fixed number of queries, whatever the caseload."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone

from cases import entered_dates
from cases.access import User, limited_for, limited_for_staff, staff_of
from cases.models import (
    Address,
    Alias,
    Allocation,
    Contact,
    EnforcementAction,
    Event,
    Obligation,
    Outcome,
    OversightTask,
    Person,
    Phone,
    PlanReview,
    Predictor,
    Registration,
    Requirement,
    RiskLevel,
    RoshAssessment,
    SentencePlan,
    Transfer,
)
from cases.models.person import crn_validator
from cases.person.selectors import PREDICTOR_ORDER, adjustments_on, agreed
from cases.standards import rules
from probation.counted_pages import counted_page
from probation.read_together import keep_as_prefetched, read_together
from probation.read_together_kept import read_together_kept
from probation.roles import roles_of
from regions.models import PDU, StaffMember

ROSH_RANK = Case(
    When(rosh="very_high", then=Value(4)),
    When(rosh="high", then=Value(3)),
    When(rosh="medium", then=Value(2)),
    When(rosh="low", then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)

CASELOAD_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "name": ("last_name", "first_name", "crn"),
    "-name": ("-last_name", "-first_name", "-crn"),
    "tier": ("tier", "last_name", "crn"),
    "-tier": ("-tier", "last_name", "crn"),
    "rosh": ("rosh_rank", "last_name", "crn"),
    "-rosh": ("-rosh_rank", "last_name", "crn"),
    "sentence": ("first_sentence_type", "last_name", "crn"),
    "-sentence": ("-first_sentence_type", "last_name", "crn"),
    "next": (F("next_appointment").asc(nulls_last=True), "last_name", "crn"),
    "-next": (F("next_appointment").desc(nulls_last=True), "last_name", "crn"),
    "last": (F("last_contact").asc(nulls_first=True), "last_name", "crn"),
    "-last": (F("last_contact").desc(nulls_last=True), "last_name", "crn"),
    "standards": ("-overdue", "-due_soon", "last_name", "crn"),
    "-standards": ("overdue", "due_soon", "last_name", "crn"),
}


def _standards_counts(staff_id: int, today: date, soon: date) -> dict[str, Coalesce]:
    """How many National Standards items are overdue, and due soon (by `soon`: the end of the due-soon window,
    two business days by default), per person, that this officer must act on now: on the events they are now
    the responsible officer for (the Standards list's rows for the case)."""

    def count(**conditions: object) -> Coalesce:
        rows = Obligation.objects.to_act_on_by(officer=staff_id).filter(
            person=OuterRef("pk"), starts_on__lte=today, **conditions
        )
        counted = rows.order_by().values("person").annotate(n=Func(F("id"), function="COUNT")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    return {
        "overdue": count(state=Obligation.State.OVERDUE),
        "due_soon": count(state=Obligation.State.PENDING, due_on__lte=soon),
    }


def _contact_times(now: datetime) -> dict[str, Subquery]:
    """The person's next booked appointment and last contact with an outcome, as two subqueries."""
    theirs = Contact.objects.valid().filter(event__person=OuterRef("pk"), event__terminated_on__isnull=True)
    upcoming = theirs.filter(outcome="", starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]
    past = theirs.exclude(outcome="").filter(starts_at__lte=now).order_by("-starts_at").values("starts_at")[:1]
    return {"next_appointment": Subquery(upcoming), "last_contact": Subquery(past)}


@dataclass(frozen=True)
class CaseloadFilters:
    name: str = ""
    tier: str = ""
    rosh: str = ""
    sentence_type: str = ""
    flag: str = ""


@dataclass(frozen=True)
class CaseloadRow:
    """A person of My cases, read as plain values: a Person instance, and its events and flags prefetched as
    instances, cost more to build than the row they are shown in."""

    crn: str
    first_name: str
    last_name: str
    tier: str
    rosh: str
    next_appointment: datetime | None
    last_contact: datetime | None
    overdue: int
    due_soon: int
    sentences: list[str]  # the running events' types, by their ref
    flags: list[str]  # the current flags, as a Registration says itself

    def get_rosh_display(self) -> str:  # as a Person says it (rosh_tag)
        return ROSH_LABELS.get(self.rosh, self.rosh)


ROSH_LABELS = dict(Person._meta.get_field("rosh").flatchoices)
EVENT_TYPES = dict(Event._meta.get_field("type").flatchoices)
FLAG_TYPES = dict(Registration._meta.get_field("type").flatchoices)
PAGE_SIZE = 25
# The pages of My cases whose statements are kept, for each sort and set of filters (a caseload of 150; the
# busiest officer's is 105): at most 14 sorts x 32 sets x 6 pages of about 6 kB each. Further pages are compiled.
KEPT_PAGES = 6


def caseload_page(
    staff: StaffMember, filters: CaseloadFilters, sort: str = "name", viewer: User | None = None, number: Any = 1
) -> Page[CaseloadRow]:
    """A page of the people with an active event on which this officer is the Responsible Officer, less the cases
    the viewer (the officer, or their manager looking at the officer's caseload) may not see; `number` as the
    request gives it, read as Paginator.get_page() reads it (not a whole number: the first page; below 1 or past
    the end: the last). The page, how many people there are in all, and the running events and current flags of
    the caseload are read in one statement, compiled once per process for each sort, set of filters and page."""
    viewer = viewer if viewer is not None else staff.user
    if viewer is None:
        return Paginator([], PAGE_SIZE).get_page(1)
    viewer_staff = staff_of(viewer)
    read = partial(_caseload_read, staff, viewer_staff.pk if viewer_staff else None, filters, sort)
    return counted_page(read, number, PAGE_SIZE)


PERSON_VALUES = (
    "id", "crn", "first_name", "last_name", "tier", "rosh", "next_appointment", "last_contact", "overdue", "due_soon",
    "total",
)  # fmt: skip
CASELOAD_FILTERS = ("name", "tier", "rosh", "sentence_type", "flag")


def _caseload_read(
    staff: StaffMember, viewer_id: int | None, filters: CaseloadFilters, sort: str, page: int
) -> tuple[list[CaseloadRow], int]:
    """One page of the caseload (caseload_page()) and how many people it has in all (0 if the page is empty)."""
    sort = sort if sort in CASELOAD_SORTS else "name"
    given = tuple(name for name in CASELOAD_FILTERS if getattr(filters, name))
    today = timezone.localdate()
    texts = [text for name in given for text in _filter_values(name, getattr(filters, name))]
    now, soon = timezone.now(), rules.due_soon_until(today)
    build = partial(_caseload_querysets, sort, given, page)
    if viewer_id is None or page > KEPT_PAGES:
        found = read_together(build(staff.pk, viewer_id, now, today, soon, *texts))
    else:
        found = read_together_kept(
            ("my_cases", sort, given, page), build, staff.pk, viewer_id, now, today, soon, *texts
        )
    sentences: dict[int, list[str]] = {}
    for person_id, kind in found["events"]:
        sentences.setdefault(person_id, []).append(EVENT_TYPES.get(kind, kind))
    flags: dict[int, list[str]] = {}
    for person_id, kind, mappa_level in found["flags"]:
        label = FLAG_TYPES.get(kind, kind)
        flags.setdefault(person_id, []).append(f"{label} level {mappa_level}" if mappa_level else label)
    people = found["people"]
    rows = [
        CaseloadRow(
            crn=p["crn"],
            first_name=p["first_name"],
            last_name=p["last_name"],
            tier=p["tier"],
            rosh=p["rosh"],
            next_appointment=p["next_appointment"],
            last_contact=p["last_contact"],
            overdue=p["overdue"],
            due_soon=p["due_soon"],
            sentences=sentences.get(p["id"], []),
            flags=flags.get(p["id"], []),
        )
        for p in people
    ]
    return rows, people[0]["total"] if people else 0


def _filter_values(name: str, value: str) -> tuple[str, ...]:
    """The values a filter puts in the statement: the name filter its text and the text in capitals (a CRN)."""
    return (value, value.upper()) if name == "name" else (value,)


def _caseload_querysets(
    sort: str,
    given: tuple[str, ...],
    page: int,
    staff_id: int,
    viewer_id: int | None,
    now: datetime,
    today: date,
    soon: date,
    *texts: str,
) -> dict[str, QuerySet[Any]]:
    """What a page of My cases reads: the page's people (each with the count of them all), and the running events
    and current flags of everyone on the caseload (a few more than the page's, in one statement with it)."""
    mine = Allocation.objects.current().filter(staff_id=staff_id, event__terminated_on__isnull=True)
    people = Person.objects.filter(Exists(mine.filter(event__person=OuterRef("pk")))).exclude(
        limited_for_staff(viewer_id)
    )
    values = iter(texts)
    for name in given:
        value = next(values)
        if name == "name":
            as_crn = next(values)
            # the text as an expression, not a value: the LIKE pattern is made of it in the statement, so the
            # statement can be kept with the text as its value
            named = Q(last_name__icontains=Value(value)) | Q(first_name__icontains=Value(value))
            people = people.filter(named | Q(crn=as_crn))
        elif name == "sentence_type":
            people = people.filter(Exists(Event.objects.active().filter(person=OuterRef("pk"), type=value)))
        elif name == "flag":
            flagged = Registration.objects.filter(person=OuterRef("pk"), type=value, ended_on__isnull=True)
            people = people.filter(Exists(flagged))
        else:
            people = people.filter(**{name: value})
    start = (page - 1) * PAGE_SIZE
    people = (
        people.annotate(
            rosh_rank=ROSH_RANK,
            first_sentence_type=Subquery(
                Event.objects.active().filter(person=OuterRef("pk")).order_by("type").values("type")[:1]
            ),
            **_contact_times(now),
            **_standards_counts(staff_id, today, soon),
            total=Window(Count("pk")),  # counted over them all, before the page is cut
        )
        .order_by(*CASELOAD_SORTS[sort])
        .values(*PERSON_VALUES)[start : start + PAGE_SIZE]
    )
    caseload = mine.values("event__person_id")
    return {
        "people": people,
        "events": Event.objects.active()
        .filter(person_id__in=caseload)
        .order_by("person_id", "ref")
        .values_list("person_id", "type"),
        "flags": Registration.objects.filter(ended_on__isnull=True, person_id__in=caseload)
        .order_by("type", "-from_date")
        .values_list("person_id", "type", "mappa_level"),
    }


@dataclass
class Overview:
    """What the case overview shows beyond the person (read whole by the case page), fetched onto `person`: their
    events (with each one's PDU and sentence plan), and for the events their referrals, requirements, allocations,
    transfers, enforcement actions and plan reviews; the person's flags, aliases, addresses, phones, RoSH and tier
    history and predictors. The pending list and the recorded-late timeline read the events' transfers, actions
    and reviews from there rather than asking again. Beside it, the lists the page draws from."""

    person: Person
    standards: list[Obligation]  # open, started by today, most urgent first (25)
    missed: list[Obligation]  # closed unmet, latest first (25)
    oversight: list[OversightTask]  # closed, latest first (25)
    coming: list[Contact]  # appointments to come and absences awaiting evidence on running events
    failures: list[Contact]  # every failure to comply, for the compliance panels
    rosh: RoshAssessment | None  # the latest RoSH assessment
    adjustments: list[str]  # the adjustments agreed, current today


def overview_of(person: Person) -> Overview:
    """Everything the overview shows, in one statement compiled once per process (probation/read_together_kept.py):
    at national scale 19 queries became 6 (the session, the user, the case, the rules, this, the audit row)."""
    today, now = timezone.localdate(), timezone.now()
    rows = read_together_kept(("overview",), _overview_querysets, person.pk, today, now)
    events = rows["events"]
    keep_as_prefetched(person, {"events": events, **{name: rows[name] for name in PERSON_LISTS}})
    children = {name: _by_event(rows[name]) for name in EVENT_LISTS}
    reviews = _by_event(rows["reviews"], "plan_id")
    for event in events:
        keep_as_prefetched(event, {name: children[name].get(event.pk, []) for name in EVENT_LISTS})
        plan = _plan_of(event)
        if plan is not None:
            keep_as_prefetched(plan, {"reviews": reviews.get(plan.pk, [])})
    return Overview(
        person=person,
        standards=rows["standards"],
        missed=rows["missed"],
        oversight=rows["oversight"],
        coming=rows["coming"],
        failures=rows["failures"],
        rosh=next(iter(rows["rosh"]), None),
        adjustments=agreed(rows["adjustments"]),
    )


PERSON_LISTS = ("registrations", "aliases", "addresses", "phones", "risk_levels", "predictors")
EVENT_LISTS = ("referrals", "requirements", "allocations", "transfers", "enforcement_actions")


def _by_event(rows: list[Any], key: str = "event_id") -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _overview_querysets(person_id: int, today: date, now: datetime) -> dict[str, QuerySet[Any]]:
    """What the overview reads of one person, as of today (and now, for the appointments still to come)."""
    of_person = {"event__person_id": person_id}
    referral = Event._meta.get_field("referrals").related_model  # interventions' model, named by its relation
    return {
        "events": Event.objects.filter(person_id=person_id)
        .select_related("pdu", "plan")
        .order_by("terminated_on", "-sentence_date"),
        "referrals": referral._default_manager.filter(**of_person).select_related("service"),
        "requirements": Requirement.objects.filter(**of_person).order_by("id"),
        "allocations": Allocation.objects.filter(**of_person)
        .select_related("staff", "staff__team")
        .order_by("-from_date", "-id"),
        "transfers": Transfer.objects.filter(**of_person)
        .select_related("from_pdu", "to_pdu", "requested_by__staff")
        .order_by("requested_on", "id"),
        "enforcement_actions": EnforcementAction.objects.filter(**of_person)
        .select_related("failure", "decided_by", "recorded_by__staff")
        .order_by("on", "id"),
        "reviews": PlanReview.objects.filter(plan__event__person_id=person_id).order_by(),
        "registrations": Registration.objects.filter(person_id=person_id).order_by("ended_on", "type", "-from_date"),
        "aliases": Alias.objects.filter(person_id=person_id),
        "addresses": Address.objects.filter(person_id=person_id),
        "phones": Phone.objects.filter(person_id=person_id),
        "risk_levels": RiskLevel.objects.filter(person_id=person_id),
        "predictors": Predictor.objects.filter(person_id=person_id).order_by(*PREDICTOR_ORDER),
        "standards": Obligation.objects.filter(person_id=person_id, state__in=Obligation.OPEN, starts_on__lte=today)
        .select_related("event")
        .order_by("due_on", "id")[:25],
        # history, never work: closed unmet (a month passed, or the sentence ended while they were due)
        "missed": Obligation.objects.filter(person_id=person_id, state=Obligation.State.MISSED)
        .select_related("event")
        .order_by("-due_on", "-id")[:25],
        "oversight": OversightTask.objects.filter(**of_person, closed_at__isnull=False)
        .select_related("event", "closed_by")
        .order_by("-closed_at", "-id")[:25],
        "coming": Contact.objects.valid()
        .filter(
            Q(outcome="", starts_at__gte=now) | Q(outcome=Outcome.AWAITING_EVIDENCE),
            **of_person,
            event__terminated_on__isnull=True,
        )
        .select_related("type")
        .order_by("starts_at", "id"),
        "failures": Contact.objects.failures().filter(**of_person).select_related("type").order_by("starts_at", "id"),
        "rosh": RoshAssessment.objects.filter(person_id=person_id)
        .select_related("assessed_by")
        .order_by("-assessed_on", "-id")[:1],
        "adjustments": adjustments_on(person_id, today),
    }


@dataclass(frozen=True)
class LateRecord:
    """A fact of a sentence recorded late: what it was, the date entered for it, and when it was recorded."""

    what: str
    happened: date | datetime
    recorded: datetime


def recorded_late_for(person: Person) -> dict[int, list[LateRecord]]:
    """Every fact of the case's sentences recorded more than 2 working days (the recorded_late setting) after its
    date (DOMAIN.md, "Dates people enter"), by event, latest first: the overview's timeline of them. Contacts are
    the contact log's. Everything comes prefetched with the events (overview_of): no query, the calendar is in
    memory. A fact whose recording time is not known (imported) is not listed."""
    events = list(person.events.all())
    facts: list[tuple[int, str, date | datetime | None, datetime | None]] = []
    for e in events:
        facts += [
            (e.pk, "Released", e.release_date, e.released_recorded_at),
            (e.pk, "Handover meeting held", e.handover_meeting_on, e.handover_recorded_at),
            (e.pk, f"Ended ({e.get_termination_reason_display().lower()})", e.terminated_on, e.terminated_recorded_at),
        ]
        facts += [(e.pk, f"Allocated to {a.staff.name}", a.from_date, a.recorded_at) for a in e.allocations.all()]
        for a in e.enforcement_actions.all():
            facts += [
                (e.pk, a.get_kind_display(), a.on, a.recorded_at),
                (e.pk, "Recall decided", a.decided_at, a.decision_recorded_at),
                (e.pk, "Recall request sent", a.requested_at, a.request_recorded_at),
                (e.pk, "Returned to custody", a.returned_on, a.returned_recorded_at),
                (e.pk, "Recall review completed", a.review_completed_on, a.review_recorded_at),
                (e.pk, "Breach dealt with by the court", a.resolved_on, a.resolved_recorded_at),
            ]
        plan = _plan_of(e)
        if plan is not None:
            facts.append((e.pk, "Sentence plan completed", plan.completed_on, plan.completed_recorded_at))
            facts += [(e.pk, "Sentence plan reviewed", r.reviewed_on, r.recorded_at) for r in plan.reviews.all()]
        for t in e.transfers.all():
            facts += [
                (e.pk, f"Transfer to {t.to_pdu.name} requested", t.requested_on, t.recorded_at),
                (
                    e.pk,
                    f"Transfer to {t.to_pdu.name} {t.get_status_display().lower()}",
                    t.decided_on,
                    t.decided_recorded_at,
                ),
            ]
    found: dict[int, list[LateRecord]] = {}
    after = rules.value("recorded_late")
    for event_id, what, happened, recorded in facts:
        if happened is not None and recorded is not None and entered_dates.recorded_late(happened, recorded, after):
            found.setdefault(event_id, []).append(LateRecord(what, happened, recorded))
    for records in found.values():
        records.sort(key=lambda r: r.recorded, reverse=True)
    return found


PREFIX_BELOW = 3  # a word shorter than this is looked for at the start of a name, not anywhere in it


def _ids_named(term: str, at_start: bool = False) -> list[QuerySet[Any, Any]]:
    """The ids of people with the term in any part of a name or alias (`at_start`: at the start of one), as id
    sets for a UNION: each is served by a trigram index (migration 0010), where an OR across a join to aliases
    read every person. The term is an expression, not a value, so the statement can be kept with the term as its
    value (the LIKE pattern is made of it in the statement, escaped as Django escapes a value).

    Two letters anywhere in a name match a quarter of everyone ("an": 75,000 of 300,000 people, half a second,
    the names listed first having nothing to do with the search) and no index can find them; a name of two
    letters (Ng, Li, Wu) is found at the start of a name, from the index, with names that begin with it."""
    named = _named(term, at_start)
    return [Person.objects.filter(named).order_by().values("pk"), Alias.objects.filter(named).values("person_id")]


def _named(term: str, at_start: bool) -> Q:
    """The term in a first or last name (`at_start`: at the start of one), for a Person or an Alias."""
    lookup = "istartswith" if at_start else "icontains"
    return Q(**{f"first_name__{lookup}": Value(term)}) | Q(**{f"last_name__{lookup}": Value(term)})


def _is_a_crn(text: str) -> bool:
    try:
        crn_validator(text)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class Found:
    """A person a search found, read as plain values: what a row of the results shows."""

    crn: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    pdu: str  # its name
    officers: dict[int, str]  # for each running event (by ref), its responsible officers' names, "" for none


@dataclass(frozen=True)
class SearchResults:
    people: list[Found]  # the first `limit`, by name
    limited_crn: str | None  # a CRN the user may not see: they learn only that it exists


def search_people(user: User, query: str, date_of_birth: date | None = None, limit: int = 51) -> SearchResults:
    """Find people by CRN, name or alias (partial, any case), date of birth or PNC number: the first `limit` by
    name, with the officers of their running events, read in one statement compiled once per process for each
    number of words (read_together_kept)."""
    query = query.strip()
    upper = query.upper()
    words = upper.split()[:4]  # the search form allows 4 words (cases/record/forms.py)
    is_crn = bool(query) and _is_a_crn(upper)  # a name is no CRN: no need to ask whether it names a limited case
    if not query and not date_of_birth:
        return SearchResults(people=[], limited_crn=None)
    staff = staff_of(user)
    values = (*((upper, *words) if query else ()), *((date_of_birth,) if date_of_birth else ()))
    at_start = tuple(len(word) < PREFIX_BELOW for word in words)  # part of the statement's shape, not a value
    shape = (limit, bool(roles_of(user)), is_crn, at_start, bool(date_of_birth))
    build = partial(_search_querysets, *shape)
    if staff is None:
        found = read_together(build(None, *values))
    else:
        found = read_together_kept(("search", *shape), build, staff.pk, *values)
    people: dict[int, Found] = {}
    for person_id, crn, first, last, born, pdu, event_id, ended, allocation_ended, name in found["people"]:
        person = people.get(person_id)
        if person is None:
            person = people[person_id] = Found(crn, first, last, born, pdu, {})
        if event_id is not None and ended is None:  # a running event, and its current officer's name
            officer = name if allocation_ended is None and name is not None else ""
            person.officers[event_id] = person.officers.get(event_id, "") + officer
    limited = found.get("limited")
    return SearchResults(people=list(people.values()), limited_crn=limited[0][0] if limited else None)


def _search_querysets(
    limit: int,
    may_read: bool,
    is_crn: bool,
    at_start: tuple[bool, ...],
    by_birth: bool,
    viewer_id: int | None,
    *values: Any,
) -> dict[str, QuerySet[Any]]:
    """What a search reads (search_people()): the people found, the running events of the first `limit` of them
    and those events' responsible officers, and for a CRN the case with it if the viewer may not see it. `values`:
    the text in capitals and its words (one for each of `at_start`: whether it is looked for at the start of a
    name), if there is a text; the date of birth, if `by_birth`."""
    given = iter(values)
    limited = limited_for_staff(viewer_id)
    people = Person.objects.exclude(limited) if may_read else Person.objects.none()
    read: dict[str, QuerySet[Any]] = {}
    by_name = (Upper("last_name"), Upper("first_name"), "crn")
    if at_start:
        upper, first = next(given), next(given)
        for start in at_start[1:]:  # a CRN or PNC has no spaces: further words narrow by name
            own, aliased = _ids_named(next(given), start)
            people = people.filter(pk__in=own.union(aliased))
        if by_birth:
            people = people.filter(date_of_birth=next(given))
        # found by number, by name or by alias: the first `limit` by name of each, narrowed by the other words
        # and the access check before it is cut (the union's first `limit` are among them), so the people a
        # common start of names finds are sorted as they are read, not looked up again one by one to be checked
        # and sorted: "Jo" begins 24,795 first names at national scale (a search 166 ms, now 33 ms; an index of
        # names in their order read 3 ms for "Jo" and 120 ms for "Ng" once PostgreSQL planned it for any term)
        found_by = [
            Q(crn=upper) | Q(pnc=upper),
            _named(first, at_start[0]),
            Q(pk__in=Alias.objects.filter(_named(first, at_start[0])).values("person_id")),
        ]
        if connection.features.supports_slicing_ordering_in_compound:
            firsts = [people.filter(found).order_by(*by_name).values("pk")[:limit] for found in found_by]
        else:  # SQLite (the quick-start) allows no ORDER BY or LIMIT in a part of a UNION: uncut
            firsts = [people.filter(found).order_by().values("pk") for found in found_by]
        people = Person.objects.filter(pk__in=firsts[0].union(*firsts[1:], all=True))
        if is_crn:
            read["limited"] = Person.objects.filter(crn=upper).filter(limited).values_list("crn")[:1]
    elif by_birth:
        people = people.filter(date_of_birth=next(given))
    shown = people.order_by(*by_name).values("pk")[:limit]
    # each person found once for each allocation of each of their events (once for an event with none, once for a
    # person with none): the search is made once, its first `limit` then joined to what their rows show
    found = Person.objects.filter(pk__in=shown).order_by(
        *by_name, "events__ref", "events__allocations__from_date", "events__allocations__id"
    )
    return read | {"people": found.values_list(*FOUND_VALUES)}


FOUND_VALUES = (
    "id", "crn", "first_name", "last_name", "date_of_birth", "pdu__name",
    "events__id", "events__terminated_on", "events__allocations__to_date", "events__allocations__staff__name",
)  # fmt: skip


def unallocated_events(pdu: PDU, user: User) -> QuerySet[Event]:
    """Active events in a PDU with no Responsible Officer, oldest first; is_limited marks the cases
    this user may not see, which the page shows by CRN alone."""
    limited = Person.objects.filter(pk=OuterRef("person_id")).filter(limited_for(user))
    return unallocated_in(pdu.pk).annotate(is_limited=Exists(limited)).select_related("person")


def unallocated_in(pdu_id: int) -> QuerySet[Event]:
    """Active events in a PDU with no Responsible Officer, oldest first (whoever asks)."""
    has_ro = Allocation.objects.current().filter(event=OuterRef("pk"))
    return (
        Event.objects.active()
        .filter(pdu_id=pdu_id)
        .exclude(Exists(has_ro))
        .order_by(Coalesce("release_date", "sentence_date"), "id")
    )


@dataclass(frozen=True)
class Pending:
    """What is waiting on someone else about a case, for the top of its overview: transfers awaiting the receiving
    PDU's decision, and recalls recommended and awaiting a decision, or agreed with the request not yet sent.
    Running events only."""

    transfers: list[Transfer]
    recalls: list[EnforcementAction]


def pending_for(person: Person) -> Pending:
    """Read from the events' transfers and enforcement actions that overview_of() fetched: no query."""
    running = [e for e in person.events.all() if e.is_active]
    transfers = [t for e in running for t in e.transfers.all() if t.status == Transfer.Status.REQUESTED]
    recalls = [
        a
        for e in running
        for a in e.enforcement_actions.all()
        if a.kind == EnforcementAction.Kind.RECALL
        and a.requested_at is None
        and a.decision in {"", EnforcementAction.Decision.AGREED}
    ]
    return Pending(
        transfers=sorted(transfers, key=lambda t: (t.requested_on, t.pk)),
        recalls=sorted(recalls, key=lambda a: (a.on, a.pk)),
    )


def _plan_of(event: Event) -> SentencePlan | None:
    try:
        return event.plan
    except SentencePlan.DoesNotExist:
        return None
