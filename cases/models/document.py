"""Documents on a case: files uploaded to it (court reports, letters received, licences) and copies of the letters
made from it. The file is kept in the documents store (settings.STORAGES["documents"]: a private directory, or an
S3-compatible bucket), under a random name; only the download view reads it back (cases/documents/views.py)."""

import secrets

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models

from cases.models.person import Person


def documents_storage() -> Storage:
    """The documents store, looked up when used, so a setting (or a test) can change it."""
    return storages["documents"]


def random_name(instance: "Document", filename: str) -> str:
    """Where a file is kept: a random name, nothing of what the uploader called it (that is in Document.name)."""
    return f"{instance.person.crn[:1]}/{secrets.token_hex(16)}"


class Document(models.Model):
    class Type(models.TextChoices):
        COURT_REPORT = "court_report", "Court report"
        PRE_SENTENCE_REPORT = "pre_sentence_report", "Pre-sentence report"
        LETTER_RECEIVED = "letter_received", "Letter received"
        LICENCE = "licence", "Licence"
        LETTER_SENT = "letter_sent", "Letter sent"
        OTHER = "other", "Other"

    class Letter(models.TextChoices):
        APPOINTMENT = "appointment", "Appointment letter"
        WARNING = "warning", "Warning letter"
        BREACH = "breach", "Breach letter"

    person = models.ForeignKey(Person, models.PROTECT, related_name="documents")
    type = models.CharField(max_length=20, choices=Type.choices)
    dated_on = models.DateField(help_text="The date on the document")
    name = models.CharField(max_length=200, help_text="The file's name as uploaded (or made), shown and downloaded as")
    file = models.FileField(
        storage=documents_storage,
        upload_to=random_name,
        max_length=100,
        blank=True,
        help_text="Empty for a document known only from an import (its file is held elsewhere)",
    )
    content_type = models.CharField(max_length=100, help_text="What the file is, found from its content")
    size = models.PositiveIntegerField()
    letter = models.CharField(
        max_length=12, choices=Letter.choices, blank=True, help_text="For a letter made here: which letter"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dated_on", "-id"]
        indexes = [models.Index(fields=["person", "-dated_on"], name="document_person_date")]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.name}"
