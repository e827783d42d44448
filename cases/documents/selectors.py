"""Reads for the documents of a case: one query for the list, however many documents."""

from django.db.models import QuerySet

from cases.models import Document, Person

# A letter made here is kept as an HTML file; the letter itself is between these markers.
LETTER_START = "<!-- letter -->"
LETTER_END = "<!-- end of letter -->"


def documents_of(person: Person) -> QuerySet[Document]:
    """The person's documents, latest first (by the date on them)."""
    return Document.objects.filter(person=person).select_related("added_by__staff").order_by("-dated_on", "-id")


def letter_body(document: Document) -> str:
    """The letter a stored copy holds, between its markers (cases/letters/services.py writes them)."""
    with document.file.open("rb") as file:
        text = file.read().decode("utf-8")
    start, end = text.find(LETTER_START), text.find(LETTER_END)
    return text[start + len(LETTER_START) : end] if 0 <= start < end else ""
