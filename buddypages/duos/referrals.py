"""The referral guide on the duo page and the members' questions for the coordinator.
Owner: the referral feature.

A buddy is not a social worker: the guide says where to go with a question about housing,
work, health, papers or school. When neither the guide nor the buddy knows, a member asks the
coordinator from the duo page (:func:`duo_question_ask`). The coordinators get an email that
says only that a duo asked something, with a link to read it in the admin.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_tasks import task

from buddypages.core.mail import absolute_url, send_templated_email
from buddypages.duos.models import Duo, DuoQuestion
from buddypages.duos.services import DuoError, duo_audit, duo_from_token
from buddypages.pages.access import may_see_site
from buddypages.pages.referrals import ReferralService
from buddypages.registry.models import Participant
from buddypages.registry.signals import participant_exporting

QUESTIONS_PER_DAY = 5
QUESTION_MAX_LENGTH = 2000
CHANGE_QUESTION = "buddypages.change_duoquestion"


# --- The guide on the duo page ----------------------------------------------------------


def referral_guide(language_code: str) -> list[dict]:
    """The guide grouped by theme, in ``language_code`` where translated, else in Dutch."""
    themes: dict[str, dict] = {}
    labels = dict(ReferralService.Category.choices)
    for service in ReferralService.objects.guide(language_code):
        theme = themes.setdefault(
            service.category,
            {"key": service.category, "label": labels.get(service.category, ""), "services": []},
        )
        theme["services"].append(service)
    return list(themes.values())


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's referral section needs (template
    ``buddypages/duos/sections/referrals.html``)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "referral_themes": referral_guide(language),
        "reader_language": language,
        "question_url": request.path + "question/",
    }


def duo_admin_context(request, duo) -> dict:
    """The duo's questions on the coordinator's duo page, unread first."""
    if not request.user.has_perm("buddypages.view_duoquestion") and not request.user.has_perm(
        CHANGE_QUESTION
    ):
        return {}
    questions = duo.questions.select_related("read_by").order_by(
        F("read_at").asc(nulls_first=True), "-asked_at"
    )
    return {"show_questions": True, "duo_questions": list(questions)}


# --- Questions for the coordinator ------------------------------------------------------


class QuestionForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is it about? (optional)"),
        choices=[("", _("Something else or not sure")), *ReferralService.Category.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "aria-describedby": "id_text-help"}),
        help_text=_("The coordinator reads it and contacts you. Write only what is needed."),
    )


def duo_question_ask(
    *, duo: Duo, role: str, text: str, category: str = "", language: str = ""
) -> DuoQuestion:
    """A member's question for the coordinator: stored, logged, and announced by email
    (once committed) to every coordinator, with no personal data in it."""
    text = text.strip()
    if not text:
        raise DuoError(_("Write your question."))
    if len(text) > QUESTION_MAX_LENGTH:
        raise DuoError(_("Your question is too long. Keep it short."))
    if category not in ReferralService.Category.values:
        category = ""
    since = timezone.now() - timedelta(days=1)
    if duo.questions.filter(asked_at__gte=since).count() >= QUESTIONS_PER_DAY:
        raise DuoError(
            _(
                "Your duo has already sent %(count)s questions today. "
                "Try again tomorrow, or call the coordinator."
            )
            % {"count": QUESTIONS_PER_DAY}
        )
    question = DuoQuestion.objects.create(
        duo=duo, role=role, category=category, text=text, language=language[:10]
    )
    duo_audit(None, f"duo {duo.pk} question {question.pk} asked", participant=duo.member(role))
    transaction.on_commit(lambda: send_question_email.enqueue(question_id=question.pk))
    return question


def duo_question_read(*, question: DuoQuestion, user) -> DuoQuestion:
    """The coordinator opened the question: who and when, the first time."""
    if question.read_at is None:
        question.read_at = timezone.now()
        question.read_by = user if user is not None and user.is_authenticated else None
        question.save(update_fields=["read_at", "read_by"])
        duo_audit(
            user,
            f"duo {question.duo_id} question {question.pk} read",
            site_id=question.duo.site_id,
        )
    return question


def coordinator_addresses(duo: Duo) -> list[str]:
    """Who hears of a new question: users who may handle questions and see the duo's site,
    and the programme's contact address."""
    users = (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename="change_duoquestion")
            | Q(user_permissions__codename="change_duoquestion")
            | Q(is_superuser=True),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )
    addresses = [user.email for user in users if may_see_site(user, duo.site_id)]
    programme = duo.programme
    if programme is not None and programme.contact_email:
        addresses.append(programme.contact_email)
    return list(dict.fromkeys(address.lower() for address in addresses))


def question_email_send(*, question_id: int) -> int:
    """One email per coordinator, in the site's language: "a duo asked a question" and the
    link to read it. Nothing about the duo, its members or the question itself."""
    question = DuoQuestion.objects.select_related("duo__programme").filter(pk=question_id).first()
    if question is None:
        return 0
    link = absolute_url(reverse("duo_questions:inspect", args=[question.pk]))
    sent = 0
    for address in coordinator_addresses(question.duo):
        with translation.override(settings.LANGUAGE_CODE):
            send_templated_email(
                to=address,
                subject=gettext("A duo asked a question"),
                template="buddypages/duos/email/question",
                context={"link": link, "site_name": settings.WAGTAIL_SITE_NAME},
            )
        sent += 1
    return sent


@task()
def send_question_email(*, question_id: int) -> int:
    """Tell the coordinators a duo asked a question (no personal data)."""
    return question_email_send(question_id=question_id)


@never_cache
@csrf_protect
def question_view(request, token: str):
    """The form under the member's private duo link, and its thank-you page."""
    try:
        duo, role = duo_from_token(token)
    except DuoError as error:
        return TemplateResponse(
            request, "buddypages/duos/question.html", {"error": error.message}, status=404
        )
    if request.method not in ("GET", "POST"):
        raise Http404
    log_url = reverse("buddypages:duo-log", args=[token])
    if request.GET.get("done") == "sent":
        return TemplateResponse(request, "buddypages/duos/question_thanks.html", {"back": log_url})
    form = QuestionForm(request.POST if request.method == "POST" else None)
    message = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                duo_question_ask(
                    duo=duo,
                    role=role,
                    text=form.cleaned_data["text"],
                    category=form.cleaned_data["category"],
                    language=translation.get_language() or "",
                )
                return redirect(request.path + "?done=sent")
            except DuoError as error:
                message = error.message
        status = 400
    return TemplateResponse(
        request,
        "buddypages/duos/question.html",
        {"form": form, "message": message, "back": log_url, "role": role},
        status=status,
    )


# --- The person's data export -----------------------------------------------------------


@receiver(
    participant_exporting, sender=Participant, dispatch_uid="buddypages-duos-questions-export"
)
def export_questions(sender, participant: Participant, when, **kwargs) -> dict:
    """The questions this person asked the coordinator (erasure deletes them with the duo)."""
    mine = DuoQuestion.objects.filter(
        Q(duo__newcomer=participant, role="newcomer")
        | Q(duo__volunteer=participant, role="volunteer")
    ).order_by("asked_at")
    return {
        "questions_for_the_coordinator": [
            {
                "asked_at": when(question.asked_at),
                "theme": question.category,
                "question": question.text,
                "read_at": when(question.read_at),
            }
            for question in mine
        ]
    }
