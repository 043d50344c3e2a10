"""The page types editors write and translate: home page, programme, language tips."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Locale, Page, Site
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from buddypages.core.locales import locale_language_code
from buddypages.core.memo import remembered
from buddypages.core.queries import clean_text
from buddypages.pages import feeds, posters
from buddypages.pages.blocks import (
    BodyStreamBlock,
    CallToActionBlock,
    FAQBlock,
    PartnerChooserBlock,
    ProgrammeBodyStreamBlock,
    StepBlock,
    TestimonialBlock,
    TipExampleBlock,
)
from buddypages.pages.embed_panel import SIGNUP, TIP, EmbedPanel
from buddypages.pages.mixins import LanguageConsistentPageMixin
from buddypages.pages.panels import SheetPanel
from buddypages.pages.serializers import ThemeSerializer
from buddypages.pages.snippets import LanguageTipTheme

# Pages published through revisions have first_published_at; put any without last.
NEWEST_FIRST = F("first_published_at").desc(nulls_last=True)


class HomePage(LanguageConsistentPageMixin, Page):
    """The start page of the site, one per language."""

    # Named, so it never clashes with the ``HomePage`` of the host (``wagtail start`` makes
    # one in an app called ``home``): both would claim ``Page.homepage``.
    page_ptr = models.OneToOneField(
        Page,
        parent_link=True,
        on_delete=models.CASCADE,
        related_name="buddypages_homepage",
        primary_key=True,
        auto_created=True,
        serialize=False,
    )
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
        context["sections"] = remembered(request, f"home-sections:{self.pk}", self.sections)
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


class ProgrammePage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
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
        SheetPanel(),
    ]
    promote_panels = [*Page.promote_panels, EmbedPanel(SIGNUP)]
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
    # Anywhere in the host's tree (under its home page, in a section...).

    class Meta:
        verbose_name = _("buddy programme")
        verbose_name_plural = _("buddy programmes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Without their renditions: a remembered list would keep a rendition that did not
        # exist yet missing (Wagtail would make it again on every view); Wagtail's own
        # rendition cache finds them without a query.
        context["partner_list"] = remembered(
            request,
            f"programme-partners:{self.pk}",
            lambda: self.partner_list(renditions=False),
        )
        return context

    def get_cached_paths(self):
        """Purged from a front-end cache on publish: the page, and its poster and flyer in the
        programme's own language (other ``?langs=`` lists age out of the cache)."""
        return ["/", "poster.pdf", "flyer.pdf"]

    # Wagtail routes "<page>/poster.pdf" as "poster.pdf/" (buddypages.urls hands it over).
    @path("poster.pdf/")
    def poster_view(self, request):
        """An A4 poster of this programme as PDF (``?langs=nl,ar,ti``)."""
        return posters.sheet_response(self, request, sheet=posters.POSTER)

    @path("flyer.pdf/")
    def flyer_view(self, request):
        """An A5 flyer of this programme as PDF (``?langs=nl,ar,ti``)."""
        return posters.sheet_response(self, request, sheet=posters.FLYER)

    def partner_list(self, *, renditions: bool = True) -> list:
        """Partners in the editor's order (the StreamField loads them in one query);
        their logos and renditions are fetched in two more, however many there are."""
        partners = [block.value for block in self.partners if block.value is not None]
        prefetch_related_objects(
            partners, *(("logo", "logo__renditions") if renditions else ("logo",))
        )
        return partners


class LanguageTipIndexPage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
    """All Dutch language tips, filtered by level and theme, with a tip of the week.

    An overview may include a tips library: another overview (the region's, kept once and
    translated once) whose tips it lists with its own. They are read at this overview's
    address (``library/<slug>/``), in the reader's language, or in Dutch until translated.
    """

    PAGE_SIZE = 12
    LIBRARY_ROUTE = "library_tip"

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
    tip_library = models.ForeignKey(
        "buddypages.LanguageTipIndexPage",
        verbose_name=_("Also show the tips of this library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Another tips overview, e.g. the region's tips library. Its tips appear here in "
            "the reader's language, or in Dutch until they are translated. Choose it on the "
            "Dutch page: every language follows."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("featured_tip"),
        FieldPanel("tip_library"),
    ]
    promote_panels = [*Page.promote_panels, EmbedPanel(TIP)]
    api_fields = [APIField("intro"), APIField("featured_tip"), APIField("tip_library")]
    # The Dutch page's choice holds for every language (see included_library).
    override_translatable_fields = [SynchronizedField("tip_library", overridable=False)]
    subpage_types = ["buddypages.LanguageTipPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("language tips overview")
        verbose_name_plural = _("language tips overviews")

    def clean(self):
        super().clean()
        library = self.tip_library
        if library is not None and (
            library.pk == self.pk or library.translation_key == self.translation_key
        ):
            raise ValidationError(
                {
                    "tip_library": _(
                        "An overview cannot include its own tips. Choose another tips "
                        "overview, e.g. the region's library, or leave it empty."
                    )
                }
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        level = clean_text(request.GET.get("level", ""))
        theme = clean_text(request.GET.get("theme", ""))[:40]
        themes = LanguageTipTheme.cached_for_locale(self.locale_id)
        if level in {"", *(code for code, _label in LanguageTipPage.LEVELS)} and (
            not theme or any(known.key == theme for known in themes)
        ):
            # Known filters only: a made-up theme must not fill the cache.
            tips = remembered(
                request,
                f"tips:{self.pk}:{level}:{theme}",
                lambda: self.listing(level=level, theme_key=theme),
            )
        else:
            tips = self.listing(level=level, theme_key=theme)
        paginator = Paginator(tips, self.PAGE_SIZE)
        context.update(
            tips=paginator.get_page(request.GET.get("page")),
            levels=LanguageTipPage.LEVELS,
            themes=themes,
            selected_level=level,
            selected_theme=theme,
            tip_of_the_week=remembered(
                request, f"tip-of-the-week:{self.pk}", self.listed_tip_of_the_week
            ),
        )
        return context

    def get_cached_paths(self):
        """Purged from a front-end cache on publish: the overview and its feed."""
        return ["/", "feed/"]

    @path("feed/")
    def feed_view(self, request):
        """An Atom feed of this language's newest tips."""
        return feeds.tips_feed_response(self, request)

    @path("library/<str:slug>/", name=LIBRARY_ROUTE)
    def library_tip_view(self, request, slug):
        """A tip of the included library, on this overview's site and in its language; a tip
        not translated into it yet is at the Dutch overview's address (so the address, the
        ``lang`` and every string on the page agree)."""
        tip, overview = self.library_tip(slug)
        if tip is None:
            raise Http404
        if overview.pk != self.pk:
            return redirect(overview.get_url(request) + overview.library_subpath(slug))
        context = tip.get_context(request)
        context.update(tip_index=self, canonical_url=tip.get_full_url(request))
        return TemplateResponse(request, tip.get_template(request), context)

    def library_tip(self, slug: str) -> tuple["LanguageTipPage | None", "LanguageTipIndexPage"]:
        """The included library's live, public tip at this overview's ``library/<slug>/``, and
        the overview whose address reads it: this one, or, for a tip not translated into its
        language yet, the live Dutch overview (with the Dutch tip). (None, self) when none."""
        library = self.included_library()
        if library is None:
            return None, self
        local = library if library.locale_id == self.locale_id else None
        if local is None:
            local = LanguageTipIndexPage.objects.filter(
                translation_key=library.translation_key, locale_id=self.locale_id
            ).first()
        tips = LanguageTipPage.objects.live().public().select_related("theme")
        tip = tips.child_of(local).filter(slug=slug).first() if local is not None else None
        if tip is None and local is not library:
            original = tips.child_of(library).filter(slug=slug).first()
            dutch = self.get_translation_or_none(library.locale)
            if original is not None and dutch is not None and dutch.live:
                return original, dutch
        return tip, self

    def tips(self, *, level: str = "", theme_key: str = "") -> QuerySet["LanguageTipPage"]:
        """Live tips under this overview, newest first, optionally by level and theme key."""
        tips = (
            LanguageTipPage.objects.live()
            .child_of(self)
            .select_related("theme")
            .order_by(NEWEST_FIRST, "-pk")
        )
        if level in {code for code, _label in LanguageTipPage.LEVELS}:
            tips = tips.filter(level=level)
        if theme_key:
            tips = tips.filter(theme__key=theme_key)
        return tips

    def included_library(self) -> "LanguageTipIndexPage | None":
        """The live Dutch tips overview that the Dutch original of this overview includes, or
        None. Read from the Dutch page, so every language follows it, synced or not."""
        default = Locale.get_default()
        source = self
        if self.locale_id != default.pk:
            source = self.get_translation_or_none(default) or self
        if source.tip_library_id is None:
            return None
        library = LanguageTipIndexPage.objects.live().filter(pk=source.tip_library_id).first()
        if library is not None and library.locale_id != default.pk:
            library = library.get_translation_or_none(default)
        if library is None or not library.live or library.translation_key == self.translation_key:
            return None
        return library

    def showing_this_library(self) -> list["LanguageTipIndexPage"]:
        """The live overviews (every language) whose Dutch original includes this overview as
        their library: the pages that list, and the addresses that show, its tips."""
        library_pages = Page.objects.filter(translation_key=self.translation_key)
        keys = LanguageTipIndexPage.objects.filter(
            tip_library__in=library_pages.values("pk")
        ).values("translation_key")
        return list(
            LanguageTipIndexPage.objects.live()
            .filter(translation_key__in=keys)
            .exclude(translation_key=self.translation_key)
        )

    def library_subpath(self, slug: str) -> str:
        """Where, after this overview's own address, it shows its library's tip ``slug``:
        ``library/<slug>/``."""
        return self.reverse_subpage(self.LIBRARY_ROUTE, args=(slug,))

    def library_tip_address(self, tip: "LanguageTipPage") -> str:
        """Where this overview shows ``tip`` of its library, as a full URL; "" when the
        overview has no address."""
        url = self.get_full_url()
        return url + self.library_subpath(tip.slug) if url else ""

    def library_tips(self, *, level: str = "", theme_key: str = "") -> list["LanguageTipPage"]:
        """The included library's live, public tips in this overview's language; each not
        translated yet in Dutch, with ``other_language`` set to ``"nl"`` (else ``""``)."""
        library = self.included_library()
        if library is None:
            return []
        originals = LanguageTipPage.objects.live().public().child_of(library)
        if level in {code for code, _label in LanguageTipPage.LEVELS}:
            originals = originals.filter(level=level)
        if theme_key:
            originals = originals.filter(theme__key=theme_key)
        originals = list(originals.select_related("theme"))
        translated = {}
        if originals and library.locale_id != self.locale_id:
            translated = {
                tip.translation_key: tip
                for tip in LanguageTipPage.objects.live()
                .public()
                .filter(
                    locale_id=self.locale_id,
                    translation_key__in=[tip.translation_key for tip in originals],
                )
                .select_related("theme")
            }
        shown = [translated.get(tip.translation_key, tip) for tip in originals]
        for tip in shown:
            tip.library_slug = tip.slug
            tip.other_language = (
                "" if tip.locale_id == self.locale_id else locale_language_code(tip.locale_id)
            )
        return shown

    def listing(self, *, level: str = "", theme_key: str = "") -> list["LanguageTipPage"]:
        """This overview's own tips and its library's, newest first."""
        own = list(self.tips(level=level, theme_key=theme_key))
        shared = self.library_tips(level=level, theme_key=theme_key)
        if not shared:
            return own
        return sorted([*own, *shared], key=_newest_first, reverse=True)

    def public_listing(self, *, count: int) -> list["LanguageTipPage"]:
        """The ``count`` newest tips :meth:`listing` shows that are public (a feed travels
        beyond the site, so a tip behind a password stays out), in the same order."""
        own = list(self.tips().public()[:count])
        shared = self.library_tips()
        if not shared:
            return own
        return sorted([*own, *shared], key=_newest_first, reverse=True)[:count]

    def tip_of_the_week(self) -> "LanguageTipPage | None":
        """The tip an editor picked here, if it is live; else the newest live tip of this
        language (None when it has none)."""
        featured = self.featured_tip
        if featured is not None and featured.live and featured.locale_id == self.locale_id:
            return featured
        return LanguageTipPage.newest_live(locale_id=self.locale_id)

    def listed_tip_of_the_week(self) -> "LanguageTipPage | None":
        """The tip an editor picked here, if it is live and listed here (one of this overview's
        own tips or its library's); else the newest this overview lists. Not the newest tip
        of the language: with several municipalities, that may be another site's."""
        featured = self.featured_tip
        if featured is not None and featured.live and featured.locale_id == self.locale_id:
            if featured.path.startswith(self.path) and featured.depth == self.depth + 1:
                return featured
            for tip in self.library_tips():
                if tip.pk == featured.pk:
                    return tip
        listing = self.listing()
        return listing[0] if listing else None


def _newest_first(tip) -> tuple:
    published = tip.first_published_at
    return (published is not None, published.timestamp() if published else 0.0, tip.pk)


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The overview the tip is read in: its own, or (for a library's tip) the
        # municipality's that includes it (LanguageTipIndexPage.library_tip_view).
        context.setdefault("tip_index", self.get_parent())
        return context

    @classmethod
    def newest_live(cls, *, locale_id: int) -> "LanguageTipPage | None":
        return (
            with_an_address(cls.objects.live())
            .filter(locale_id=locale_id)
            .select_related("theme")
            .order_by(NEWEST_FIRST, "-pk")
            .first()
        )


def with_an_address(pages: QuerySet) -> QuerySet:
    """``pages`` that are under a site's root page. A tips library outside every site has no
    address of its own (its tips are read on the sites that include it), so it never answers
    for "the newest tip" that a widget, a screen or a newsletter links to."""
    roots = Site.get_site_root_paths()
    if not roots:
        return pages
    under = Q()
    for root in roots:
        under |= Q(url_path__startswith=root.root_path)
    return pages.filter(under)
