import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from buddypages.duos.reasons import reason_texts
from buddypages.duos.services import match_run
from buddypages.pages.models import ProgrammePage


class Command(BaseCommand):
    help = (
        "Print the optimal match proposals for everyone waiting in a programme, with scores "
        "and reasons (reads only: proposals are made in the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="the programme page's slug")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, help="language of the reasons"
        )

    def handle(self, *args, **options):
        found = ProgrammePage.objects.filter(slug=options["programme"])
        programme = (
            found.filter(locale__language_code=settings.LANGUAGE_CODE).first() or found.first()
        )
        if programme is None:
            slugs = ", ".join(sorted(set(ProgrammePage.objects.values_list("slug", flat=True))))
            raise CommandError(f"No programme with slug {options['programme']!r}. Known: {slugs}")
        cohort, pairs = match_run(programme_key=programme.translation_key)
        with translation.override(options["language"]):
            rows = [
                {
                    "newcomer": cohort.newcomers[i].pk,
                    "newcomer_name": cohort.newcomers[i].full_name,
                    "volunteer": cohort.volunteers[j].pk,
                    "volunteer_name": cohort.volunteers[j].full_name,
                    "score": round(float(cohort.scores[i, j]), 2),
                    "reasons": reason_texts(cohort.reasons(i, j)),
                }
                for i, j in sorted(pairs, key=lambda pair: -cohort.scores[pair])
            ]
        matched = {row["newcomer"] for row in rows}
        unmatched = [p.pk for p in cohort.newcomers if p.pk not in matched]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "programme": programme.slug,
                        "newcomers_waiting": len(cohort.newcomers),
                        "volunteers_available": len(cohort.volunteers),
                        "total_score": round(sum(row["score"] for row in rows), 2),
                        "proposals": rows,
                        "unmatched_newcomers": unmatched,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(
            f"{programme.title}: {len(cohort.newcomers)} newcomers waiting, "
            f"{len(cohort.volunteers)} volunteers with places, {len(rows)} proposals"
        )
        for row in rows:
            self.stdout.write(
                f"{row['score']:6.2f}  {row['newcomer_name']} (#{row['newcomer']}) + "
                f"{row['volunteer_name']} (#{row['volunteer']}): " + "; ".join(row["reasons"])
            )
        if unmatched:
            self.stdout.write(f"No proposal this round for newcomers: {unmatched}")
