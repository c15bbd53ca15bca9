from functools import cached_property

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
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

    @cached_property
    def role_names(self) -> frozenset[str]:
        # `groups.all()` rather than a values query, so listings can prefetch the groups.
        return frozenset(group.name for group in self.groups.all()) if self.pk else frozenset()

    @cached_property
    def role(self) -> Role | None:
        """The person's one role (see `user_set_role`), or None for an account without one."""
        return next((Role(name) for name in Role.values if name in self.role_names), None)

    @property
    def is_committee(self) -> bool:
        """Committee people see every agency's records."""
        return self.is_superuser or bool(self.role_names & COMMITTEE_ROLES)

    @property
    def is_agency_user(self) -> bool:
        return not self.is_committee and bool(self.role_names & AGENCY_ROLES)

    @cached_property
    def agency_id(self) -> int | None:
        """The agency this person belongs to, or None for committee people."""
        membership = getattr(self, "membership", None) if self.pk else None
        return membership.agency_id if membership else None
