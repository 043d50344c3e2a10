import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from buddypages.blocks import (
    BodyStreamBlock,
    CallToActionBlock,
    FAQBlock,
    PartnerChooserBlock,
    ProgrammeBodyStreamBlock,
    StepBlock,
    TestimonialBlock,
    TipExampleBlock,
)
from buddypages.core.locales import locale_language_code
from buddypages.registry.choices import Role
from buddypages.snippets import LanguageTipTheme


class ThemeSerializer(serializers.Serializer):
    """A tip's theme in the API: its stable key and its name in the page's language."""

    def to_representation(self, theme):
        if theme is None:
            return None
        return {"id": theme.pk, "key": theme.key, "name": theme.name}


class LanguageConsistentPageMixin:
    """Serve a page only under its own language's URL prefix.

    Wagtail falls back to the Dutch page when a translation is missing or
    unpublished (``Page.localized``), which would show Dutch content under
    ``/fr/`` with French menus. Redirect to the page's own URL instead, so
    the address, ``lang`` and every string on the page agree.
    """

    def serve(self, request, *args, **kwargs):
        if translation.get_language() != locale_language_code(self.locale_id):
            url = self.get_url(request)
            if url and url != request.path:
                return redirect(url)
        return super().serve(request, *args, **kwargs)


class HomePage(LanguageConsistentPageMixin, Page):
    """The start page of the site, one per language."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Two or three short sentences: what the programme is and who it is for."),
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.sections()
        return context

    def sections(self) -> list[Page]:
        """The home page's sections in this language, in the Dutch home page's order.

        A section not translated yet is listed in Dutch (the template marks it
        ``lang="nl"``), so readers of every language can reach all content.
        """
        source = self.get_translation_or_none(Locale.get_default()) or self
        dutch = list(source.get_children().live())
        if source.pk == self.pk:
            return dutch
        translated = {
            page.translation_key: page
            for page in Page.objects.live().filter(
                locale_id=self.locale_id, translation_key__in=[p.translation_key for p in dutch]
            )
        }
        return [translated.get(page.translation_key, page) for page in dutch]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


def _list_of(label, help_text, max_length=200):
    return StreamField(
        [("item", blocks.CharBlock(label=label, max_length=max_length))],
        blank=True,
        verbose_name=label,
        help_text=help_text,
    )


class ProgrammePage(LanguageConsistentPageMixin, Page):
    """One buddy programme: what it is, for whom, how it works, who to contact."""

    summary = models.TextField(
        _("summary"),
        help_text=_("Two or three short sentences. Shown at the top and in search results."),
    )
    goals = _list_of(_("goals"), _("One goal per line, e.g. 'Practise Dutch in a relaxed way.'"))
    for_newcomers = models.TextField(
        _("for newcomers"),
        blank=True,
        help_text=_("Who can take part as a newcomer, e.g. adults who speak a little Dutch."),
    )
    for_volunteers = models.TextField(
        _("for volunteers"),
        blank=True,
        help_text=_("Who can become a buddy, e.g. residents who speak Dutch well."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("How long a duo meets. Usually six months."),
    )
    meetings_per_month = models.PositiveSmallIntegerField(
        _("meetings per month"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("How often a duo meets. Usually twice a month."),
    )
    steps = StreamField(
        [("step", StepBlock())],
        blank=True,
        verbose_name=_("steps"),
        help_text=_("The steps from sign-up to the closing celebration, in order."),
    )
    buddy_does = _list_of(
        _("a buddy does"), _("One task per line, e.g. 'Goes to the library together.'")
    )
    buddy_does_not = _list_of(
        _("a buddy does not"), _("One line each, e.g. 'Gives no language lessons.'")
    )
    faq = StreamField(
        [("question", FAQBlock())], blank=True, verbose_name=_("frequently asked questions")
    )
    testimonials = StreamField(
        [("testimonial", TestimonialBlock())], blank=True, verbose_name=_("testimonials")
    )
    partners = StreamField(
        [("partner", PartnerChooserBlock(label=_("Partner")))],
        blank=True,
        verbose_name=_("partners and sponsors"),
    )
    contact_name = models.CharField(
        _("contact person"),
        max_length=120,
        blank=True,
        help_text=_("The coordinator's name as the public may see it. Work contact only."),
    )
    contact_role = models.CharField(_("role"), max_length=120, blank=True)
    contact_email = models.EmailField(
        _("work email"), blank=True, help_text=_("A work address, e.g. buddy@town.be.")
    )
    contact_phone = models.CharField(_("work phone"), max_length=40, blank=True)
    calls_to_action = StreamField(
        [("call_to_action", CallToActionBlock())],
        blank=True,
        verbose_name=_("calls to action"),
        help_text=_("Buttons to the sign-up pages, e.g. 'Sign up as a newcomer'."),
    )
    body = StreamField(ProgrammeBodyStreamBlock(), blank=True, verbose_name=_("more information"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("calls_to_action"),
        FieldPanel("goals"),
        MultiFieldPanel(
            [FieldPanel("for_newcomers"), FieldPanel("for_volunteers")], heading=_("Who is it for?")
        ),
        MultiFieldPanel(
            [FieldPanel("duration_months"), FieldPanel("meetings_per_month")],
            heading=_("How long and how often"),
        ),
        FieldPanel("steps"),
        MultiFieldPanel(
            [FieldPanel("buddy_does"), FieldPanel("buddy_does_not")], heading=_("The buddy's role")
        ),
        FieldPanel("faq"),
        FieldPanel("testimonials"),
        FieldPanel("partners"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_role"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("for_newcomers"),
        index.SearchField("for_volunteers"),
        index.SearchField("faq"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "summary",
            "goals",
            "for_newcomers",
            "for_volunteers",
            "duration_months",
            "meetings_per_month",
            "steps",
            "buddy_does",
            "buddy_does_not",
            "faq",
            "testimonials",
            "partners",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "calls_to_action",
            "body",
        )
    ]
    parent_page_types = ["buddypages.HomePage"]

    class Meta:
        verbose_name = _("buddy programme")
        verbose_name_plural = _("buddy programmes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partner_list"] = self.partner_list()
        return context

    def partner_list(self) -> list:
        """Partners in the editor's order (the StreamField loads them in one query);
        their logos and renditions are fetched in two more, however many there are."""
        partners = [block.value for block in self.partners if block.value is not None]
        prefetch_related_objects(partners, "logo", "logo__renditions")
        return partners


class LanguageTipIndexPage(LanguageConsistentPageMixin, Page):
    """All Dutch language tips, filtered by level and theme, with a tip of the week."""

    PAGE_SIZE = 12

    intro = models.TextField(_("introduction"), blank=True)
    featured_tip = models.ForeignKey(
        "buddypages.LanguageTipPage",
        verbose_name=_("tip of the week"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to show the newest tip."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured_tip")]
    api_fields = [APIField("intro"), APIField("featured_tip")]
    subpage_types = ["buddypages.LanguageTipPage"]
    parent_page_types = ["buddypages.HomePage", "buddypages.ProgrammePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("language tips overview")
        verbose_name_plural = _("language tips overviews")

    def get_context(self, request, *args, **kwargs):
        from buddypages.selectors import (
            language_tip_of_the_week,
            language_tip_themes,
            language_tips_for_index,
        )

        context = super().get_context(request, *args, **kwargs)
        level = request.GET.get("level", "")
        theme = request.GET.get("theme", "")[:40]
        tips = language_tips_for_index(index=self, level=level, theme_key=theme)
        paginator = Paginator(tips, self.PAGE_SIZE)
        context.update(
            tips=paginator.get_page(request.GET.get("page")),
            levels=LanguageTipPage.LEVELS,
            themes=language_tip_themes(locale_id=self.locale_id),
            selected_level=level,
            selected_theme=theme,
            tip_of_the_week=language_tip_of_the_week(index=self),
        )
        return context


class LanguageTipPage(LanguageConsistentPageMixin, Page):
    """A Dutch word or phrase, explained in the reader's language."""

    LEVELS = [("A1", "A1"), ("A2", "A2"), ("B1", "B1"), ("B2", "B2")]

    phrase = models.CharField(
        _("Dutch word or phrase"),
        max_length=200,
        help_text=_("Stays in Dutch in every translation, e.g. 'Hoe gaat het?'"),
    )
    meaning = models.TextField(
        _("meaning"),
        help_text=_("What it means and when you use it. Short sentences."),
    )
    examples = StreamField(
        [("example", TipExampleBlock())],
        blank=True,
        verbose_name=_("examples or a short dialogue"),
    )
    level = models.CharField(
        _("level"),
        max_length=2,
        choices=LEVELS,
        default="A1",
        help_text=_("A1 is for beginners, B2 for people who already speak quite well."),
    )
    theme = models.ForeignKey(
        LanguageTipTheme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audio = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("pronunciation (audio)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: an MP3 or OGG file of someone saying the phrase."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("phrase"),
        FieldPanel("meaning"),
        FieldPanel("examples"),
        MultiFieldPanel([FieldPanel("level"), FieldPanel("theme")], heading=_("Level and theme")),
        FieldPanel("audio"),
        FieldPanel("image"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("phrase"),
        index.SearchField("meaning"),
        index.FilterField("level"),
        index.FilterField("theme_id"),
    ]
    api_fields = [
        APIField("phrase"),
        APIField("meaning"),
        APIField("examples"),
        APIField("level"),
        APIField("theme", serializer=ThemeSerializer()),
        APIField("audio"),
        APIField("image"),
        APIField("image_thumbnail", serializer=ImageRenditionField("fill-600x400", source="image")),
    ]
    override_translatable_fields = [SynchronizedField("phrase")]
    parent_page_types = ["buddypages.LanguageTipIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("language tip")
        verbose_name_plural = _("language tips")


class ActivityCalendarPage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
    """The activity calendar: upcoming activities, a month grid and past activities."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    subpage_types = ["buddypages.ActivityPage"]
    parent_page_types = ["buddypages.HomePage", "buddypages.ProgrammePage"]

    class Meta:
        verbose_name = _("activity calendar")
        verbose_name_plural = _("activity calendars")

    @staticmethod
    def activity_model():
        return ActivityPage

    def activities(self):
        return (
            ActivityPage.objects.live()
            .public()
            .child_of(self)
            .prefetch_related("occurrence_changes")
            .order_by("start", "pk")
        )

    @path("")
    def calendar_view(self, request):
        from buddypages.views import calendar_context

        context = self.get_context(request)
        context.update(calendar_context(calendar=self, request=request))
        return self.render(request, context_overrides=context)

    @path("ical/")
    def ical_view(self, request):
        from buddypages.ical import calendar_feed

        return _ical_response(
            calendar_feed(
                self.activities(),
                name=self.title,
                language=self.locale.language_code,
                request=request,
            ),
            filename=f"{self.slug}.ics",
        )


def _ical_response(body: bytes, *, filename: str):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class ActivityPage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
    """One activity, once or recurring, with a place, a cost and an optional capacity."""

    KINDS = [
        ("start_moment", _("Start moment")),
        ("buddy_cafe", _("Buddy café")),
        ("group_activity", _("Group activity")),
        ("volunteer_training", _("Volunteer training")),
        ("feedback_moment", _("Feedback moment")),
        ("closing_celebration", _("Closing celebration")),
        ("other", _("Other activity")),
    ]
    AUDIENCES = [
        ("everyone", _("Everyone")),
        ("duos", _("Duos")),
        ("newcomers", _("Newcomers")),
        ("volunteers", _("Volunteers")),
    ]
    REPEATS = [
        ("", _("Does not repeat")),
        ("weekly", _("Every week, on the same day")),
        ("monthly_weekday", _("Every month, on the same weekday (e.g. the second Wednesday)")),
        ("monthly_day", _("Every month, on the same date")),
    ]
    COSTS = [
        ("free", _("Free")),
        ("price", _("Price")),
        ("voucher", _("Free with a voucher")),
        ("discount", _("Discount with a discount pass")),
    ]

    kind = models.CharField(_("kind"), max_length=30, choices=KINDS, default="group_activity")
    audience = models.CharField(_("for"), max_length=20, choices=AUDIENCES, default="everyone")
    summary = models.CharField(
        _("summary"), max_length=255, blank=True, help_text=_("One sentence for lists and feeds.")
    )
    start = models.DateTimeField(_("starts"), help_text=_("Date and time in Brussels time."))
    end = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("all day"), default=False)
    repeat = models.CharField(_("repeats"), max_length=20, choices=REPEATS, blank=True)
    repeat_interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 = every week or month, 2 = every other week or month."),
    )
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    repeat_count = models.PositiveSmallIntegerField(
        _("number of times"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Or give an end date. Without either, it repeats for a year."),
    )
    place_name = models.CharField(_("place"), max_length=120, blank=True)
    place_address = models.CharField(_("address"), max_length=255, blank=True)
    map_url = models.URLField(
        _("map link"),
        blank=True,
        help_text=_(
            "A link to the place on OpenStreetMap. Left empty, one is made from the address."
        ),
    )
    cost = models.CharField(_("cost"), max_length=20, choices=COSTS, default="free")
    price = models.DecimalField(
        _("price in euro"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("E.g. wheelchair access, a quiet room, children welcome."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("How many people can come. Leave empty when there is no limit."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("audience")], heading=_("What and for whom")
        ),
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("end"), FieldPanel("all_day")], heading=_("When")
        ),
        MultiFieldPanel(
            [
                FieldPanel("repeat"),
                FieldPanel("repeat_interval"),
                FieldPanel("repeat_until"),
                FieldPanel("repeat_count"),
                InlinePanel("occurrence_changes", label=_("Cancelled or moved dates")),
            ],
            heading=_("Repeats"),
        ),
        MultiFieldPanel(
            [FieldPanel("place_name"), FieldPanel("place_address"), FieldPanel("map_url")],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [FieldPanel("cost"), FieldPanel("price"), FieldPanel("capacity")],
            heading=_("Cost and places"),
        ),
        FieldPanel("accessibility"),
        FieldPanel("image"),
        FieldPanel("description"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("place_name"),
        index.FilterField("kind"),
        index.FilterField("audience"),
        index.FilterField("start"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "kind",
            "audience",
            "summary",
            "start",
            "end",
            "all_day",
            "repeat",
            "repeat_interval",
            "repeat_until",
            "repeat_count",
            "place_name",
            "place_address",
            "map_link",
            "cost",
            "price",
            "accessibility",
            "capacity",
            "description",
        )
    ] + [
        APIField("image_thumbnail", serializer=ImageRenditionField("fill-600x400", source="image"))
    ]
    parent_page_types = ["buddypages.ActivityCalendarPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end is before the start.")
        if self.repeat_count and self.repeat_until:
            errors["repeat_count"] = _("Give a number of times or an end date, not both.")
        if self.repeat_until and self.start and self.repeat_until < self.start.date():
            errors["repeat_until"] = _("The last date is before the first one.")
        if self.cost in {"price", "discount"} and self.price is None:
            errors["price"] = _("Give the price in euro.")
        if errors:
            raise ValidationError(errors)

    @property
    def map_link(self) -> str:
        if self.map_url:
            return self.map_url
        if self.place_address:
            return "https://www.openstreetmap.org/search?" + urlencode(
                {"query": self.place_address}
            )
        return ""

    def upcoming_occurrences(self, *, limit: int = 5):
        from buddypages.activities import occurrences

        now = timezone.now()
        return occurrences(self, after=now, before=now + timedelta(days=366))[:limit]

    def get_context(self, request, *args, **kwargs):
        from buddypages.forms import ActivitySignupForm

        context = super().get_context(request, *args, **kwargs)
        context["occurrences"] = self.upcoming_occurrences()
        if self.capacity:
            context["signup_form"] = ActivitySignupForm(occurrences=context["occurrences"])
        return context

    @path("")
    def activity_view(self, request):
        return self.render(request)

    @path("signup/")
    def signup_view(self, request):
        from buddypages.forms import ActivitySignupForm
        from buddypages.services import SignupError, activity_signup_create

        if request.method != "POST" or not self.capacity:
            return redirect(self.url)
        form = ActivitySignupForm(request.POST, occurrences=self.upcoming_occurrences(limit=60))
        if form.is_valid():
            try:
                signup = activity_signup_create(
                    activity=self,
                    occurrence_start=form.cleaned_data["occurrence"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    places=form.cleaned_data["places"],
                    language=translation.get_language(),
                )
            except SignupError as error:
                form.add_error(None, error.message)
            else:
                return self.render(
                    request,
                    template="buddypages/activity_signup_done.html",
                    context_overrides={"signup": signup},
                )
        response = self.render(request, context_overrides={"signup_form": form})
        response.status_code = 400
        return response

    @path("cancel/<uuid:token>/")
    def cancel_view(self, request, token):
        from buddypages.services import SignupError, activity_signup_cancel

        context = {"token": token, "done": False, "error": None}
        if request.method == "POST":
            try:
                context["signup"] = activity_signup_cancel(token=token)
                context["done"] = True
            except SignupError as error:
                context["error"] = error.message
        return self.render(
            request, template="buddypages/activity_cancel.html", context_overrides=context
        )

    @path("ical/")
    def ical_view(self, request):
        from buddypages.ical import calendar_feed

        return _ical_response(
            calendar_feed(
                [self], name=self.title, language=self.locale.language_code, request=request
            ),
            filename=f"{self.slug}.ics",
        )


class ActivityOccurrenceChange(Orderable):
    """One date of a recurring activity that is cancelled or moved."""

    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="occurrence_changes")
    original_date = models.DateField(
        _("date"), help_text=_("The date the activity would normally take place.")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    new_start = models.DateTimeField(
        _("moved to"), null=True, blank=True, help_text=_("Only when it is moved, not cancelled.")
    )
    new_end = models.DateTimeField(_("new end"), null=True, blank=True)

    panels = [
        FieldPanel("original_date"),
        FieldPanel("cancelled"),
        FieldPanel("new_start"),
        FieldPanel("new_end"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("cancelled or moved date")
        verbose_name_plural = _("cancelled or moved dates")

    def clean(self):
        super().clean()
        if not self.cancelled and not self.new_start:
            raise ValidationError(
                {"new_start": _("Give the new date and time, or tick 'cancelled'.")}
            )
        if self.cancelled and self.new_start:
            raise ValidationError(
                {"cancelled": _("A date is either cancelled or moved: untick 'cancelled'.")}
            )
        if self.new_start and self.new_end and self.new_end < self.new_start:
            raise ValidationError({"new_end": _("The end is before the start.")})


class ActivitySignupQuerySet(models.QuerySet):
    def for_occurrence(self, activity, start):
        """Sign-ups for one date of ``activity`` in every language: translations share places."""
        return self.filter(
            activity__translation_key=activity.translation_key, occurrence_start=start
        )

    def holding_places(self):
        return self.filter(status=ActivitySignup.CONFIRMED)

    def waiting(self):
        return self.filter(status=ActivitySignup.WAITING).order_by("created_at", "pk")


class ActivitySignup(models.Model):
    """Someone (or a duo) coming to one occurrence of an activity. Personal data:
    only coordinators see these, in the admin; never editors, pages or the API."""

    CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"
    STATUSES = [
        (CONFIRMED, _("Coming")),
        (WAITING, _("On the waiting list")),
        (CANCELLED, _("Cancelled")),
    ]

    activity = models.ForeignKey(
        ActivityPage,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    occurrence_start = models.DateTimeField(_("date"))
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    places = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=CONFIRMED)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = ActivitySignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity sign-up")
        verbose_name_plural = _("activity sign-ups")
        ordering = ["occurrence_start", "created_at"]
        indexes = [models.Index(fields=["activity", "occurrence_start", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class RegistrationPage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
    """A sign-up form for one role (newcomer or volunteer) of the programme above it.

    The form is fixed (``buddypages.registry.forms.RegistrationForm``) and its
    answers go to the participant registry, which only coordinators see:
    editors of this page never see who signed up, and deleting the page keeps
    the sign-ups.
    """

    role = models.CharField(
        _("who signs up here"), max_length=12, choices=Role.choices, default=Role.NEWCOMER
    )
    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link", "ul"],
        help_text=_("A few short sentences above the form: who it is for, what happens next."),
    )
    privacy_summary = RichTextField(
        _("privacy in short"),
        features=["bold", "link", "ul"],
        help_text=_("What we keep, why, for how long, and who sees it. Shown above the consent."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("full privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_version = models.CharField(
        _("version of the privacy text"),
        max_length=40,
        default="1",
        help_text=_(
            "Change this (e.g. to today's date) every time the privacy text changes: "
            "each consent records the version the person saw."
        ),
    )
    thank_you = RichTextField(
        _("thank-you text"),
        features=["bold", "italic", "link", "ul"],
        help_text=_("Shown after sending the form."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("privacy_summary"),
                FieldPanel("privacy_page"),
                FieldPanel("privacy_version"),
            ],
            heading=_("Privacy"),
        ),
        FieldPanel("thank_you"),
    ]
    override_translatable_fields = [
        SynchronizedField("role"),
        SynchronizedField("privacy_version"),
        SynchronizedField("privacy_page"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("role"), APIField("intro"), APIField("privacy_summary")]
    parent_page_types = ["buddypages.ProgrammePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("registration form")
        verbose_name_plural = _("registration forms")

    def _form(self, data=None):
        from buddypages.registry.forms import RegistrationForm
        from buddypages.snippets import Interest

        interests = Interest.objects.filter(locale_id=self.locale_id)
        return RegistrationForm(data, role=self.role, interests=interests)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("form", self._form())
        return context

    @path("")
    def form_view(self, request):
        from buddypages.core.clients import client_address
        from buddypages.registry.services import (
            RegistrationError,
            client_key,
            participant_register,
        )

        # Error reports must never carry what people typed here.
        request.sensitive_post_parameters = "__ALL__"
        if request.method != "POST":
            return self.render(request)
        form = self._form(request.POST)
        status = 400
        if form.is_valid():
            try:
                participant_register(
                    page=self,
                    data=form.cleaned_data,
                    language=translation.get_language(),
                    client=client_key(client_address(request)),
                )
            except RegistrationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                return redirect(self.url + self.reverse_subpage("thanks_view"))
        response = self.render(request, context_overrides={"form": form})
        response.status_code = status
        return response

    @path("thanks/")
    def thanks_view(self, request):
        return self.render(request, template="buddypages/registration_thanks.html")


# The participant registry's models live in their own module; importing them
# here registers them with this app.
from buddypages.duos.models import (  # noqa: E402
    Duo,
    MatchExclusion,
    MatchProposal,
    MatchWeights,
    Meeting,
    SpeedDatePick,
)
from buddypages.registry.models import (  # noqa: E402
    Consent,
    Intake,
    Participant,
    ParticipantLanguage,
    RegistryAuditEvent,
    SignupAttempt,
    StatusChange,
)

__all__ = [
    "ActivityCalendarPage",
    "ActivityOccurrenceChange",
    "ActivityPage",
    "ActivitySignup",
    "Consent",
    "Duo",
    "HomePage",
    "Intake",
    "LanguageTipIndexPage",
    "LanguageTipPage",
    "MatchExclusion",
    "MatchProposal",
    "MatchWeights",
    "Meeting",
    "Participant",
    "ParticipantLanguage",
    "ProgrammePage",
    "RegistrationPage",
    "RegistryAuditEvent",
    "SignupAttempt",
    "SpeedDatePick",
    "StatusChange",
]
