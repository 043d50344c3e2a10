from django.core.management.base import BaseCommand

from buddypages.registry.data_protection import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise participants whose trajectory ended longer ago than the retention time "
        "and remove abandoned sign-ups (a task worker also does this every night)."
    )

    def handle(self, *args, **options):
        counts = retention_apply()
        self.stdout.write(
            f"Anonymised {counts['anonymised']} participants, "
            f"removed {counts['removed']} abandoned sign-ups."
        )
