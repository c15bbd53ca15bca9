"""Attachments on reports and comments: what is accepted, what is refused, and that a refused
(or failed) upload leaves no row and no file behind."""

import io
import os
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

from modules.tickets import services
from modules.tickets.models import EventKind, Source, TicketAttachment
from tests.support.tickets import make_ticket, photo

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def noisy(name="big.jpg") -> SimpleUploadedFile:
    """A photo of noise: it does not compress, so it is tens of kilobytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)).save(buffer, format="JPEG")
    return upload(name, buffer.getvalue(), "image/jpeg")


def bomb(name="bomb.png") -> SimpleUploadedFile:
    """A small file that opens to 48 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")
    return upload(name, buffer.getvalue(), "image/png")


@pytest.mark.parametrize(
    ("name", "image_format", "content_type"),
    [
        ("photo.jpg", "JPEG", "image/jpeg"),
        ("PHOTO.JPEG", "JPEG", "image/jpeg"),
        ("shot.png", "PNG", "image/png"),
        ("shot.webp", "WEBP", "image/webp"),
    ],
)
def test_public_photo_is_stored_with_the_report(name, image_format, content_type, room, media, t0):
    ticket = make_ticket(room, now=t0, attachments=[photo(name, image_format=image_format)])

    attachment = TicketAttachment.objects.get(ticket=ticket)
    assert (attachment.original_name, attachment.content_type) == (name, content_type)
    assert attachment.event.kind == EventKind.CREATED and attachment.uploaded_by is None
    extension = name.rsplit(".", 1)[-1].lower()
    assert re.fullmatch(rf"tickets/[0-9a-f]{{32}}\.{extension}", attachment.file.name)
    assert (media / attachment.file.name).stat().st_size == attachment.size


def test_a_path_in_the_file_name_goes_nowhere(room, media, t0):
    ticket = make_ticket(room, now=t0, attachments=[photo("../../etc/passwd.jpg")])

    attachment = ticket.attachments.get()
    assert attachment.original_name == "passwd.jpg"
    assert attachment.file.name.startswith("tickets/")
    assert [path.parent for path in media.rglob("*") if path.is_file()] == [media / "tickets"]


def test_operators_may_attach_a_pdf(room, operator, media, t0):
    ticket = make_ticket(
        room,
        now=t0,
        source=Source.OPERATOR,
        actor=operator,
        attachments=[upload("report.pdf", PDF, "application/pdf"), photo()],
    )

    assert sorted(ticket.attachments.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
    ]
    assert set(ticket.attachments.values_list("uploaded_by", flat=True)) == {operator.pk}


REFUSED = {
    "oversized": noisy,
    "text named .jpg": lambda: upload("photo.jpg", b"just some text, not a picture", "image/jpeg"),
    "PNG named .jpg": lambda: photo("photo.jpg", image_format="PNG"),
    "JPEG named .png": lambda: photo("photo.png", image_format="JPEG"),
    "truncated PNG": lambda: upload("photo.png", photo(image_format="PNG").read()[:60]),
    "no extension": lambda: photo("photo"),
    "executable": lambda: upload("setup.exe", b"MZ\x90\x00"),
    "PDF from the public": lambda: upload("report.pdf", PDF, "application/pdf"),
    "decompression bomb": bomb,
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_bad_public_upload_is_refused_and_nothing_is_stored(case, room, settings, stored, t0):
    settings.TICKETS_MAX_UPLOAD_BYTES = 4096
    before = stored()

    with pytest.raises(ValidationError) as refused:
        make_ticket(room, now=t0, attachments=[photo("fine.jpg"), REFUSED[case]()])

    assert list(refused.value.message_dict) == ["photo"]
    assert refused.value.message_dict["photo"][0]
    assert stored() == before


def test_oversized_upload_names_the_file_and_the_limit(room, settings, stored, t0):
    settings.TICKETS_MAX_UPLOAD_BYTES = 1024

    with pytest.raises(ValidationError) as refused:
        make_ticket(room, now=t0, attachments=[noisy("big.jpg")])

    [message] = refused.value.message_dict["photo"]
    assert "big.jpg" in message and filesizeformat(1024) in message


def test_six_attachments_are_too_many(room, stored, t0):
    before = stored()

    with pytest.raises(ValidationError) as refused:
        make_ticket(room, now=t0, attachments=[photo(f"p{n}.jpg") for n in range(6)])

    assert list(refused.value.message_dict) == ["photo"]
    assert stored() == before
    assert make_ticket(room, now=t0, attachments=[photo(f"p{n}.jpg") for n in range(5)])


def test_fake_pdf_from_an_operator_is_refused(room, operator, stored, t0):
    before = stored()

    with pytest.raises(ValidationError):
        make_ticket(
            room,
            now=t0,
            source=Source.OPERATOR,
            actor=operator,
            attachments=[upload("report.pdf", b"<html>not a pdf</html>", "application/pdf")],
        )

    assert stored() == before


def test_comment_attachments_are_checked_too(room, staff_a, stored, t0):
    ticket = make_ticket(room, now=t0)
    before = stored()

    with pytest.raises(ValidationError) as refused:
        services.ticket_comment(
            ticket=ticket, actor=staff_a, text="الصورة", attachments=[upload("x.jpg", b"text")]
        )
    assert list(refused.value.message_dict) == ["attachments"]
    assert stored() == before

    event = services.ticket_comment(
        ticket=ticket, actor=staff_a, text="", attachments=[upload("r.pdf", PDF)]
    )
    assert event.kind == EventKind.COMMENTED
    assert list(event.attachments.values_list("content_type", "uploaded_by")) == [
        ("application/pdf", staff_a.pk)
    ]


class FailsOnSecondFile(FileSystemStorage):
    """A disk that fills up after the first file."""

    saved = 0

    def _save(self, name, content):
        type(self).saved += 1
        if type(self).saved > 1:
            raise OSError("No space left on device")
        return super()._save(name, content)


def test_a_failed_write_leaves_no_row_and_no_file(room, settings, stored, t0):
    before = stored()
    FailsOnSecondFile.saved = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FailsOnSecondFile"},
    }

    with pytest.raises(OSError):
        make_ticket(room, now=t0, attachments=[photo("one.jpg"), photo("two.jpg")])

    assert FailsOnSecondFile.saved == 2
    assert stored() == before
