"""Checks for files attached to tickets: size, extension and content, before anything is stored.

Photos are opened with Pillow (a renamed or truncated file is refused); PDFs must start with
the PDF signature. The public may send photos only; agencies and operators also PDFs.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Decompression bombs: a small file that opens to a gigantic picture.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    name: str
    content_type: str
    size: int


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload, *, images_only: bool = False) -> CheckedUpload:
    """The upload if it is an acceptable photo (or PDF); ValidationError with the reason if not."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][-200:]
    limit = settings.TICKETS_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the largest accepted is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    extension = _extension(name)
    if extension in IMAGE_TYPES:
        return CheckedUpload(upload, name, _check_image(upload, name, extension), upload.size)
    if extension == "pdf" and not images_only:
        upload.seek(0)
        signature = upload.read(5)
        upload.seek(0)
        if signature != b"%PDF-":
            raise ValidationError(
                _("The file “%(name)s” is not a PDF document.") % {"name": name},
                code="file_content",
            )
        return CheckedUpload(upload, name, "application/pdf", upload.size)
    if images_only:
        message = _("Attach a photo: a JPEG, PNG or WebP image.")
    else:
        message = _("Attach a photo (JPEG, PNG or WebP) or a PDF document.")
    raise ValidationError(message, code="file_type")


def _check_image(upload, name: str, extension: str) -> str:
    refused = ValidationError(
        _("The file “%(name)s” is not a readable image.") % {"name": name}, code="file_content"
    )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise refused
            image.verify()
            found = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise refused from error
    finally:
        upload.seek(0)
    if found != IMAGE_TYPES[extension] and not (found == "JPEG" and extension in ("jpg", "jpeg")):
        raise refused
    return IMAGE_CONTENT_TYPES[found]
