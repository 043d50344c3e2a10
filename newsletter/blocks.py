"""The blocks of a newsletter issue. Each renders twice: as email HTML (tables,
inline styles) and as plain text; the web version uses the email HTML too."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from buddypages.pages.blocks import CallToActionBlock


class NewsletterImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Description for people who cannot see the image"), max_length=200
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")


class LanguageTipBlock(blocks.StructBlock):
    tip = blocks.PageChooserBlock(
        label=_("Tip"),
        page_type="buddypages.LanguageTipPage",
        required=False,
        help_text=_("Leave empty for the tip of the week when the newsletter is sent."),
    )

    class Meta:
        icon = "openquote"
        label = _("Language tip")


class UpcomingActivitiesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    weeks = blocks.IntegerBlock(
        label=_("Weeks ahead"),
        default=4,
        min_value=1,
        max_value=26,
        help_text=_("Filled in when the newsletter is sent: activities in the coming weeks."),
    )
    limit = blocks.IntegerBlock(label=_("At most"), default=6, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        label = _("Upcoming activities")


class NewsletterStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"), features=["h2", "h3", "bold", "italic", "link", "ul", "ol"]
    )
    image = NewsletterImageBlock()
    call_to_action = CallToActionBlock()
    language_tip = LanguageTipBlock()
    upcoming_activities = UpcomingActivitiesBlock()
