"""Reference data the product starts with; administrators change it in Django admin."""

# code, name, face to face, enforceable by default, needs an outcome
CONTACT_TYPES = [
    ("initial_appointment", "Initial appointment", True, True, True),
    ("office_visit", "Office visit", True, True, True),
    ("home_visit", "Home visit", True, True, True),
    ("video", "Video call", True, True, True),
    ("telephone", "Telephone call", False, False, True),
    ("upw_session", "Unpaid work session", False, True, True),  # not with the RO: no National Standards contact
    ("programme_session", "Programme session", False, True, True),
    ("other", "Other agency appointment", False, False, True),
    ("email_letter", "Email or letter", False, False, False),  # nothing to attend: no outcome needed
]

# What an officer logs after the fact, without a booking (cases/contacts/forms.py LogContactForm), in this order.
UNBOOKED_CONTACT_TYPES = ("telephone", "email_letter", "office_visit", "other", "home_visit")


def ensure_contact_types(model: type) -> None:
    """Create any missing contact type; used by the data migration and by tests after a flush."""
    for order, (code, name, face_to_face, enforceable, needs_outcome) in enumerate(CONTACT_TYPES):
        model.objects.get_or_create(  # type: ignore[attr-defined]
            code=code,
            defaults={
                "name": name,
                "face_to_face": face_to_face,
                "enforceable": enforceable,
                "needs_outcome": needs_outcome,
                "order": order,
            },
        )
