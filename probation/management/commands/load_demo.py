from typing import Any

from django.core.management.base import BaseCommand

from probation.demo import DEMO_PASSWORD, load_demo, where
from probation.roles import Role

ROLE_NAMES = {
    Role.OFFICER: "probation officer",
    Role.SPO: "SPO",
    Role.PDU_HEAD: "head of PDU",
    Role.REGIONAL_DIRECTOR: "regional director",
    Role.NATIONAL: "national",
    Role.ADMIN: "administrator",
}


class Command(BaseCommand):
    help = "Load the demo organisation and one login per role (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = sorted(load_demo(), key=lambda login: list(Role).index(login.role))  # spo_leeds after spo
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"  Sign in as any of these, password {DEMO_PASSWORD}:")
        for login in logins:
            note = f" ({login.note})" if login.note else ""
            self.stdout.write(f"    {login.username:<10} {ROLE_NAMES[login.role]:<18} {where(login)}{note}")
