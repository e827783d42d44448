"""Writes to a case's court reports (pre-sentence reports): each one change to the case, audited. An open report
weighs on its author's workload (regions/workload.py) until it is recorded as completed."""

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from cases.access import staff_who_may_see
from cases.models import CourtReport, Person
from cases.unit_of_work import case_change
from regions.models import StaffMember


def court_report_add(
    *,
    person: Person,
    user: User | AnonymousUser,
    staff: StaffMember,
    kind: str,
    requested_on: date,
    due_on: date,
) -> CourtReport:
    """A report the court asked for, allocated to the officer who will write it."""
    with case_change(person, user, "court_report.create") as change:
        if due_on < requested_on:
            raise ValidationError({"due_on": "The due date must be the same as or after the date it was requested"})
        if not StaffMember.objects.active().filter(staff_who_may_see(person), pk=staff.pk).exists():
            raise ValidationError({"staff": f"{staff.name} may not see this case: choose another officer"})
        report = CourtReport(
            person=person, staff=staff, kind=kind, requested_on=requested_on, due_on=due_on, completed_on=None
        )
        report.full_clean()
        report.save()
        change.touches(report, kind=kind, staff=staff.code, due_on=due_on.isoformat())
        return report


def court_report_complete(*, report: CourtReport, user: User | AnonymousUser, completed_on: date) -> CourtReport:
    """The report went to court: it no longer weighs on its author's workload."""
    with case_change(report.person_id, user, "court_report.complete") as change:
        report = CourtReport.objects.select_for_update().get(pk=report.pk)
        if report.completed_on is not None:
            raise ValidationError(f"This report was already recorded as completed on {report.completed_on:%-d %B %Y}")
        if completed_on < report.requested_on:
            raise ValidationError(
                {
                    "completed_on": "The date completed must be the same as or after the date it was requested "
                    f"({report.requested_on:%-d %B %Y})"
                }
            )
        report.completed_on = completed_on
        report.save(update_fields=["completed_on"])
        change.touches(report, completed_on=completed_on.isoformat())
        return report
