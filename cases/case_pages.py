"""The one way into a case page: who may read or change the case, with every read and refusal audited.

Every view of one case (a URL with a `<crn>`) is wrapped in `@case_page(...)`, which, before the view runs:

1. finds the person by CRN (404), in one query that also says whether the user may read the case in full
   and, for a change, whether they hold an active event of it they may change;
2. refuses a limited-access case with the limited-access page (403, audited "case.view_refused");
3. for a change, refuses anyone but the case's RO and the SPOs and heads of its PDU (403, audited
   "case.view_refused"): `write=True` for a page that only changes the case, `write="post"` for a page
   that anyone who may read the case can read by GET, but only those who may change it can POST to;
4. turns the URL's `<ref>` into `event`, the person's event with that reference (404), and, when `record`
   is given, the URL's `<pk>` into `record`, that object of the person's (404), whatever it belongs to;
5. for a change, refuses anyone who may not change that one event (the URL's, or the record's): 403,
   audited "case.change_refused" (with `managers=True`, only the SPOs and heads of its PDU may; with
   `owner`, the staff member the record names in that field may too, such as a court report's author,
   whether or not they hold an event of the case);
6. audits the read, "case.view", naming the record or event the page is about, unless the request is a
   change (a change is audited by the service that makes it);
7. calls the view with `person` in place of `crn` (and `event` for `ref`, `record` for `pk`).

The wrapped view carries its `CasePage` as `view.case_page`: a test walks the URLs and fails any case URL
whose view lacks it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases import audit
from cases.access import (
    acting_as,
    manages_pdu_of,
    may_see_audit,
    people_with_rights_of,
    staff_of,
    writable_events_of,
)
from cases.models import Event, Person
from probation.read_together_kept import read_together_kept
from probation.roles import roles_of

View = Callable[..., HttpResponse]
Acting = tuple[int | None, int | None]  # access.acting_as(): the user's staff id and the PDU they manage

# What a case page reads of the person: what every case page shows (the CRN and name), and what the checks
# need (the PDU, and whom to ask about a limited case). A page that shows more names it in `fields`.
PERSON_FIELDS = ("crn", "first_name", "last_name", "pdu_id", "access_contact")


@dataclass(frozen=True)
class CasePage:
    """How a case page is entered (see the module's docstring)."""

    write: bool | Literal["post"] = False
    managers: bool = False
    events: QuerySet[Event] | None = None
    record: QuerySet[Any] | None = None
    fields: tuple[str, ...] = ()
    audit_trail: bool = False
    owner: str = ""
    rights: bool = False
    whole: bool = False

    def needs_write(self, request: HttpRequest) -> bool:
        """Whether this request needs the right to change the case: any request to a page that changes it
        (its form is shown only to those who may save it), and a POST to a page read by GET."""
        return self.write is True or (self.write == "post" and request.method == "POST")


def case_page(
    *,
    write: bool | Literal["post"] = False,
    managers: bool = False,
    events: QuerySet[Event] | None = None,
    record: QuerySet[Any] | None = None,
    fields: tuple[str, ...] = (),
    audit_trail: bool = False,
    owner: str = "",
    rights: bool = False,
    whole: bool = False,
) -> Callable[[View], View]:
    """The way into a view of one case: see the module's docstring. `events` narrows the events a `<ref>`
    may name (by default any event for a read, an active one for a change); `record` is the queryset the
    URL's `<pk>` is looked up in; `fields` are more of the person's fields the page shows; `audit_trail`
    is the case's audit trail, for those may_see_audit() allows, audited "audit.view"; `owner` is the field of
    the record naming the staff member who may change it besides the managers (with `managers=True`); `rights`
    reads, with the person, whether the user may change the case (access.may_change_as_read(), for a page that
    shows the links to change it); `whole` reads the whole person with their PDU (for the pages that show the
    record), in the same query."""
    page = CasePage(write, managers, events, record, fields, audit_trail, owner, rights, whole)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, crn: str, **kwargs: Any) -> HttpResponse:
            return _enter(page, view, request, crn, kwargs)

        wrapped.case_page = page  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _enter(page: CasePage, view: View, request: HttpRequest, crn: str, kwargs: dict[str, Any]) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to see a case")
    if not roles_of(user):  # no role yet, or a staff record that says they have left: no case at all
        raise PermissionDenied("You do not have a role that sees cases")
    if page.audit_trail:
        return _audit_trail(view, request, crn, kwargs)
    changing = page.needs_write(request)
    acting = acting_as(user)
    person = _person(page, crn.upper(), changing or page.rights, acting)
    if person is None:
        raise Http404("No case with this CRN")
    if person.limited:  # type: ignore[attr-defined]
        return limited_access(request, person)
    holds_an_event: bool = changing and person.has_writable_event  # type: ignore[attr-defined]
    if changing and not (holds_an_event or manages_pdu_of(user, person.pdu_id) or page.owner):
        audit.record(user, "case.view_refused", person, page=request.path)
        raise PermissionDenied(
            "Only the responsible officer, and SPOs and heads of the case's PDU, may change this case"
        )
    event = _event(page, person, kwargs.pop("ref"), changing, acting) if "ref" in kwargs else None
    found = _record(page, person, kwargs.pop("pk"), changing, acting) if page.record is not None else None
    if found is not None:
        kwargs["record"] = found
    if changing and page.owner:
        _check_owner(page, request, person, found)
    elif changing:
        _check_event(page, request, person, getattr(found, "event", None) or event)  # the record's, or the URL's
    if not (changing and request.method == "POST"):  # a change is audited by the service that makes it
        audit.record(user, "case.view", person, found or event, page=request.path)
    if event is not None:
        kwargs["event"] = event
    return view(request, person=person, **kwargs)


def _audit_trail(view: View, request: HttpRequest, crn: str, kwargs: dict[str, Any]) -> HttpResponse:
    """Who read and changed the case: for administrators (even of a case limited to others) and the heads of
    its PDU who may read it; a read of it is audited "audit.view"."""
    person = Person.objects.only(*PERSON_FIELDS).filter(crn=crn.upper()).first()
    if person is None:
        raise Http404("No case with this CRN")
    if not may_see_audit(request.user, person):
        audit.record(request.user, "case.view_refused", person, page=request.path)
        raise PermissionDenied("Only administrators and heads of the case's PDU may see its audit trail")
    audit.record(request.user, "audit.view", person)
    return view(request, person=person, **kwargs)


def _writable(acting: Acting, event_field: str) -> Exists:
    return Exists(writable_events_of(*acting).filter(pk=OuterRef(event_field)))


# The person and the event are read on every case page by statements compiled once per process for each shape
# (probation/read_together_kept.py): the values put in are the CRN or the person and the event's reference, and
# who the user acts as (acting_as()); the shape is the page's and whether the user has a staff record and
# manages a PDU, which decide which filters the statement has.


def _person(page: CasePage, crn: str, rights: bool, acting: Acting) -> Person | None:
    staff_id, managed = acting
    if any("__" in field for field in page.fields):  # fields of related rows: the ORM's
        people = people_with_rights_of(staff_id, managed, changing=rights)
        return people.only(*PERSON_FIELDS, *page.fields).filter(crn=crn).first()
    has_staff, manages = staff_id is not None, managed is not None

    def build(crn: str, staff_id: int, managed: int) -> dict[str, QuerySet[Any]]:
        people = people_with_rights_of(staff_id if has_staff else None, managed if manages else None, changing=rights)
        # the whole person with their PDU and its region (the overview): compiled once too, not on every request
        # (8.5 ms of the overview's 25 at national scale, against 0.4 ms kept)
        chosen = people.select_related("pdu__region") if page.whole else people.only(*PERSON_FIELDS, *page.fields)
        return {"person": _first(chosen.filter(crn=crn))}

    shape = ("case_pages.person", page.fields, page.whole, rights, has_staff, manages)
    found = read_together_kept(shape, build, crn, staff_id or 0, managed or 0)["person"]
    return found[0] if found else None


def _event(page: CasePage, person: Person, ref: str, changing: bool, acting: Acting) -> Event:
    events = page.events if page.events is not None else Event.objects.active() if changing else Event.objects.all()
    staff_id, managed = acting
    has_staff, manages = staff_id is not None, managed is not None

    def build(person_id: int, ref: str, staff_id: int, managed: int) -> dict[str, QuerySet[Any]]:
        found = (
            events.annotate(writable=_writable((staff_id if has_staff else None, managed if manages else None), "pk"))
            if changing
            else events
        )
        return {"event": _first(found.filter(person_id=person_id, ref=ref))}

    shape = ("case_pages.event", page, changing, has_staff, manages)
    found = read_together_kept(shape, build, person.pk, ref, staff_id or 0, managed or 0)["event"]
    event = next(iter(found), None)
    if event is None:
        raise Http404("No such event")
    event.person = person
    return event


def _first(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """What QuerySet.first() reads: the first row in the queryset's order, or by primary key if it has none."""
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


def _record(page: CasePage, person: Person, pk: Any, changing: bool, acting: Acting) -> Model:
    """The record the URL names, of this case (with its event, and whether the user may change that, for a record
    of one event): by a statement compiled once per page and kept, as the person and the event are read."""
    assert page.record is not None
    records = page.record
    try:
        records.model._meta.get_field("event")
    except FieldDoesNotExist:  # a record of the person's, not of one event
        of_event = False
    else:
        of_event = True
    staff_id, managed = acting
    has_staff, manages = staff_id is not None, managed is not None

    def build(pk: Any, person_id: int, staff_id: int, managed: int) -> dict[str, QuerySet[Any]]:
        if not of_event:
            return {"record": _first(records.filter(pk=pk, person_id=person_id))}
        found = records.filter(pk=pk, event__person_id=person_id).select_related("event")
        if changing:
            found = found.annotate(
                writable=_writable((staff_id if has_staff else None, managed if manages else None), "event_id")
            )
        return {"record": _first(found)}

    shape = ("case_pages.record", page, changing, has_staff, manages)
    found = next(iter(read_together_kept(shape, build, pk, person.pk, staff_id or 0, managed or 0)["record"]), None)
    if found is None:
        raise Http404("Not found in this case")
    if not of_event:
        found.person = person
        return found
    found.event.person = person
    if changing:  # whether the user may change the record's event, read with the record
        setattr(found.event, "writable", found.writable)  # noqa: B010
    return found


def _check_event(page: CasePage, request: HttpRequest, person: Person, event: Event | None) -> None:
    """A change to one event is for its RO and the managers of its PDU (with `managers`, for those alone)."""
    if event is None:
        if page.managers and not manages_pdu_of(request.user, person.pdu_id):
            audit.record(request.user, "case.change_refused", person)
            raise PermissionDenied("Only SPOs and heads of the case's PDU may do this")
        return
    allowed = manages_pdu_of(request.user, event.pdu_id) if page.managers else getattr(event, "writable", False)
    if not allowed:
        audit.record(request.user, "case.change_refused", person, event)
        raise PermissionDenied("Only this sentence's responsible officer, and SPOs and heads of its PDU, may change it")


def _check_owner(page: CasePage, request: HttpRequest, person: Person, found: Model | None) -> None:
    """A change to a record of the case's for the staff member it names in `owner`, and the managers of its PDU."""
    staff = staff_of(request.user)
    owns = found is not None and staff is not None and getattr(found, f"{page.owner}_id", None) == staff.pk
    if not (owns or manages_pdu_of(request.user, person.pdu_id)):
        audit.record(request.user, "case.change_refused", person, found)
        raise PermissionDenied("Only the staff member it names, and SPOs and heads of the case's PDU, may change this")


def limited_access(request: HttpRequest, person: Person) -> HttpResponse:
    """What someone who may not see a limited-access case gets: that it exists, and whom to ask."""
    audit.record(request.user, "case.view_refused", person)
    return render(request, "cases/limited_access.html", {"person": person}, status=403)
