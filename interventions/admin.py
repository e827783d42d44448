from django.contrib import admin

from interventions.models import Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "area", "region", "active"]
    list_filter = ["area", "region", "active"]
    search_fields = ["name", "provider"]
