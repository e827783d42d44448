from typing import Any, cast

from django import forms

from probation.govuk_forms import DateField, GovukFormMixin
from regions.models import PDU, StaffMember


class TransferRequestForm(GovukFormMixin, forms.Form):
    to_pdu = forms.ModelChoiceField(label="Transfer to", queryset=PDU.objects.none(), empty_label="Choose a PDU")
    reason = forms.CharField(label="Why is the case transferring?", widget=forms.Textarea(attrs={"rows": 3}))
    on = DateField(label="Date of the request", past=True, called="The date of the request")

    def __init__(self, *args: Any, from_pdu_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_pdu = cast(forms.ModelChoiceField, self.fields["to_pdu"])
        to_pdu.queryset = PDU.objects.exclude(pk=from_pdu_id).select_related("region").order_by("region__name", "name")
        to_pdu.label_from_instance = lambda pdu: f"{pdu.name} ({pdu.region.name})"  # type: ignore[method-assign,assignment]
        self.fields["to_pdu"].error_messages["required"] = "Choose the PDU the case is transferring to"
        self.fields["reason"].error_messages["required"] = "Enter why the case is transferring"


class TransferDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept, and allocate a receiving officer"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    officer = forms.ModelChoiceField(
        label="Receiving officer", queryset=StaffMember.objects.none(), required=False, empty_label="Choose an officer"
    )
    rejection_reason = forms.CharField(
        label="Why are you rejecting it?", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    on = DateField(label="Date of the decision", past=True, called="The date of the decision")

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["decision"].error_messages["required"] = "Select your decision"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "accept" and not cleaned.get("officer"):
            self.add_error("officer", "Choose the receiving officer")
        if cleaned.get("decision") == "reject" and not cleaned.get("rejection_reason", "").strip():
            self.add_error("rejection_reason", "Enter why you are rejecting the transfer")
        return cleaned
