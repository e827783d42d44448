from django.contrib import admin

from regions.models import PDU, Region, StaffMember, Team


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
