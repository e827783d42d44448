"""Making a letter: it is written from its template with the facts of the case (cases/letters/selectors.py), and
a copy is kept on the case as a document (an HTML file, type "letter sent"), which the print page shows."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from cases.documents.content import HTML_LETTER
from cases.documents.selectors import LETTER_END, LETTER_START
from cases.documents.services import document_add
from cases.letters.selectors import LetterFacts, letter_facts
from cases.models import Document, Event


def letter_make(*, event: Event, user: User | AnonymousUser, kind: str) -> Document:
    facts = letter_facts(event)
    _check(kind, facts)
    title = Document.Letter(kind).label
    body = render_to_string(f"cases/letters/{kind}.html", {"facts": facts, "title": title})
    page = render_to_string(
        "cases/letters/standalone.html",
        {"facts": facts, "title": title, "body": body, "start": LETTER_START, "end": LETTER_END},
    )
    name = f"{kind}-letter-{facts.person.crn}-{facts.today:%Y-%m-%d}.html"
    content = ContentFile(page.encode("utf-8"), name=name)
    return document_add(
        person=facts.person,
        user=user,
        file=content,
        name=name,
        content_type=HTML_LETTER.content_type,
        type=Document.Type.LETTER_SENT,
        dated_on=facts.today,
        letter=kind,
    )


def _check(kind: str, facts: LetterFacts) -> None:
    if kind not in Document.Letter.values:
        raise ValidationError({"kind": "Select which letter to make"})
    if kind == Document.Letter.APPOINTMENT and facts.next_appointment is None:
        raise ValidationError({"kind": "There is no appointment booked on this sentence: book one first"})
    if kind == Document.Letter.WARNING and facts.warning is None:
        raise ValidationError({"kind": "There is no warning on this sentence to write about"})
    if kind == Document.Letter.BREACH and facts.breach is None:
        raise ValidationError({"kind": "No breach has been started on this sentence"})
