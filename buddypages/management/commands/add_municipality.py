from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from buddypages.pages.new_municipality import (
    groups_editing_every_site,
    municipality_add,
    sites_without_staff,
)


class Command(BaseCommand):
    help = (
        "Add a municipality: a Dutch home page at the top of the page tree, a site at its host "
        "name, its settings, and a group for its staff that edits only its pages and sees only "
        "its people (docs/municipalities.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='the name people read, e.g. "Buddywerking Beekdorp"')
        parser.add_argument("--host", required=True, help="host name, e.g. beekdorp.example.be")
        parser.add_argument("--port", type=int, default=443, help="443 (HTTPS, default) or 80")
        parser.add_argument(
            "--languages",
            default="",
            help="comma-separated language codes it offers (default: every language)",
        )
        parser.add_argument(
            "--group",
            default="",
            help='name of its staff\'s new group (default: "<name> staff"); an existing '
            "group is refused",
        )
        parser.add_argument(
            "--like",
            default="",
            help="an existing group whose permissions the staff's group gets as well "
            '(e.g. "Coordinators")',
        )

    def handle(self, *args, **options):
        like = None
        if options["like"]:
            like = Group.objects.filter(name=options["like"]).first()
            if like is None:
                known = ", ".join(Group.objects.order_by("name").values_list("name", flat=True))
                raise CommandError(f"No group {options['like']!r}. Groups: {known or 'none'}")
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        try:
            made = municipality_add(
                name=options["name"],
                hostname=options["host"],
                port=options["port"],
                languages=languages,
                group_name=options["group"],
                like=like,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        site = made.site
        self.stdout.write(
            f"Added {site.site_name}: site {site.hostname}:{site.port}, home page "
            f"{made.home.url_path} (page {made.home.pk}), group {made.group.name!r} "
            "(edits only this site's pages, sees only its people)."
        )
        self.stdout.write(
            "Next: put its staff in that group (Settings > Users), add its programme pages "
            "under its home page, fill in Settings > Municipality, and add the host to "
            "ALLOWED_HOSTS and your proxy."
        )
        everywhere = ", ".join(repr(group.name) for group in groups_editing_every_site())
        if everywhere:
            self.stdout.write(
                self.style.WARNING(
                    f"These groups may edit pages at the top of the page tree, so the new "
                    f"municipality's pages too: {everywhere}. Give them page permissions on "
                    "their own municipality's home page instead (Settings > Groups)."
                )
            )
        alone = [s for s in sites_without_staff() if s.pk != site.pk]
        if alone:
            names = ", ".join(s.site_name or s.hostname for s in alone)
            self.stdout.write(
                self.style.WARNING(
                    f"Nobody is granted these sites, so from now on nobody but superusers sees "
                    f"their people: {names}. Grant their coordinators (or their group) under "
                    "Settings > Site access."
                )
            )
