from typing import Any, cast

from django import forms

from cases.models import CourtReport
from probation.govuk_forms import DateField, GovukFormMixin
from regions.models import StaffMember


class CourtReportForm(GovukFormMixin, forms.Form):
    staff = forms.ModelChoiceField(
        label="Officer writing the report", queryset=StaffMember.objects.none(), empty_label="Choose an officer"
    )
    kind = forms.ChoiceField(label="Kind of report", choices=CourtReport.Kind.choices, widget=forms.RadioSelect)
    requested_on = DateField(
        label="Date the court requested it", past=True, called="The date requested", help_text="For example, 19 11 2026"
    )
    due_on = DateField(label="Due date", called="The due date", help_text="For example, 3 12 2026")

    def __init__(self, *args: Any, authors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = cast(forms.ModelChoiceField, self.fields["staff"])
        staff.queryset = authors
        staff.error_messages["required"] = "Choose the officer writing the report"
        staff.error_messages["invalid_choice"] = "Choose an officer from the list"
        self.fields["kind"].error_messages["required"] = "Choose the kind of report"
        self.fields["kind"].error_messages["invalid_choice"] = "Choose the kind of report"
        self.fields["requested_on"].error_messages["required"] = "Enter the date the court requested it"
        self.fields["due_on"].error_messages["required"] = "Enter the due date"


class CourtReportCompleteForm(GovukFormMixin, forms.Form):
    completed_on = DateField(
        label="Date completed", past=True, called="The date completed", help_text="For example, 1 12 2026"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].error_messages["required"] = "Enter the date the report was completed"
