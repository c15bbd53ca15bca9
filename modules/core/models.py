from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .sanitize import validate_plain_text


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin(models.Model):
    """Configuration records carry both names; `name` is the active language's."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=200, validators=[validate_plain_text])
    name_en = models.CharField(
        _("name (English)"), max_length=200, validators=[validate_plain_text]
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "ar").startswith("en"):
            return self.name_en or self.name_ar
        return self.name_ar or self.name_en


class WorkerHeartbeat(models.Model):
    """Written by a one-minute schedule: proof that a worker is taking jobs."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
