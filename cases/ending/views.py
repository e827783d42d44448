"""Recording the early end of a sentence: the form, a check-your-answers step, then the end itself."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.case_pages import case_page
from cases.ending import services
from cases.ending.forms import EventEndForm
from cases.models import Event, Person
from probation.forms_errors import add_validation_error


@case_page(write=True)
def end_event(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    """GET: the form. POST: checked, then the answers to confirm ("confirm" sent), or the form again ("change")."""
    form = EventEndForm(request.POST if request.method == "POST" else None, event=event)
    title = f"End the sentence: event {event.ref}"
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                services.event_end(event, request.user, data["on"], data["reason"], data["note"])
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, f"The sentence (event {event.ref}) is recorded as ended")
                return redirect("cases:overview", crn=person.crn)
        else:
            reason = Event.TerminationReason(data["reason"]).label
            return render(
                request,
                "cases/event_end_check.html",
                {"person": person, "event": event, "form": form, "data": data, "reason": reason, "title": title},
            )
    return render(request, "cases/event_end.html", {"person": person, "event": event, "form": form, "title": title})
