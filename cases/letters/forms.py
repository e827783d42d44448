from typing import Any

from django import forms

from cases.models import Document
from probation.govuk_forms import GovukFormMixin


class LetterForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Which letter?", choices=Document.Letter.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Select which letter to make"
        self.fields["kind"].error_messages["invalid_choice"] = "Select which letter to make"
