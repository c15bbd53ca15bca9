from functools import cached_property

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from modules.core.sanitize import validate_plain_text

from .roles import AGENCY_ROLES, COMMITTEE_ROLES, Role


class Language(models.TextChoices):
    ARABIC = "ar", "العربية"
    ENGLISH = "en", "English"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in with an e-mail address; committee or agency by role."""

    username = None
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("One role per person: it decides what they can see and do."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_committee(self) -> bool:
        """Committee people see every agency's records."""
        return self.is_superuser or self.role in COMMITTEE_ROLES

    @property
    def is_agency_user(self) -> bool:
        return not self.is_committee and self.role in AGENCY_ROLES

    @cached_property
    def agency_id(self) -> int | None:
        """The agency this person belongs to, or None for committee people."""
        membership = getattr(self, "membership", None) if self.pk else None
        return membership.agency_id if membership else None
