from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from probation import throttle
from probation.govuk_forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been disabled: ask your administrator",
    }

    def clean(self) -> dict[str, Any]:
        """Authentication counts and refuses attempts (probation/auth.py); here a refusal while the username is
        locked says so, and when it opens again."""
        username = self.cleaned_data.get("username") or ""
        try:
            return super().clean()
        except forms.ValidationError:
            if username and (until := throttle.locked_until(username, throttle.address(self.request))):
                raise forms.ValidationError(
                    "You have tried to sign in too many times. Try again after "
                    f"{timezone.localtime(until):%H:%M}, or ask your administrator to help",
                    code="locked",
                ) from None
            raise

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        # GOV.UK pages do not autofocus: after an error the error summary takes focus instead.
        self.fields["username"].widget.attrs.pop("autofocus", None)
