"""Demo: the default site as the municipality "Buddywerking Heidestad": its name, a logo
(drawn in heidestad-logo.svg, stored as the PNG next to it) and heather colours. Its emails
keep the installation's sender and it keeps every language (none ticked). Other demo
municipalities fill their settings through :func:`ensure_settings`."""

from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Site

from buddypages.pages.municipality import MunicipalitySettings

NAME = "Buddywerking Heidestad"
LOGO = Path(__file__).with_name("heidestad-logo.png")
LOGO_TITLE = "Heidestad logo"
COLOUR = "#6a2c70"  # heather: 9.5:1 under white text
FOCUS_COLOUR = "#2f6b3a"  # heath green: 6.4:1 on white
# Who may change the look, sender and languages: the coordinators (the municipality's staff).
MANAGERS = "Coordinators"


def ensure_municipality() -> MunicipalitySettings | None:
    """Fill the default site's settings once; never overwrite what someone changed since."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    settings = ensure_settings(
        site, name=NAME, colour=COLOUR, focus_colour=FOCUS_COLOUR, logo=_logo
    )
    group = Group.objects.filter(name=MANAGERS).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="buddypages", codename="change_municipalitysettings"
            )
        )
    return settings


def ensure_settings(
    site: Site,
    *,
    name: str,
    colour: str,
    focus_colour: str,
    logo=None,
    languages: list[str] | tuple[str, ...] = (),
    reply_to: str = "",
) -> MunicipalitySettings:
    """``site``'s settings filled once (the colours checked against white text); a name
    someone gave it since is never overwritten. ``logo`` makes the image when called."""
    settings, created = MunicipalitySettings.objects.get_or_create(site=site)
    if created or not settings.name:
        settings.name = name
        settings.logo = logo() if logo is not None else None
        settings.colour = colour
        settings.focus_colour = focus_colour
        settings.languages = list(languages)
        settings.reply_to = reply_to
        settings.full_clean()
        settings.save()
    return settings


def _logo():
    image_model = get_image_model()
    existing = image_model.objects.filter(title=LOGO_TITLE).first()
    if existing is not None:
        return existing
    with LOGO.open("rb") as handle:
        image = image_model(title=LOGO_TITLE, file=ImageFile(handle, name=LOGO.name))
        image.save()
    return image
