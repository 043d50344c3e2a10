import copy
import hashlib

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from buddypages.core.generation import current_generation
from buddypages.core.memo import MEMO_SECONDS, remembered


class ApiImageBlock(ImageBlock):
    """An image with required alt text; the API also gives ready-made renditions."""

    API_RENDITIONS = {"small": "max-480x480", "large": "max-1200x1200"}

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context=context)
        if value is not None:
            data["renditions"] = {
                name: _rendition_data(value.get_rendition(spec))
                for name, spec in self.API_RENDITIONS.items()
            }
        return data

    class Meta:
        icon = "image"
        template = "wagtailimages/widgets/image.html"


def _rendition_data(rendition) -> dict:
    return {"url": rendition.full_url, "width": rendition.width, "height": rendition.height}


class RememberedPageChooserBlock(blocks.PageChooserBlock):
    """Wagtail's page chooser, whose pages a page view reads once per content generation.

    Reading the chosen pages of a stream is one query, but the ORM builds it from every
    column of Wagtail's page table: a quarter of a programme page's uncached view. Any
    publish, move or deletion moves the generation; migrations see Wagtail's own block."""

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.PageChooserBlock", args, kwargs

    def bulk_to_python(self, values):
        ids = sorted({value for value in values if value is not None})
        if not ids:
            return super().bulk_to_python(values)
        listed = ",".join(str(pk) for pk in ids)
        if len(listed) > 150:
            listed = hashlib.sha256(listed.encode()).hexdigest()
        key = f"buddypages-chosen-pages:{current_generation()}:{listed}"
        objects = cache.get(key)
        if objects is None:
            objects = self.model_class.objects.in_bulk(ids)
            cache.set(key, objects, MEMO_SECONDS)
        result, seen = [], set()
        for pk in values:
            found = objects.get(pk)
            # As Wagtail's: a page chosen twice is two objects.
            result.append(copy.copy(found) if found is not None and pk in seen else found)
            seen.add(pk)
        return result


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=80)
    page = RememberedPageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or a web address"), required=False)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "buddypages/blocks/call_to_action.html"

    def get_context(self, value, parent_context=None):
        """``page_url``: the chosen page in the reader's language (its URL, remembered per
        content generation: finding the translation costs two queries)."""
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("page")
        request = (parent_context or {}).get("request")
        if page is not None and request is not None:
            key = f"cta-url:{page.pk}:{translation.get_language()}:{request.get_host()}"
            context["page_url"] = remembered(
                request, key, lambda: page.localized.get_url(request=request)
            )
        elif page is not None:
            context["page_url"] = page.localized.get_url()
        return context

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": blocks.BlockValidationError(_("Choose a page or give a web address."))
                }
            )
        return value


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    author = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "buddypages/blocks/quote.html"


class BodyStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="buddypages/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    # ImageBlock asks the editor for alt text (or to mark the image decorative).
    image = ApiImageBlock(label=_("Image"))
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class DutchCharBlock(blocks.CharBlock):
    """Dutch text that stays Dutch in every translation.

    wagtail-localize offers it to no translator (no segments) and keeps the
    source value when it builds a translated page. Templates mark it
    ``lang="nl"`` (WCAG 3.1.2).
    """

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class FAQBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "buddypages/blocks/faq.html"


class StepBlock(blocks.StructBlock):
    STEPS = [
        ("sign_up", _("Sign up")),
        ("intake", _("Intake conversation")),
        ("matching", _("Matching")),
        ("start", _("Start moment")),
        ("meetings", _("Meetings and activities")),
        ("midway", _("Midway feedback")),
        ("closing", _("Closing celebration")),
        ("other", _("Other step")),
    ]
    kind = blocks.ChoiceBlock(
        choices=STEPS,
        label=_("Step"),
        help_text=_("Which step of the programme this is. It chooses the icon and the order."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(
        label=_("What happens"), help_text=_("Two or three short sentences. Plain language.")
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")


class TestimonialBlock(blocks.StructBlock):
    ROLES = [("newcomer", _("Newcomer")), ("volunteer", _("Volunteer buddy"))]
    quote = blocks.TextBlock(label=_("What they said"))
    first_name = blocks.CharBlock(
        label=_("First name"),
        max_length=60,
        required=False,
        help_text=_("Only with their consent. Leave empty to stay anonymous."),
    )
    role = blocks.ChoiceBlock(choices=ROLES, label=_("Role"))

    class Meta:
        icon = "openquote"
        label = _("Testimonial")


class ProgrammeBodyStreamBlock(BodyStreamBlock):
    faq = FAQBlock()
    embed = EmbedBlock(
        label=_("Video or other embed"),
        help_text=_("A link to a video, e.g. on YouTube or Vimeo."),
    )


class TipExampleBlock(blocks.StructBlock):
    """One Dutch sentence (or dialogue line) with its gloss in the reader's language."""

    speaker = blocks.CharBlock(
        label=_("Speaker"),
        max_length=40,
        required=False,
        help_text=_("For a dialogue: who says this line, e.g. 'Anna' or 'Doctor'."),
    )
    dutch = DutchCharBlock(
        label=_("Dutch sentence"),
        max_length=300,
        help_text=_("Stays in Dutch in every translation."),
    )
    gloss = blocks.CharBlock(
        label=_("Meaning"),
        max_length=300,
        help_text=_("What the sentence means. Translators write this in their language."),
    )

    class Meta:
        icon = "comment"
        label = _("Example sentence")


class PartnerChooserBlock(SnippetChooserBlock):
    """A partner snippet; the API gives its name, description, website and logo."""

    def __init__(self, **kwargs):
        super().__init__("buddypages.Partner", **kwargs)
        self._partner_kwargs = kwargs

    def deconstruct(self):
        return (DECONSTRUCT_ALIASES[PartnerChooserBlock], (), self._partner_kwargs)

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        logo = _rendition_data(value.logo.get_rendition("max-240x80")) if value.logo else None
        return {
            "id": value.pk,
            "name": value.name,
            "description": value.description,
            "url": value.url,
            "logo": logo,
        }


# The migrations name these blocks by their path before the blocks moved here (the module
# ``buddypages.blocks`` keeps those names importable): the same path, no new migration.
DECONSTRUCT_ALIASES = {
    DutchCharBlock: "buddypages.blocks.DutchCharBlock",
    PartnerChooserBlock: "buddypages.blocks.PartnerChooserBlock",
}
