from django.apps import AppConfig


class ProbationConfig(AppConfig):
    name = "probation"
    verbose_name = "Service"

    def ready(self) -> None:
        from probation import sessions  # noqa: F401  (connects the sign-in and sign-out receivers)
