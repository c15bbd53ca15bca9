"""Every write to an account goes through here: create, invite, change role, deactivate."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from modules.agencies.models import Agency, Membership
from modules.agencies.validators import normalize_phone
from modules.core.text import clean_text
from modules.notifications.models import Channel
from modules.notifications.services import notify

from .models import User
from .roles import AGENCY_ROLES, Role


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    preferred_language: str = "ar",
    role: Role | str,
    agency: Agency | None = None,
    invite: bool = True,
) -> User:
    """A new account with no usable password; the person sets one from the invitation."""
    user = User.objects.create_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        preferred_language=preferred_language,
    )
    # The committee vouches for the address, and the invitation can only be used from it.
    # allauth refuses to add a second factor while an unverified address is on record.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    _sync_admin_language(user)
    user_set_role(user=user, role=role, agency=agency)
    if invite:
        user_invite(user=user)
    return user


@transaction.atomic
def user_set_role(*, user: User, role: Role | str, agency: Agency | None = None) -> None:
    """One role per person; agency roles also carry the membership of that agency."""
    role = Role(role)
    if (role in AGENCY_ROLES) != (agency is not None):
        raise ValueError("Agency roles need an agency; committee roles must not have one.")
    user.groups.set([Group.objects.get(name=role.value)])
    user.role = role
    user.save(update_fields=["role"])
    if role in AGENCY_ROLES:
        Membership.objects.update_or_create(user=user, defaults={"agency": agency, "role": role})
    else:
        Membership.objects.filter(user=user).delete()
    user.__dict__.pop("agency_id", None)
    user._state.fields_cache.pop("membership", None)


@transaction.atomic
def user_update(
    *,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    phone: str,
    preferred_language: str,
    role: Role | str | None,
    agency: Agency | None = None,
    is_active: bool = True,
) -> User:
    """Change a person's details; a changed role goes through `user_set_role` and
    deactivation through `user_deactivate`. `role=None` leaves the role as it is."""
    user.email = User.objects.normalize_email(email).lower()
    user.first_name = first_name
    user.last_name = last_name
    user.phone = phone
    user.preferred_language = preferred_language
    user.save()
    EmailAddress.objects.filter(user=user, primary=True).update(email=user.email)
    _sync_admin_language(user)
    if is_active and not user.is_active:
        user_reactivate(user=user)
    agency_id = agency.pk if agency is not None else None
    if role is not None and (Role(role) != user.role or agency_id != user.agency_id):
        user_set_role(user=user, role=role, agency=agency)
    if not is_active and user.is_active:
        user_deactivate(user=user)
    return user


def _sync_admin_language(user: User) -> None:
    """The Wagtail admin speaks the person's preferred language too."""
    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != user.preferred_language:
        profile.preferred_language = user.preferred_language
        profile.save(update_fields=["preferred_language"])


def invitation_url(user: User) -> str:
    with translation.override(user.preferred_language):
        key = default_token_generator.make_token(user)
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
        )
    return f"{settings.SITE_URL}{path}"


def user_invite(*, user: User):
    """E-mail the person a link to set their password (valid PASSWORD_RESET_TIMEOUT)."""
    return notify(
        channel=Channel.EMAIL,
        template="accounts/invitation",
        user=user,
        context={
            "invitation_url": invitation_url(user),
            "user_name": str(user),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        },
    )


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Disable the account and end every browser session and app token it holds."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    # Through the session engine, whichever it is (database, cache): app tokens are sessions too.
    get_usersessions_adapter().end_sessions(UserSession.objects.filter(user=user))


@transaction.atomic
def user_reactivate(*, user: User) -> None:
    """Let a deactivated person sign in again with their password (or a new invitation)."""
    user.is_active = True
    user.save(update_fields=["is_active"])


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    phone: str,
    preferred_language: str,
) -> User:
    """Change a person's own name, mobile phone and preferred language.

    The phone is stored in E.164 (+9665…) and may be empty; Arabic-Indic digits are accepted.
    Every value is checked before any is applied: on ValidationError (keyed by field) the
    person, in memory and in the database, is left as it was.
    """
    values = {
        "first_name": clean_text(first_name),
        "last_name": clean_text(last_name),
        "phone": clean_text(phone),
        "preferred_language": preferred_language,
    }
    errors = {}
    for name, value in values.items():
        try:
            if name == "phone" and value:
                value = normalize_phone(value)
            values[name] = User._meta.get_field(name).clean(value, user)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(user, name, value)
    user.save(update_fields=list(values))
    _sync_admin_language(user)
    return user
