"""Each Wagtail Site as a municipality: its name, logo, colours, email sender and languages.

Site settings (``wagtail.contrib.settings``), edited under Settings › Municipality in the
admin. Every field may stay empty: an installation with one site and nothing filled in looks
and sends exactly as before (the site name, the plugin's colours, ``DEFAULT_FROM_EMAIL``,
every language of the installation).
"""

import re
from email.utils import formataddr
from uuid import UUID

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Locale, Page, Site
from wagtail.permission_policies.sites import SitePermissionPolicy

from buddypages.core.mail import Sender
from buddypages.core.memo import remembered
from buddypages.pages.access import ALL, may_see_site, registry_site_ids
from buddypages.pages.models import ProgrammePage

# White text (the header, buttons) on the colour must reach WCAG AA for normal text.
MINIMUM_CONTRAST = 4.5
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def contrast_with_white(colour: str) -> float:
    """The WCAG 2 contrast ratio between ``colour`` (``#rrggbb``) and white."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def validate_colour(value: str) -> None:
    """A ``#rrggbb`` colour that white text can be read on (4.5:1 at least).

    Only this shape reaches the stylesheet, so nothing else can be written into the CSS.
    """
    if not _HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Write the colour as # and six hexadecimal digits, for example #1d4f91."),
            code="colour_format",
        )
    ratio = contrast_with_white(value)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "White text on %(colour)s has a contrast of %(ratio)s:1; it needs at least "
                "4.5:1 to be readable. Choose a darker colour."
            ),
            code="colour_contrast",
            params={"colour": value, "ratio": f"{int(ratio * 10) / 10:.1f}"},
        )


def installation_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class MunicipalitySettingsForm(WagtailAdminModelForm):
    # A JSON list in the database, one tick box per language of the installation here.
    languages = forms.MultipleChoiceField(
        label=_("Languages of this site"),
        choices=installation_languages,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every language of the installation."),
    )


class MunicipalityPermissionPolicy(SitePermissionPolicy):
    """Wagtail's site-setting permissions, within the sites the user is granted: a coordinator
    of one municipality never changes another's sender, reply-to or retention time."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        site_id = instance.pk if isinstance(instance, Site) else instance.site_id
        return may_see_site(user, site_id) and super().user_has_any_permission_for_instance(
            user, actions, instance
        )

    def sites_user_has_any_permission_for(self, user, actions):
        sites = super().sites_user_has_any_permission_for(user, actions)
        site_ids = registry_site_ids(user)
        return sites if site_ids is ALL else sites.filter(pk__in=site_ids)


class MunicipalitySettings(BaseSiteSetting):
    """What makes a Wagtail Site one municipality's own. Every field is optional."""

    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Shown in every page's header and title. Empty: the site name."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown next to the name in the header."),
    )
    colour = models.CharField(
        _("main colour"),
        max_length=7,
        blank=True,
        validators=[validate_colour],
        help_text=_("The header and buttons, with white text on it, e.g. #1d4f91."),
    )
    focus_colour = models.CharField(
        _("focus colour"),
        max_length=7,
        blank=True,
        validators=[validate_colour],
        help_text=_("The frame around what the keyboard is on, e.g. #c43d00."),
    )
    sender_name = models.CharField(
        _("sender name"),
        max_length=100,
        blank=True,
        help_text=_("The sender name people see. Empty: the name above."),
    )
    sender_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("The From address of emails. Empty: the installation's."),
    )
    reply_to = models.EmailField(
        _("reply-to address"),
        blank=True,
        help_text=_("Where replies go, e.g. the coordinator's mailbox."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    retention_days = models.PositiveIntegerField(
        _("keep ended trajectories for (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_(
            "After this many days, the names and contact details of people whose trajectory "
            "ended are removed; the numbers stay. Empty: the installation's setting."
        ),
    )

    base_form_class = MunicipalitySettingsForm
    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("logo"), FieldPanel("colour")]
            + [FieldPanel("focus_colour")],
            heading=_("Look"),
        ),
        MultiFieldPanel(
            [FieldPanel("sender_name"), FieldPanel("sender_email"), FieldPanel("reply_to")],
            heading=_("Emails"),
        ),
        FieldPanel("languages"),
        FieldPanel("retention_days"),
    ]

    class Meta:
        app_label = "buddypages"
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    @classmethod
    def get_permission_policy(cls):
        return MunicipalityPermissionPolicy(cls)

    def __str__(self) -> str:
        return self.name or self.site.site_name or self.site.hostname

    @property
    def display_name(self) -> str:
        """The name in the header: this setting, else the site's name (may be empty)."""
        return self.name or self.site.site_name

    @property
    def has_colours(self) -> bool:
        return bool(self.colour or self.focus_colour)

    @property
    def colour_version(self) -> str:
        """Changes with the colours: the stylesheet's address carries it, so browsers may
        keep the file and still see a new colour at once."""
        return f"{self.colour}{self.focus_colour}".replace("#", "").lower()

    def site_languages(self) -> list[str]:
        """The site's languages in the installation's order; none chosen: all of them."""
        codes = [code for code, _name in settings.LANGUAGES]
        chosen = [code for code in codes if code in (self.languages or [])]
        return chosen or codes

    def sender(self) -> Sender:
        if not self.sender_email:
            return Sender(reply_to=(self.reply_to,) if self.reply_to else ())
        from_email = formataddr((self.sender_name or self.name, self.sender_email))
        return Sender(from_email=from_email, reply_to=(self.reply_to,) if self.reply_to else ())


def municipality_for_site(site: Site | None) -> MunicipalitySettings | None:
    """The site's settings, or None when it has none saved (reading never writes a row)."""
    if site is None:
        return None
    return MunicipalitySettings.objects.select_related("site", "logo").filter(site=site).first()


def municipality_for_request(request: HttpRequest | None) -> MunicipalitySettings | None:
    """The settings of the site answering ``request``: once per request, and remembered
    until the content changes (saving the settings changes it)."""
    if request is None:
        return None
    if not hasattr(request, "_municipality"):
        site = Site.find_for_request(request)
        request._municipality = (
            remembered(request, f"municipality:{site.pk}", lambda: municipality_for_site(site))
            if site is not None
            else None
        )
    return request._municipality


def municipality_names(sites) -> dict[int, str]:
    """Each site's name as people read it (its municipality's name, else the site's), in one
    query whatever the number of sites."""
    sites = list(sites)
    named = dict(
        MunicipalitySettings.objects.filter(site__in=sites)
        .exclude(name="")
        .values_list("site_id", "name")
    )
    return {site.pk: named.get(site.pk) or site.site_name or site.hostname for site in sites}


# --- Which site a programme belongs to (one rule for every screen) -----------------------


def page_site_id(page) -> int | None:
    """The site ``page`` is published in: Wagtail's own first choice (``Page.get_site``),
    from the cached root paths, without a query per page."""
    return _site_of_path(page.url_path)


def _site_of_path(url_path: str) -> int | None:
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return root.site_id
    return None


def programme_sites() -> dict:
    """Every programme key with its site: that of its page in the source language (Dutch), or
    without one its first page in the tree, as a participant's site is set
    (:func:`programme_page_of_key`); None outside every site. A translation published in
    another municipality's tree does not move the programme there."""
    sites: dict = {}
    from_source = set()  # keys whose source-language page decided
    for key, url_path, language in ProgrammePage.objects.order_by("path").values_list(
        "translation_key", "url_path", "locale__language_code"
    ):
        source = language == settings.LANGUAGE_CODE
        if key in from_source or (key in sites and not source):
            continue
        sites[key] = _site_of_path(url_path)
        if source:
            from_source.add(key)
    return sites


def programme_page_of_key(programme_key) -> ProgrammePage | None:
    """The page that says which site a programme belongs to: its page in the source language,
    else its first page in the tree (see :func:`programme_sites`)."""
    if not programme_key:
        return None
    pages = ProgrammePage.objects.filter(translation_key=programme_key).order_by("path")
    return pages.filter(locale__language_code=settings.LANGUAGE_CODE).first() or pages.first()


def visible_programmes(user) -> list:
    """The programmes (in the source language) of the sites ``user`` may see, in tree order;
    each carries its site's id as ``site_pk``."""
    sites = programme_sites()
    programmes = []
    for programme in ProgrammePage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE
    ).order_by("path"):
        programme.site_pk = sites.get(programme.translation_key)
        if may_see_site(user, programme.site_pk):
            programmes.append(programme)
    return programmes


def visible_programme_keys(user) -> set | None:
    """The programme keys of the sites ``user`` may see; ``ALL`` (None) for every site."""
    site_ids = registry_site_ids(user)
    if site_ids is ALL:
        return ALL
    return {key for key, site_id in programme_sites().items() if site_id in site_ids}


def site_for_programme_key(programme_key: UUID | str | None) -> Site | None:
    """The site a programme (any of its translations) is published in, or None."""
    page = programme_page_of_key(programme_key)  # as every screen reads a programme's site
    return page.get_site() if page is not None else None


def municipality_sender(*, site: Site | None) -> Sender:
    """From and Reply-To for an email of ``site``: its settings, else the installation's."""
    municipality = municipality_for_site(site)
    return municipality.sender() if municipality is not None else Sender()


def sender_for_programme_key(programme_key: UUID | str | None) -> Sender:
    """The sender of an email about someone in a programme: the programme's site's."""
    return municipality_sender(site=site_for_programme_key(programme_key))


def sender_for_page(page: Page | None) -> Sender:
    return municipality_sender(site=page.get_site() if page is not None else None)


def site_languages(site: Site | None) -> list[str]:
    """The language codes ``site`` offers (all of the installation's without settings)."""
    municipality = municipality_for_site(site)
    if municipality is None:
        return [code for code, _name in settings.LANGUAGES]
    return municipality.site_languages()


def language_redirect(*, page: Page, request: HttpRequest) -> HttpResponse | None:
    """A redirect to the site's first language when ``page`` is asked for in a language the
    site does not offer (its translation there, else that language's home page); None when
    it does.

    The language is the address's prefix (``/fr/...``), else the page's own: a page shown
    as a fallback (no French translation) at ``/fr/`` is still asked for in French. Only
    reads are redirected: a form sent in another language is never dropped.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    municipality = municipality_for_request(request)
    if municipality is None:
        return None
    offered = municipality.site_languages()
    language = get_language_from_path(request.path_info) or page.locale.language_code
    if language in offered:
        return None
    first = offered[0]
    locale = Locale.objects.filter(language_code=first).first()
    target = page.get_translation_or_none(locale) if locale is not None else None
    url = target.get_url(request) if target is not None and target.live else None
    return HttpResponseRedirect(url or f"/{first}/")


@require_GET
def stylesheet_view(request: HttpRequest) -> HttpResponse:
    """The site's colours as CSS custom properties (a file: the CSP allows no inline style).

    Only validated ``#rrggbb`` values are written; anything else stored is left out.
    """
    municipality = municipality_for_request(request)
    lines = []
    if municipality is not None:
        for prop, value in (
            ("--bp-brand", municipality.colour),
            ("--bp-focus", municipality.focus_colour),
        ):
            if _HEX_COLOUR.match(value or ""):
                lines.append(f"  {prop}: {value.lower()};")
    css = ":root {\n" + "\n".join(lines) + "\n}\n" if lines else ""
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
