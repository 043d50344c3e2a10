from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from newsletter.models import NewsletterIssuePage
from newsletter.services import issue_test_send


class Command(BaseCommand):
    help = "List newsletter issues, or send one test copy of an issue (as the admin's test send)."

    def add_arguments(self, parser):
        parser.add_argument("issue", nargs="?", type=int, help="the issue's page id")
        parser.add_argument("--list", action="store_true", help="print the issues, one a line")
        parser.add_argument("--test-to", metavar="ADDRESS", help="send one test copy here")
        parser.add_argument("--lang", default=None, help="language of the test copy")
        parser.add_argument(
            "--kind",
            default="subscriber",
            choices=["duo_newcomer", "volunteer", "subscriber"],
            help="who the test copy is written for",
        )

    def handle(self, *args, **options):
        if options["list"]:
            return self.list_issues()
        if options["issue"] is None:
            raise CommandError("Give an issue id (see --list).")
        issue = NewsletterIssuePage.objects.filter(pk=options["issue"]).first()
        if issue is None:
            raise CommandError(f"No newsletter issue with id {options['issue']} (see --list).")
        if options["test_to"]:
            return self.test_send(issue, options)
        raise CommandError("Nothing to do: add --test-to ADDRESS.")

    def list_issues(self):
        issues = NewsletterIssuePage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("-pk")
        for issue in issues:
            state = f"sent {issue.sent_at:%Y-%m-%d}" if issue.sent_at else "draft"
            languages = ",".join(
                sorted(
                    NewsletterIssuePage.objects.filter(
                        translation_key=issue.translation_key
                    ).values_list("locale__language_code", flat=True)
                )
            )
            self.stdout.write(f"{issue.pk}\t{state}\t{languages}\t{issue.subject}")

    def test_send(self, issue, options):
        try:
            validate_email(options["test_to"])
        except ValidationError:
            raise CommandError(f"Not an email address: {options['test_to']!r}") from None
        language = options["lang"] or issue.locale.language_code
        if language not in dict(settings.LANGUAGES):
            raise CommandError(f"Unknown language {language!r}.")
        issue_test_send(issue=issue, to=options["test_to"], language=language, kind=options["kind"])
        self.stdout.write(
            f"Sent a test copy of issue {issue.pk} ({language}) to {options['test_to']}"
        )
