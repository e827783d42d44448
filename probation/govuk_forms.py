"""Every form renders through crispy-forms-gds; the page supplies <form>, the error summary and the button."""

from typing import Any

from crispy_forms_gds.helper import FormHelper


class GovukFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
