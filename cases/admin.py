from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from cases import audit
from cases.models import AccessRule, Alias, Allocation, Event, Person, Registration, Requirement


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in Django admin are audited like any other change to a case."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            obj = form.instance
            person = obj if isinstance(obj, Person) else obj.person
            changed = sorted(set(form.changed_data) | {f.prefix for f in formsets if f.has_changed()})
            audit.record(
                request.user,
                f"admin.{obj._meta.model_name}.{'change' if change else 'create'}",
                person,
                obj,
                fields=changed,
            )

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # case records are never deleted


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0


class AccessRuleInline(admin.TabularInline):
    model = AccessRule
    extra = 0
    autocomplete_fields = ["staff"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["crn", "last_name", "first_name", "date_of_birth", "pdu", "tier", "rosh"]
    list_select_related = ["pdu"]
    search_fields = ["crn", "last_name", "pnc"]
    list_filter = ["pdu__region", "rosh"]
    inlines = [AliasInline, RegistrationInline, AccessRuleInline]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


class AllocationInline(admin.TabularInline):
    model = Allocation
    extra = 0
    fk_name = "event"
    autocomplete_fields = ["staff", "allocated_by"]


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ["person", "ref", "type", "sentence_date", "terminated_on", "pdu"]
    list_select_related = ["person", "pdu"]
    search_fields = ["person__crn"]
    list_filter = ["type", "pdu__region"]
    raw_id_fields = ["person"]
    inlines = [RequirementInline, AllocationInline]
