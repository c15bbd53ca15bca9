"""The blocks editors build page bodies from (news, standard pages).

Each block renders with its own template under `templates/blocks/` and gives the API a
plain representation: images come as renditions, not as bare ids a client must resolve.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

# Body images: a responsive width for the page and a smaller one for lists and the API.
BODY_IMAGE_SPEC = "width-1200|format-webp"
API_IMAGE_SPECS = {"large": "width-1200|format-webp", "medium": "width-640|format-webp"}


def image_api_representation(image) -> dict | None:
    """An image as apps read it: its alt text and renditions, with their sizes."""
    if image is None:
        return None
    renditions = image.get_renditions(*API_IMAGE_SPECS.values())
    return {
        "id": image.pk,
        "alt": getattr(image, "contextual_alt_text", None) or image.default_alt_text,
        **{
            name: {
                "url": renditions[spec].url,
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in API_IMAGE_SPECS.items()
        },
    }


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"

    def get_api_representation(self, value, context=None):
        return {
            "image": image_api_representation(value["image"]),
            "caption": value["caption"],
        }


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"), max_length=600)
    attribution = blocks.CharBlock(label=_("Said by"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=150,
        help_text=_("Leave empty to use the document's own title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document.html"

    def get_api_representation(self, value, context=None):
        document = value["document"]
        return {
            "title": value["title"] or document.title,
            "url": document.url,
            "file_extension": document.file_extension,
        }


class EmbedWithCaptionBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Address of the video or post"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Embedded media")
        template = "blocks/embed.html"

    def get_api_representation(self, value, context=None):
        return {"url": value["embed"].url if value["embed"] else "", "caption": value["caption"]}


PARAGRAPH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=PARAGRAPH_FEATURES, template="blocks/paragraph.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedWithCaptionBlock()
    document = DocumentBlock()


class QuickLinkBlock(blocks.StructBlock):
    """A tile on the home page: an internal page or an outside address."""

    title = blocks.CharBlock(label=_("Title"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)
    icon = blocks.ChoiceBlock(
        label=_("Icon"),
        choices=[
            ("message", _("Message")),
            ("news", _("News")),
            ("report", _("Report")),
            ("phone", _("Phone")),
            ("map", _("Map")),
            ("info", _("Information")),
            ("building", _("Agency")),
        ],
        default="info",
    )

    class Meta:
        icon = "link"
        label = _("Quick link")
        template = "blocks/quick_link.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value["page"]) == bool(value["url"]):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose either a page or an address."))}
            )
        return value

    def get_api_representation(self, value, context=None):
        page = value["page"]
        return {
            "title": value["title"],
            "url": page.url if page else value["url"],
            "icon": value["icon"],
        }
