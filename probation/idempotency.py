"""Once-only form submissions: a form carries a random key in a hidden field; the view claims the key in
the same transaction as the change it makes, so a second post of the same form changes nothing."""

import uuid

from django import forms
from django.db import IntegrityError, transaction

from probation.models import Submission


class OnceOnlyField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, max_length=64, **kwargs)  # type: ignore[arg-type]
        self.initial = uuid.uuid4().hex

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        self.initial = uuid.uuid4().hex  # a new key each time the form is shown
        return super().get_bound_field(form, field_name)


def claim(key: str) -> bool:
    """True the first time a key is claimed (call inside the change's transaction); a form without a key
    (an older page, a script) is always carried out."""
    if not key:
        return True
    try:
        with transaction.atomic():
            Submission.objects.create(key=key)
    except IntegrityError:
        return False
    return True
