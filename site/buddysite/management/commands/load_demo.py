import time

from django.core.management.base import BaseCommand, CommandError

from buddypages.conf import buddypages_setting
from buddypages.pages.municipality import municipality_for_site
from buddysite.demo.loader import demo_load

# What each demo account is for, as the command prints it.
ROLES = {
    "coordinator": "coordinator of {first}",
    "coordinator2": "coordinator of {second}",
    "regional": "yearly figures only, of {every}",
    "editor": "pages and translations, no personal data",
}


class Command(BaseCommand):
    help = "Create or refresh the demo content and demo accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--participants",
            type=int,
            default=60,
            help="How many fake participants the first municipality holds (default 60); the "
            "second holds 60 %% of that, every extra site of --sites this many.",
        )
        parser.add_argument(
            "--sites",
            type=int,
            default=2,
            help="How many municipalities (default 2: Heidestad and Bosdonk); more make a "
            "region of light sites at <slug>.localhost, e.g. --sites 64.",
        )

    def handle(self, *args, **options):
        if options["participants"] < 0:
            raise CommandError("--participants must be 0 or more.")
        if options["sites"] < 1:
            raise CommandError("--sites must be 1 or more.")
        started = time.perf_counter()
        result = demo_load(participants=options["participants"], sites=options["sites"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: home page in {len(result.home_pages)} languages, "
                f"{result.participants} fake participants, {result.duos} duos, "
                f"{result.proposals} draft match proposals."
            )
        )
        sites = [result.site, *([result.second.site] if result.second else []), *result.region]
        self.stdout.write(f"  {len(sites)} municipalities (sites), built in {seconds:.1f} s:")
        for site in sites[:2]:
            self.stdout.write(f"    {_name(site)}: {_address(site)}")
        if len(sites) > 2:
            self.stdout.write(
                f"    and {len(sites) - 2} more, e.g. {_address(sites[2])} "
                f"({options['participants']} participants each)"
            )
        source = "generated" if result.password_generated else "DEMO_PASSWORD"
        names = {
            "first": _name(sites[0]),
            "second": _name(sites[1]) if len(sites) > 1 else "-",
            "every": f"all {len(sites)} sites" if len(sites) > 1 else _name(sites[0]),
        }
        for username in result.accounts:
            self.stdout.write(
                f"  log in at /admin/ as {username!r} with password {result.password!r} "
                f"({source}): {ROLES.get(username, '').format(**names)}"
            )
        if not buddypages_setting("REQUIRE_TWO_FACTOR"):
            self.stdout.write(
                "  two-step login is off here (TWO_FACTOR_REQUIRED=false); production requires "
                "it for the coordinator"
            )


def _name(site) -> str:
    municipality = municipality_for_site(site)
    return municipality.display_name if municipality else site.site_name


def _address(site) -> str:
    """Where ``make run`` serves the site. The default site answers every host name no other
    site has, so ``heidestad.localhost`` as well as ``127.0.0.1``."""
    port = "" if site.port in (80, 443) else f":{site.port}"
    if site.is_default_site:
        return f"http://{site.hostname}{port}/ and http://heidestad.localhost{port}/"
    return f"http://{site.hostname}{port}/"
