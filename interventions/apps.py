from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Interventions"

    def ready(self) -> None:
        from interventions import standards  # noqa: F401 - registers the Unpaid Work clocks with the ledger
