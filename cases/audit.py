"""Write the audit trail: every case page read and every change goes through record(). It writes audit rows
and nothing else (a change's other consequences are in cases/unit_of_work.py)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from cases.models import AuditEvent, Person


def record(
    user: User | AnonymousUser,
    action: str,
    person: Person | int | None,
    obj: models.Model | None = None,
    **detail: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if user.is_authenticated else None,
        action=action,
        person_id=person.pk if isinstance(person, Person) else person,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
