from typing import Any

from django.core.management.base import BaseCommand

from probation.demo import DEMO_PASSWORD, load_demo, where


class Command(BaseCommand):
    help = "Load the demo organisation and one login per role (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with any of these:"))
        for login in logins:
            note = f" ({login.note})" if login.note else ""
            self.stdout.write(
                f"  {login.role.value:<18} username: {login.username:<10} password: {DEMO_PASSWORD}"
                f"  {where(login)}{note}"
            )
