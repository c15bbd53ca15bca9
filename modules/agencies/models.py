"""Seasons, agencies, who belongs to which agency, and each agency's staff roster."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modules.core.models import BilingualNameMixin, TimeStampedModel
from modules.core.sanitize import validate_plain_text
from modules.core.scoping import AgencyScopedManager

from .validators import validate_national_id, validate_phone


class SeasonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Season(TimeStampedModel):
    """One Hajj season, named by its Hijri year; exactly one is active at a time."""

    hijri_year = models.PositiveSmallIntegerField(_("Hijri year"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_active = models.BooleanField(_("active"), default=False)

    objects = SeasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["-hijri_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_season"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="season_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return _("Season %(year)s AH") % {"year": self.hijri_year}

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The season cannot end before it starts.")})


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    PRIVATE = "private", _("Private")
    CHARITY = "charity", _("Charity")
    VOLUNTEER = "volunteer", _("Volunteer")


class Agency(BilingualNameMixin, TimeStampedModel):
    """A government, private, charity or volunteer body that serves pilgrims."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    contact_name = models.CharField(
        _("contact person"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    agency_lookup = "id"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_ar"]


class MembershipRole(models.TextChoices):
    MANAGER = "agency_manager", _("Agency manager")
    STAFF = "agency_staff", _("Agency staff")


class Membership(TimeStampedModel):
    """Links a user account to the one agency they work for, with their role there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)

    agency_lookup = "agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class StaffMember(BilingualNameMixin, TimeStampedModel):
    """A person on an agency's roster for a season; nominations draw from here."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", verbose_name=_("agency")
    )
    season = models.ForeignKey(
        Season, on_delete=models.PROTECT, related_name="staff", verbose_name=_("season")
    )
    national_id = models.CharField(
        _("national ID / iqama"), max_length=10, validators=[validate_national_id]
    )
    phone = models.CharField(_("mobile phone"), max_length=20, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    is_active = models.BooleanField(_("active"), default=True)

    agency_lookup = "agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["name_ar"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "national_id"], name="staff_national_id_unique_per_season"
            ),
        ]
        indexes = [models.Index(fields=["agency", "season", "is_active"])]
