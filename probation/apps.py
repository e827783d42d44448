from django.apps import AppConfig


class ProbationConfig(AppConfig):
    name = "probation"
    verbose_name = "Service"
