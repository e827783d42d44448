"""Who may see a case: its restriction and exclusion lists, kept by the SPOs and head of the case's PDU."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.access_lists import selectors, services
from cases.access_lists.forms import AccessRuleForm, RemoveRuleForm
from cases.case_pages import case_page
from cases.models import Person
from probation.forms_errors import add_validation_error


@case_page(write=True, managers=True)
def case_access(request: HttpRequest, person: Person) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    removing = posted is not None and "remove" in posted
    form = AccessRuleForm(None if removing else posted)
    remove_form = RemoveRuleForm(posted if removing else None)
    done = None
    if removing and remove_form.is_valid():
        try:
            rule = services.access_rule_remove(
                person=person,
                user=request.user,
                rule_id=remove_form.cleaned_data["remove"],
                confirmed=remove_form.cleaned_data["confirm"],
            )
        except ValidationError as error:
            add_validation_error(remove_form, error)
            if "confirm" in remove_form.errors:
                remove_form.ask_to_confirm()
        else:
            done = f"{rule.staff.name} removed from the {services.list_name(rule.kind)}"
    elif not removing and form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.access_rule_add(
                person=person,
                user=request.user,
                kind=data["kind"],
                staff=data["staff"],
                reason=data["reason"],
                confirmed=data["confirm"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
            if "confirm" in form.errors:
                form.ask_to_confirm()
        else:
            done = f"{rule.staff.name} added to the {services.list_name(rule.kind)}"
    if done is not None:
        messages.success(request, done)
        if not selectors.still_visible(request.user, person):
            return redirect("cases:search")
        return redirect("cases:case-access", crn=person.crn)
    rules = list(selectors.rules_of(person))
    context = {
        "person": person,
        "form": form,
        "remove_form": remove_form,
        "removing": removing,
        "restricted_to": [r for r in rules if r.kind == "restriction"],
        "excluded": [r for r in rules if r.kind == "exclusion"],
    }
    return render(request, "cases/case_access.html", context)
