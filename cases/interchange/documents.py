"""Documents in probation-cases/1: metadata only (the optional `documents` list of a person), never the files.

    "documents": [{"type": "pre_sentence_report", "date": "2026-11-02", "name": "psr.pdf",
                   "content_type": "application/pdf", "size": 48213, "letter": null}]

`type` is one of court_report, pre_sentence_report, letter_received, licence, letter_sent, other; `letter` is
appointment, warning or breach for a letter made in the service, else null. The export writes the key only for
a person with documents. The import, given the key, makes the person's list of documents the file's: a document
already held (same type, date and name) is kept with its file; one the file adds is recorded without a file (its
file is held elsewhere: the download page says so); one the file leaves out is removed only if it has no file
here (a stored file is never deleted by an import). Without the key, the person's documents are left alone."""

from typing import Any

from cases.interchange.reader import Reader
from cases.models import Document, Person

KEY = "documents"


def export(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "type": d.type,
            "date": d.dated_on.isoformat(),
            "name": d.name,
            "content_type": d.content_type,
            "size": d.size,
            "letter": d.letter or None,
        }
        for d in sorted(person.documents.all(), key=lambda d: (d.dated_on, d.type, d.name, d.pk))
    ]


def parse(item: Reader) -> list[dict[str, Any]] | None:
    """The person's documents as the file gives them, or None when it has no `documents` key."""
    if item.data.get(KEY) is None:
        return None
    records = []
    for document in item.items(KEY):
        records.append(
            {
                "type": document.choice("type", frozenset(Document.Type.values)),
                "dated_on": document.day("date"),
                "name": document.text("name", max_length=200),
                "content_type": document.text("content_type", required=False, max_length=100) or "",
                "size": document.integer("size", required=False, low=0) or 0,
                "letter": document.choice("letter", frozenset(Document.Letter.values), required=False) or "",
            }
        )
    return records


def write(person: Person, records: list[dict[str, Any]] | None) -> None:
    if records is None:
        return
    held = {(d.type, d.dated_on, d.name): d for d in Document.objects.filter(person=person)}
    wanted = {(r["type"], r["dated_on"], r["name"]): r for r in records}
    gone = [d.pk for key, d in held.items() if key not in wanted and not d.file]
    Document.objects.filter(pk__in=gone).delete()
    Document.objects.bulk_create(
        Document(person=person, file="", **record) for key, record in wanted.items() if key not in held
    )
