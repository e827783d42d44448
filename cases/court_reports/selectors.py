"""Reads for the court report pages: a fixed number of queries, however many reports."""

from django.db.models import F, QuerySet

from cases.access import staff_who_may_see
from cases.models import CourtReport, Person
from regions.models import StaffMember

# Who writes pre-sentence reports: the caseworkers of the case's PDU (regions.workload counts them).
AUTHOR_GRADES = [StaffMember.Grade.PO, StaffMember.Grade.PSO, StaffMember.Grade.SPO]


def court_reports_of(person: Person) -> QuerySet[CourtReport]:
    """The person's court reports: open ones first, soonest due first; then completed ones, latest first."""
    return (
        CourtReport.objects.filter(person=person)
        .select_related("staff")
        .order_by(F("completed_on").desc(nulls_first=True), "due_on", "-id")
    )


def authors_for(person: Person) -> QuerySet[StaffMember]:
    """Who may be asked to write a report on this person: active caseworkers of the case's PDU who may see it."""
    return (
        StaffMember.objects.active()
        .filter(staff_who_may_see(person), pdu_id=person.pdu_id, grade__in=AUTHOR_GRADES)
        .order_by("name", "code")
    )
