"""A case's documents: the list (anyone who may read the case), uploading one (those who may change it), and
downloading one (anyone who may read the case; every download audited)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from cases import audit
from cases.access import may_change_as_read
from cases.case_pages import case_page
from cases.documents import selectors, services
from cases.documents.forms import DocumentUploadForm
from cases.models import Document, Event, Person


@case_page(rights=True)
def documents(request: HttpRequest, person: Person) -> HttpResponse:
    may_change = may_change_as_read(request.user, person)
    events = list(Event.objects.active().filter(person=person).order_by("ref")) if may_change else []
    context = {
        "person": person,
        "documents": list(selectors.documents_of(person)),
        "may_change": may_change,
        "events": events,
    }
    return render(request, "cases/documents.html", context)


@case_page(write=True)
def document_upload(request: HttpRequest, person: Person) -> HttpResponse:
    form = DocumentUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        too_large=getattr(request, "upload_too_large", False),
        initial={"dated_on": timezone.localdate()},
    )
    if form.is_valid():
        upload = form.cleaned_data["file"]
        document = services.document_add(
            person=person,
            user=request.user,
            file=upload,
            name=upload.name,
            content_type=upload.content_type,
            type=form.cleaned_data["type"],
            dated_on=form.cleaned_data["dated_on"],
        )
        messages.success(request, f"{document.name} uploaded")
        return redirect("cases:documents", crn=person.crn)
    return render(request, "cases/document_upload.html", {"person": person, "form": form})


@case_page(record=Document.objects.all())
@require_safe
def document_download(request: HttpRequest, person: Person, record: Document) -> HttpResponse:
    """The file, as an attachment (never shown in the browser's window), named as it was uploaded: read whole
    (it is at most settings.DOCUMENT_MAX_BYTES)."""
    if not record.file:
        raise Http404("This document's file is held elsewhere: it came from an import, as a record only")
    audit.record(request.user, "document.download", person, record, name=record.name, type=record.type)
    with record.file.open("rb") as file:
        response = HttpResponse(file.read(), content_type=record.content_type)
    response["Content-Disposition"] = content_disposition_header(True, record.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
