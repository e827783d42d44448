"""Write the audit trail. Every case page read and every change goes through record()."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from cases.models import AuditEvent, Person


def record(
    user: User | AnonymousUser,
    action: str,
    person: Person | None,
    obj: models.Model | None = None,
    **detail: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if user.is_authenticated else None,
        action=action,
        person=person,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
