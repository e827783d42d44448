from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Interventions"

    def ready(self) -> None:
        from interventions import (  # noqa: F401 - register with the ledger and the performance measures
            performance,
            standards,
        )
