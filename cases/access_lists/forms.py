from typing import Any

from django import forms

from cases.access_lists import selectors
from cases.models import AccessRule
from probation.govuk_forms import GovukFormMixin
from regions.models import StaffMember

KINDS = [
    (AccessRule.Kind.RESTRICTION.value, "Restriction list: only the staff on it may see the case"),
    (AccessRule.Kind.EXCLUSION.value, "Exclusion list: the staff on it may not see the case"),
]
CONFIRM = "I understand that I will no longer be able to see this case"


class AccessRuleForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Which list", choices=KINDS, widget=forms.RadioSelect)
    staff = forms.CharField(
        label="Staff code",
        max_length=20,
        help_text="The code of the member of staff, for example N01A123 (shown on their account page)",
    )
    reason = forms.CharField(label="Reason", max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=CONFIRM, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Choose which list to add them to"
        self.fields["kind"].error_messages["invalid_choice"] = "Choose which list to add them to"
        self.fields["staff"].error_messages["required"] = "Enter the staff code"

    def clean_staff(self) -> StaffMember:
        staff = selectors.staff_by_code(self.cleaned_data["staff"])
        if staff is None:
            raise forms.ValidationError("No member of staff has this code")
        return staff

    def ask_to_confirm(self) -> None:
        self.fields["confirm"].widget = forms.CheckboxInput()
        self.helper = self.build_helper()


class RemoveRuleForm(GovukFormMixin, forms.Form):
    remove = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=CONFIRM, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove"].error_messages["required"] = "Choose the entry to remove"
        self.fields["remove"].error_messages["invalid"] = "Choose the entry to remove"

    def ask_to_confirm(self) -> None:
        self.fields["confirm"].widget = forms.CheckboxInput()
        self.helper = self.build_helper()
