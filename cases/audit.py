"""Write the audit trail. Every case page read and every change goes through record()."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from cases.models import AuditEvent, Person

READS = frozenset({"case.view", "case.view_refused", "case.change_refused", "audit.view", "admin.view"})


def record(
    user: User | AnonymousUser,
    action: str,
    person: Person | None,
    obj: models.Model | None = None,
    **detail: Any,
) -> AuditEvent:
    """Audit a read or a change; a change also brings the person's National Standards obligations up to date
    in the same transaction (the ledger is derived from the facts the change wrote)."""
    if person is not None and action not in READS:
        from cases.standards import ledger

        ledger.refresh_person(person)
    return AuditEvent.objects.create(
        user=user if user.is_authenticated else None,
        action=action,
        person=person,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
