from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases.models import ContactType
        from probation import reference
        from regions.models import StaffMember

        reference.watch(ContactType)  # the forms' lists of contact types and of officers are cached
        reference.watch(StaffMember)
