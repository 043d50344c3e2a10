"""The calendar's page types: the calendar (upcoming, month and past views, iCalendar feed)
and its activities (once or recurring, with sign-ups when places are limited)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from buddypages.calendar import feeds
from buddypages.calendar.forms import ActivitySignupForm
from buddypages.calendar.ical import calendar_feed
from buddypages.calendar.occurrences import occurrences
from buddypages.calendar.services import (
    SignupError,
    activity_signup_cancel,
    activity_signup_create,
)
from buddypages.calendar.views import calendar_context
from buddypages.core.links import map_search_link
from buddypages.core.memo import remembered
from buddypages.pages.embed_panel import CALENDAR, EmbedPanel
from buddypages.pages.mixins import LanguageConsistentPageMixin


class ActivityCalendarPage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
    """The activity calendar: upcoming activities, a month grid and past activities."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = [*Page.promote_panels, EmbedPanel(CALENDAR)]
    api_fields = [APIField("intro")]
    subpage_types = ["buddypages.ActivityPage"]

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

    def get_cached_paths(self):
        """Purged from a front-end cache on publish: the calendar, its feed and iCalendar."""
        return ["/", "feed/", "ical/"]

    @path("")
    def calendar_view(self, request):
        context = self.get_context(request)
        context.update(calendar_context(calendar=self, request=request))
        return self.render(request, context_overrides=context)

    @path("feed/")
    def feed_view(self, request):
        """An Atom feed of the upcoming activities of this calendar."""
        return feeds.activities_feed_response(self, request)

    def public_activities(self, request) -> list:
        """``activities()`` as a list, read once per content generation (sign-ups and
        changed dates move it too)."""

        def read() -> list:
            activities = list(self.activities())
            for activity in activities:
                # What {% pageurl %} gives on this host, for the calendar's list.
                activity.listed_url = activity.get_url(request)
            return activities

        return remembered(request, f"calendar-activities:{self.pk}:{request.get_host()}", read)

    @path("ical/")
    def ical_view(self, request):
        return _ical_response(
            calendar_feed(
                self.public_activities(request),
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

    # Django's get_<field>_display() hashes every (lazily translated) choice on each call,
    # translating each one: a calendar of twenty dates made 300 catalogue look-ups for them.
    def get_kind_display(self) -> str:
        return str(dict(self.KINDS).get(self.kind, self.kind))

    def get_audience_display(self) -> str:
        return str(dict(self.AUDIENCES).get(self.audience, self.audience))

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

    TRAINING_TOPICS = [
        ("basic", _("Basic training for new volunteers")),
        ("little_dutch", _("Talking with people who speak little Dutch")),
        ("culture", _("Working in a culture-sensitive way")),
        ("exchange", _("Experience exchange")),
        ("other", _("Other topic")),
    ]

    kind = models.CharField(_("kind"), max_length=30, choices=KINDS, default="group_activity")
    training_topic = models.CharField(
        _("training topic"),
        max_length=20,
        choices=TRAINING_TOPICS,
        blank=True,
        help_text=_("Only for a volunteer training. The basic training counts for matching."),
    )
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
            [FieldPanel("kind"), FieldPanel("training_topic"), FieldPanel("audience")],
            heading=_("What and for whom"),
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
        if self.training_topic and self.kind != "volunteer_training":
            errors["training_topic"] = _(
                "A topic is only for a volunteer training: choose that kind, or clear the topic."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def map_link(self) -> str:
        return self.map_url or map_search_link(self.place_address)

    @property
    def is_basic_training(self) -> bool:
        return self.kind == "volunteer_training" and self.training_topic == "basic"

    def upcoming_occurrences(self, *, limit: int = 5):
        now = timezone.now()
        return occurrences(self, after=now, before=now + timedelta(days=366))[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["occurrences"] = self.upcoming_occurrences()
        if self.capacity:
            context["signup_form"] = ActivitySignupForm(occurrences=context["occurrences"])
        return context

    def get_cached_paths(self):
        """Purged from a front-end cache on publish: the activity and its iCalendar."""
        return ["/", "ical/"]

    @path("")
    def activity_view(self, request):
        return self.render(request)

    @path("signup/")
    def signup_view(self, request):
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
                # The visitor's own sign-up (name, e-mail, cancel link): never in a cache.
                response = self.render(
                    request,
                    template="buddypages/activity_signup_done.html",
                    context_overrides={"signup": signup},
                )
                add_never_cache_headers(response)
                return response
        response = self.render(request, context_overrides={"signup_form": form})
        response.status_code = 400
        add_never_cache_headers(response)
        return response

    @path("cancel/<uuid:token>/")
    def cancel_view(self, request, token):
        context = {"token": token, "done": False, "error": None}
        if request.method == "POST":
            try:
                context["signup"] = activity_signup_cancel(token=token)
                context["done"] = True
            except SignupError as error:
                context["error"] = error.message
        # A link of one person's sign-up: never in a cache.
        response = self.render(
            request, template="buddypages/activity_cancel.html", context_overrides=context
        )
        add_never_cache_headers(response)
        return response

    @path("ical/")
    def ical_view(self, request):
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
