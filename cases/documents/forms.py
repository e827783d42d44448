from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from cases.documents.content import ACCEPTED, extension_of, kind_of
from cases.models import Document
from probation.govuk_forms import DateField, GovukFormMixin

# What an officer may upload: a letter sent is made here (cases/letters), not uploaded.
UPLOAD_TYPES = [choice for choice in Document.Type.choices if choice[0] != Document.Type.LETTER_SENT] + [
    (Document.Type.LETTER_SENT, "Letter sent (made elsewhere)")
]
NAME_LIMIT = 200


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}MB"


class DocumentUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"{ACCEPTED[0].upper()}{ACCEPTED[1:]}, up to {megabytes(settings.DOCUMENT_MAX_BYTES)}",
        widget=forms.ClearableFileInput,
        allow_empty_file=True,  # an empty file gets the GOV.UK message below, not Django's
        max_length=None,
    )
    type = forms.ChoiceField(label="What is it?", choices=UPLOAD_TYPES, widget=forms.RadioSelect)
    dated_on = DateField(
        label="Date of the document", past=True, called="The date of the document", help_text="For example, 19 11 2026"
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        limit = megabytes(settings.DOCUMENT_MAX_BYTES)
        self.fields["file"].help_text = f"{ACCEPTED[0].upper()}{ACCEPTED[1:]}, up to {limit}"
        self.fields["file"].error_messages["required"] = (
            f"The selected file must be smaller than {limit}" if too_large else "Select a file"
        )
        self.fields["file"].error_messages["invalid"] = "Select a file"
        self.fields["type"].error_messages["required"] = "Select what the document is"
        self.fields["type"].error_messages["invalid_choice"] = "Select what the document is"
        self.fields["dated_on"].error_messages["required"] = "Enter the date of the document"

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        raw = upload.name or ""
        name = raw.strip()
        if any(part in raw for part in ("/", "\\")) or name in {"", ".", ".."} or name.startswith(".."):
            raise forms.ValidationError("The selected file's name must not include a folder (/ or \\ or ..)")
        if any(not char.isprintable() for char in name):
            raise forms.ValidationError("The selected file's name must not include hidden characters")
        if len(name) > NAME_LIMIT:
            raise forms.ValidationError(f"The selected file's name must be {NAME_LIMIT} characters or fewer")
        if upload.size is None or upload.size > settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {megabytes(settings.DOCUMENT_MAX_BYTES)}"
            )
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        kind = kind_of(upload)
        if kind is None:
            raise forms.ValidationError(f"The selected file must be {ACCEPTED}")
        if extension_of(name) not in kind.extensions:
            raise forms.ValidationError(
                f"The selected file is a {kind.label} but its name does not end in {kind.extensions[0]}:"
                f" rename it to end in {kind.extensions[0]}"
            )
        upload.name = name
        upload.content_type = kind.content_type  # what it is, not what the browser said
        return upload
