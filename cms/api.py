"""Wagtail's content API at /api/v2/: pages, images and documents, for the committee's apps.

Public content, open to everyone; anonymous reads may be kept by browsers and proxies for a
minute. Pages filter by language (`?locale=ar`) and type (`?type=news.NewsPage`) with
Wagtail's own filters; images come as renditions (the models' `api_fields`).

A list costs the same number of queries whatever its length: each page's locale and images
are fetched with the list, renditions are taken from that prefetch without a cache write
per image, and page addresses are resolved once per request.
"""

from django.urls.exceptions import NoReverseMatch
from django.utils.cache import patch_cache_control
from rest_framework.permissions import AllowAny
from taggit.managers import TaggableManager
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer, TagsField
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.images.models import SourceImageIOError
from wagtail.images.utils import to_svg_safe_spec

PUBLIC_MAX_AGE = 60


class PublicCacheMixin:
    """Open to everyone (the project's DRF default asks for a signed-in user), with cache
    headers on successful anonymous reads. Signed-in users are still recognised: a page
    restricted to signed-in users is listed for them, so their responses are not public."""

    permission_classes = [AllowAny]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not request.user.is_authenticated
        ):
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response


class PrefetchedRenditionField(ImageRenditionField):
    """Wagtail's rendition field, minus a cache write per image.

    `Image.get_rendition` stores the rendition in the cache on every call, even one that
    came prefetched with the page (on the database cache, several queries per image);
    `Image.get_renditions` uses prefetched renditions as they are.
    """

    def to_representation(self, image):
        spec = self.filter_spec
        if self.preserve_svg and image.is_svg():
            spec = to_svg_safe_spec(spec)
        try:
            rendition = next(iter(image.get_renditions(spec).values()))
        except SourceImageIOError:
            return {"error": "SourceImageIOError"}
        return {
            "url": rendition.url,
            "full_url": rendition.full_url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": rendition.alt,
        }


class RequestPageHtmlUrlField(PageHtmlUrlField):
    """A page's address from the site root paths read once per request, not once per page."""

    def to_representation(self, page):
        try:
            return page.get_full_url(request=self.context["request"])
        except NoReverseMatch:
            return None


class PrefetchedTagsField(TagsField):
    """Tag names from the tags prefetched with the list; Wagtail's field sorts them in the
    database, one query per page."""

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class PublicPageSerializer(PageSerializer):
    html_url = RequestPageHtmlUrlField(read_only=True)

    def build_property_field(self, field_name, model_class):
        field_class, kwargs = super().build_property_field(field_name, model_class)
        return (PrefetchedTagsField if field_class is TagsField else field_class), kwargs


def _image_fields(model) -> list[str]:
    image_model = get_image_model()
    return [
        field.name
        for field in model._meta.get_fields()
        if field.many_to_one and field.related_model is image_model
    ]


def _tag_fields(model) -> list[str]:
    return [field.name for field in model._meta.get_fields() if isinstance(field, TaggableManager)]


class PublicPagesAPIViewSet(PublicCacheMixin, PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer

    def get_base_queryset(self):
        # Wagtail asks for it up to three times a request (the list, the serializer's model,
        # the serializer's context), reading the view restrictions and the site's
        # translations each time. A viewset instance serves one request.
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = super().get_base_queryset()
        return self._base_queryset

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")
        images = _image_fields(queryset.model)
        return queryset.select_related(*images).prefetch_related(
            *(f"{name}__renditions" for name in images), *_tag_fields(queryset.model)
        )

    @classmethod
    def get_field_serializer_overrides(cls, model):
        # The models declare Wagtail's ImageRenditionField; swap in the prefetch-aware one,
        # built from the same arguments (DRF keeps them for copying fields).
        return {
            name: (
                PrefetchedRenditionField(*serializer._args, **serializer._kwargs)
                if type(serializer) is ImageRenditionField
                else serializer
            )
            for name, serializer in super().get_field_serializer_overrides(model).items()
        }


class PublicImagesAPIViewSet(PublicCacheMixin, ImagesAPIViewSet):
    pass


class PublicDocumentsAPIViewSet(PublicCacheMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
