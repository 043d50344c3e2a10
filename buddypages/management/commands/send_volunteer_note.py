from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from buddypages.pages.models import ProgrammePage
from buddypages.registry.volunteer_services import volunteer_notes_send


class Command(BaseCommand):
    help = (
        "Email the link to the information note in force to every volunteer still in the "
        "programme who has not acknowledged it (after publishing a new version)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--programme", help="the programme page's slug (default: every programme)"
        )

    def handle(self, *args, **options):
        programmes = ProgrammePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        if options["programme"]:
            programmes = programmes.filter(slug=options["programme"])
            if not programmes.exists():
                raise CommandError(f"No programme with slug {options['programme']!r}.")
        for programme in programmes:
            sent = volunteer_notes_send(programme_key=programme.translation_key)
            self.stdout.write(f"{programme.title}: {sent} links queued")
