"""Writes to a case's documents: each one change to the case, audited. The file goes to the documents store
(settings.STORAGES["documents"]) under a random name; what it was called is kept in Document.name."""

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.files import File

from cases.models import Document, Person
from cases.unit_of_work import case_change


def document_add(
    *,
    person: Person,
    user: User | AnonymousUser,
    file: File,
    name: str,
    content_type: str,
    type: str,
    dated_on: date,
    letter: str = "",
) -> Document:
    """A document on the case: the file is written to the store as part of the change (a change that fails
    afterwards leaves the file behind, unnamed by any row)."""
    with case_change(person, user, "document.add") as change:
        document = Document(
            person=person,
            type=type,
            dated_on=dated_on,
            name=name,
            content_type=content_type,
            size=file.size or 0,
            letter=letter,
            added_by=user if user.is_authenticated else None,
        )
        document.file.save(name, file, save=False)
        document.full_clean()
        document.save()
        change.touches(document, type=type, name=name, size=document.size, letter=letter)
        return document
