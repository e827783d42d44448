import logging
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from kombu.exceptions import OperationalError as BrokerError

from cases.models import (
    CalendarDay,
    ContactType,
    KpiTarget,
    RuleSetting,
)
from cases.standards.rules import DEFAULTS, SETTINGS

logger = logging.getLogger(__name__)


# Case records (people, their events, court reports and everything else of a case) are not in the admin:
# administrators manage reference data, users and staff. A case is read and changed in the service, through
# its pages (cases/case_pages.py: the limited-access rules, every read audited) and its services (every change
# through cases/unit_of_work.py): court reports at /cases/<crn>/court-reports/, who may see a case at
# /cases/<crn>/access/. tests/probation/test_access_admin.py fails any case-linked model registered here.


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
