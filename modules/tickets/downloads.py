"""Serving a ticket's attachment: always as a download, under a safe name, never inline.

Callers find the attachment through the scoping layer first (another agency's file is a 404);
this only turns the stored file into the response.
"""

from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename

from .models import TicketAttachment


def download_name(attachment: TicketAttachment) -> str:
    """The uploader's file name made safe, ending in the stored file's extension."""
    stored = attachment.file.name
    extension = stored.rsplit(".", 1)[-1].lower() if "." in stored else "bin"
    try:
        name = get_valid_filename(attachment.original_name).lstrip(".")
    except SuspiciousFileOperation:  # a name made only of punctuation
        name = ""
    if not name.lower().endswith(f".{extension}"):
        name = f"{name or 'attachment'}.{extension}"
    return name


def attachment_response(attachment: TicketAttachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(attachment),
        content_type=attachment.content_type or "application/octet-stream",
    )
