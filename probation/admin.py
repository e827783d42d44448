from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from probation import sessions
from probation.models import JobRun, SignInAttempt, UserSession


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


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Who is signed in where; an administrator can sign someone out everywhere (a lost laptop, a leaver)."""

    list_display = ["user", "started_at", "ip", "browser"]
    search_fields = ["user__username", "ip"]
    actions = ["sign_out_everywhere"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.action(description="Sign these people out everywhere")
    def sign_out_everywhere(self, request: HttpRequest, chosen: QuerySet[UserSession]) -> None:
        ended = sum(sessions.sign_out_everywhere(user) for user in {s.user for s in chosen.select_related("user")})
        self.message_user(request, f"{ended} sessions ended", messages.SUCCESS)
