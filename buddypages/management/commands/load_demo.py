from django.core.management.base import BaseCommand

from buddypages.demo.loader import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Create or refresh the demo content and demo accounts (safe to run again)."

    def handle(self, *args, **options):
        result = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: home page in {len(result.home_pages)} languages."
            )
        )
        source = (
            "generated, kept in var/demo_password" if result.password_generated else "DEMO_PASSWORD"
        )
        for username in DEMO_USERS:
            self.stdout.write(
                f"  log in at /admin/ as {username!r} with password {result.password!r} ({source})"
            )
