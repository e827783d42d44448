from django.contrib import admin

from cases.standards.ledger import follow_officer_to_team
from regions.models import PDU, CapacitySnapshot, Reduction, Region, StaffMember, Team, WorkloadWeight


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(PDU)
class PDUAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "pdu"]
    list_filter = ["pdu__region"]
    list_select_related = ["pdu"]
    search_fields = ["code", "name"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "grade", "team", "pdu", "region", "contracted_hours", "active"]
    list_filter = ["grade", "active", "region"]
    list_select_related = ["team", "pdu", "region"]
    search_fields = ["code", "name", "user__username"]
    autocomplete_fields = ["user", "team", "pdu", "region"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        if change and "team" in form.changed_data:  # their obligations count for the team they are in now
            follow_officer_to_team(obj.pk, obj.team_id)


@admin.register(WorkloadWeight)
class WorkloadWeightAdmin(admin.ModelAdmin):
    list_display = ["kind", "tier", "points"]
    list_filter = ["kind"]
    list_editable = ["points"]


@admin.register(Reduction)
class ReductionAdmin(admin.ModelAdmin):
    list_display = ["staff", "kind", "hours", "starts_on", "ends_on", "reason"]
    list_filter = ["kind"]
    list_select_related = ["staff"]
    search_fields = ["staff__name", "staff__code"]
    autocomplete_fields = ["staff"]


@admin.register(CapacitySnapshot)
class CapacitySnapshotAdmin(admin.ModelAdmin):
    list_display = ["staff", "month", "cases", "points", "available_points", "overdue"]
    list_select_related = ["staff"]
    search_fields = ["staff__name", "staff__code"]
    date_hierarchy = "month"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # derived: written by the monthly job
