from django.contrib import admin

from probation.models import JobRun, SignInAttempt


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "runs"]
    readonly_fields = ["name", "last_run_at", "runs"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "ip", "succeeded"]
    list_filter = ["succeeded"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
