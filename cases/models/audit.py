"""The append-only audit trail: every read of a case page and every change to a case."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from cases.models.person import Person


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only")


class AuditEvent(models.Model):
    """Also protected in PostgreSQL by a trigger that refuses UPDATE and DELETE (migration 0002)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=50)  # "case.view", "event.create", "allocation.change" ...
    person = models.ForeignKey(Person, models.PROTECT, null=True, related_name="audit_events")
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="audit_person_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only")
