"""A case's court reports: the list on the case, adding one (the SPOs and head of the case's PDU) and recording
its completion (its author, or those managers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.access import manages_pdu_of, staff_of
from cases.case_pages import case_page
from cases.court_reports import selectors, services
from cases.court_reports.forms import CourtReportCompleteForm, CourtReportForm
from cases.models import CourtReport, Person
from probation.forms_errors import add_validation_error


@case_page()
def court_reports(request: HttpRequest, person: Person) -> HttpResponse:
    reports = list(selectors.court_reports_of(person))
    managing = manages_pdu_of(request.user, person.pdu_id)
    staff = staff_of(request.user)
    for report in reports:
        report.may_complete = report.completed_on is None and (  # type: ignore[attr-defined]
            managing or (staff is not None and report.staff_id == staff.pk)
        )
    context = {"person": person, "reports": reports, "may_add": managing, "today": timezone.localdate()}
    return render(request, "cases/court_reports.html", context)


@case_page(write=True, managers=True)
def court_report_new(request: HttpRequest, person: Person) -> HttpResponse:
    authors = selectors.authors_for(person)
    form = CourtReportForm(
        request.POST if request.method == "POST" else None,
        authors=authors,
        initial={"requested_on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            report = services.court_report_add(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{report.get_kind_display()} added for {report.staff.name}")
            return redirect("cases:court-reports", crn=person.crn)
    context = {"person": person, "form": form, "title": "Add a court report", "back": "cases:court-reports"}
    return render(request, "cases/simple_form.html", context)


@case_page(
    write=True,
    managers=True,
    owner="staff",
    record=CourtReport.objects.filter(completed_on__isnull=True).select_related("staff"),
)
def court_report_complete(request: HttpRequest, person: Person, record: CourtReport) -> HttpResponse:
    form = CourtReportCompleteForm(
        request.POST if request.method == "POST" else None, initial={"completed_on": timezone.localdate()}
    )
    if form.is_valid():
        try:
            services.court_report_complete(report=record, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{record.get_kind_display()} recorded as completed")
            return redirect("cases:court-reports", crn=person.crn)
    title = f"Record the completion of the {record.get_kind_display().lower()} due {record.due_on:%-d %B %Y}"
    context = {"person": person, "form": form, "title": title, "back": "cases:court-reports"}
    return render(request, "cases/simple_form.html", context)
