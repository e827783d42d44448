import logging
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from kombu.exceptions import OperationalError as BrokerError

from cases import audit
from cases.access import visible_people
from cases.models import (
    AccessRule,
    Alias,
    Allocation,
    CalendarDay,
    ContactType,
    CourtReport,
    Event,
    KpiTarget,
    Person,
    Registration,
    Requirement,
    RuleSetting,
)
from cases.standards.rules import DEFAULTS, SETTINGS
from cases.unit_of_work import case_change

logger = logging.getLogger(__name__)


class CaseRecordAdmin(admin.ModelAdmin):
    """Case records are changed in the service, through its services (cases/unit_of_work.py), never here: the
    admin shows them read-only, audited and within the limited-access rules. The one thing administrators
    change on a case is who may see it (its restriction and exclusion lists)."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # case records are never deleted

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        """Limited-access cases stay hidden here too, unless the administrator is allowed to see them."""
        visible = visible_people(request.user)
        queryset = super().get_queryset(request)
        return queryset.filter(pk__in=visible) if queryset.model is Person else queryset.filter(person__in=visible)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            audit.record(request.user, "admin.view", obj if isinstance(obj, Person) else obj.person, obj)
        return super().change_view(request, object_id, form_url, extra_context)


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class AliasInline(ReadOnlyInline):
    model = Alias


class RegistrationInline(ReadOnlyInline):
    model = Registration


class AccessRuleInline(admin.TabularInline):
    model = AccessRule
    extra = 0
    autocomplete_fields = ["staff"]


@admin.register(Person)
class PersonAdmin(CaseRecordAdmin):
    list_display = ["crn", "last_name", "first_name", "date_of_birth", "pdu", "tier", "rosh"]
    list_select_related = ["pdu"]
    search_fields = ["crn", "last_name", "pnc"]
    list_filter = ["pdu__region", "rosh"]
    inlines = [AliasInline, RegistrationInline, AccessRuleInline]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        """The person's own fields are read-only here: nothing of them to save."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """A change to who may see the case is a change to the case: audited, one at a time."""
        with case_change(form.instance, request.user, "admin.access.change") as case:
            super().save_related(request, form, formsets, change)
            case.touches(form.instance, fields=sorted(f.prefix for f in formsets if f.has_changed()))


class RequirementInline(ReadOnlyInline):
    model = Requirement


class AllocationInline(ReadOnlyInline):
    model = Allocation
    fk_name = "event"


@admin.register(Event)
class EventAdmin(CaseRecordAdmin):
    list_display = ["person", "ref", "type", "sentence_date", "terminated_on", "pdu"]
    list_select_related = ["person", "pdu"]
    search_fields = ["person__crn"]
    list_filter = ["type", "pdu__region"]
    inlines = [RequirementInline, AllocationInline]

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(ContactType)
class ContactTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "face_to_face", "enforceable", "needs_outcome", "active", "order"]
    list_editable = ["face_to_face", "enforceable", "needs_outcome", "active", "order"]

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # contacts refer to their type for ever: retire a type by making it inactive

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Whether a type is face to face is a parameter of the National Standards rules: a change re-derives
        the ledger, as a change to a rule's period does."""
        super().save_model(request, obj, form, change)
        if "face_to_face" in form.changed_data:
            transaction.on_commit(queue_rebuild)


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    """A change to a National Standards rule's period re-derives the whole ledger (in the background)."""

    list_display = ["rule", "period", "option", "changed_at"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "rule":
            names = [(name, f"{name}: {rule.title} ({rule.period} {rule.unit})") for name, rule in DEFAULTS.items()]
            names += [(name, f"{name}: {s.title} ({s.default} {s.unit})") for name, s in SETTINGS.items()]
            return forms.ChoiceField(choices=names, label="Rule")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(queue_rebuild)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(queue_rebuild)


def queue_rebuild() -> None:
    """Runs once the change is committed. With the broker down the change stands and the page still answers:
    the catch-up job sends the rebuild when the broker is back (cases.tasks.catch_up)."""
    from cases.tasks import standards_rebuild

    try:
        standards_rebuild.delay()
    except BrokerError:
        logger.warning("The job queue is unreachable: the ledger rebuild will be sent when it is back", exc_info=True)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Read-only: the days are derived from the England & Wales bank holidays by `manage.py calendar_refresh`,
    with a running working-day index that an edit to one day would make wrong for every day after it."""

    list_display = ["day", "is_working", "working_index", "holiday"]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(CourtReport)
class CourtReportAdmin(CaseRecordAdmin):
    """Court reports count towards an officer's workload and are kept here until the service has a page for
    them: within the limited-access rules, every read audited, and every save one change to the case."""

    list_display = ["person", "staff", "kind", "requested_on", "due_on", "completed_on"]
    list_filter = ["kind"]
    list_select_related = ["person", "staff"]
    search_fields = ["person__crn", "staff__name", "staff__code"]
    autocomplete_fields = ["person", "staff"]

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super(CaseRecordAdmin, self).has_add_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        return []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "person":
            kwargs["queryset"] = visible_people(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: CourtReport, form: Any, change: bool) -> None:
        with case_change(obj.person_id, request.user, "court_report.change" if change else "court_report.create") as c:
            super().save_model(request, obj, form, change)
            c.touches(obj, fields=sorted(form.changed_data))


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ["measure", "target", "effective_from", "higher_is_better"]
    list_filter = ["measure"]
    ordering = ["measure", "-effective_from"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "measure":  # one of the measures kpi_report names
            from regions.performance.measures import MEASURES

            return forms.ChoiceField(choices=[(name, m.title) for name, m in MEASURES.items()], label="Measure")
        return super().formfield_for_dbfield(db_field, request, **kwargs)
