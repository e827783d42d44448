"""Letters: making one from a sentence of the case (its RO and the managers of its PDU), and the print page of a
letter kept on the case (anyone who may read the case)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from cases.case_pages import case_page
from cases.documents.selectors import letter_body
from cases.letters import services
from cases.letters.forms import LetterForm
from cases.models import Document, Event, Person
from probation.forms_errors import add_validation_error


@case_page(write=True)
def letter_new(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    form = LetterForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            document = services.letter_make(event=event, user=request.user, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{document.get_letter_display()} made: a copy is kept in the case's documents")
            return redirect("cases:letter-print", crn=person.crn, pk=document.pk)
    title = f"Make a letter about event {event.ref}"
    return render(
        request, "cases/simple_form.html", {"person": person, "form": form, "title": title, "back": "cases:documents"}
    )


@case_page(record=Document.objects.exclude(letter="").exclude(file=""))
def letter(request: HttpRequest, person: Person, record: Document) -> HttpResponse:
    # The copy was written by letter_make from an autoescaped template: it is the service's own markup.
    body = mark_safe(letter_body(record))  # noqa: S308
    return render(request, "cases/letters/print.html", {"person": person, "document": record, "body": body})
