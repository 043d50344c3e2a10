from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from buddypages.pages.models import ProgrammePage
from newsletter.admin_sends import progress_data
from newsletter.audiences import AUDIENCES
from newsletter.models import NewsletterIssuePage, Send
from newsletter.outbox import SendError, send_cancel, send_pause, send_resume, send_start
from newsletter.services import issue_test_send


class Command(BaseCommand):
    help = (
        "List newsletter issues; send one (now or later), follow, pause, resume or cancel "
        "its send; or send a test copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("issue", nargs="?", type=int, help="the issue's page id")
        parser.add_argument("--list", action="store_true", help="print the issues, one a line")
        parser.add_argument("--test-to", metavar="ADDRESS", help="send one test copy here")
        parser.add_argument("--lang", default=None, help="language of the test copy")
        parser.add_argument(
            "--audience",
            action="append",
            choices=list(AUDIENCES),
            help="start a send to this audience (repeat for several; one copy per person)",
        )
        parser.add_argument("--programme", metavar="SLUG", help="only this programme")
        parser.add_argument(
            "--at", metavar="TIME", help="send later, e.g. 2026-12-01T09:00 (Brussels time)"
        )
        parser.add_argument("--status", action="store_true", help="progress of the latest send")
        parser.add_argument("--pause", action="store_true", help="pause the latest send")
        parser.add_argument("--resume", action="store_true", help="resume the latest send")
        parser.add_argument("--cancel", action="store_true", help="cancel the latest send")
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
        if options["audience"]:
            return self.start(issue, options)
        for action in ("status", "pause", "resume", "cancel"):
            if options[action]:
                return self.control(issue, action)
        raise CommandError(
            "Nothing to do: add --test-to, --audience, --status, --pause, --resume or --cancel."
        )

    def start(self, issue, options):
        programme_key = None
        if options["programme"]:
            programme = ProgrammePage.objects.filter(slug=options["programme"]).first()
            if programme is None:
                raise CommandError(f"No programme with slug {options['programme']!r}.")
            programme_key = programme.translation_key
        at = None
        if options["at"]:
            at = parse_datetime(options["at"])
            if at is None:
                raise CommandError(f"Not a date and time: {options['at']!r}")
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        try:
            send = send_start(
                issue=issue, audiences=options["audience"], programme_key=programme_key, at=at
            )
        except SendError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"{send.total} recipients (send {send.pk}, {send.status})")

    def control(self, issue, action):
        send = Send.objects.filter(issue_key=issue.translation_key).order_by("-pk").first()
        if send is None:
            raise CommandError(f"Issue {issue.pk} has not been sent.")
        if action == "status":
            data = progress_data(send)
            self.stdout.write(
                f"{data['sent']}/{data['total']} sent, {data['failed']} failed, "
                f"{data['bounced']} bounced, {data['suppressed']} suppressed, "
                f"{data['queued']} to go ({send.status})"
            )
            return
        handler = {"pause": send_pause, "resume": send_resume, "cancel": send_cancel}[action]
        try:
            handler(send=send)
        except SendError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"Send {send.pk}: {send.status}")

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
