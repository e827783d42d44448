"""The case interchange format, probation-cases/1 (../shared/INTERCHANGE.md): read, validate, import, export."""

FORMAT = "probation-cases/1"

# The published value sets (INTERCHANGE.md). The product records finer distinctions than the format carries;
# export writes each as the published value the rules judge it by, so a file always reads back the same way.
CONTACT_TYPES = frozenset(
    {
        "initial_appointment",
        "office_visit",
        "home_visit",
        "video",
        "telephone",
        "upw_session",
        "programme_session",
        "other",
    }
)
OUTCOME_AS_PUBLISHED = {
    "sent_home_behaviour": "failed_to_comply",  # seen, an enforceable failure (cases/models/contact.py FAILURES)
    "sent_home_service": "attended",  # seen, came as instructed: neither a failure nor an absence
}


def published_contact_type(code: str) -> str:
    """An email or letter, or any type an administrator added, is `other` in the format."""
    return code if code in CONTACT_TYPES else "other"


def published_outcome(outcome: str) -> str | None:
    return OUTCOME_AS_PUBLISHED.get(outcome, outcome) or None
