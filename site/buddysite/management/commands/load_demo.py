from django.core.management.base import BaseCommand, CommandError

from buddypages.conf import buddypages_setting
from buddysite.demo.loader import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Create or refresh the demo content and demo accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--participants",
            type=int,
            default=60,
            help="How many fake participants the registry should hold (default 60).",
        )

    def handle(self, *args, **options):
        if options["participants"] < 0:
            raise CommandError("--participants must be 0 or more.")
        result = demo_load(participants=options["participants"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: home page in {len(result.home_pages)} languages, "
                f"{result.participants} fake participants, {result.duos} duos, "
                f"{result.proposals} draft match proposals."
            )
        )
        source = "generated" if result.password_generated else "DEMO_PASSWORD"
        for username in DEMO_USERS:
            self.stdout.write(
                f"  log in at /admin/ as {username!r} with password {result.password!r} ({source})"
            )
        if not buddypages_setting("REQUIRE_TWO_FACTOR"):
            self.stdout.write(
                "  two-step login is off here (TWO_FACTOR_REQUIRED=false); production requires "
                "it for the coordinator"
            )
