"""Every write to an account goes through here: create, invite, change role, deactivate."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from modules.agencies.models import Agency, Membership
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
    role = Role(role)
    if (role in AGENCY_ROLES) != (agency is not None):
        raise ValueError("Agency roles need an agency; committee roles must not have one.")
    user = User.objects.create_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        preferred_language=preferred_language,
    )
    user_set_role(user=user, role=role, agency=agency)
    if invite:
        user_invite(user=user)
    return user


@transaction.atomic
def user_set_role(*, user: User, role: Role | str, agency: Agency | None = None) -> None:
    """One role per person; agency roles also carry the membership of that agency."""
    role = Role(role)
    user.groups.set([Group.objects.get(name=role.value)])
    if role in AGENCY_ROLES:
        Membership.objects.update_or_create(user=user, defaults={"agency": agency, "role": role})
    else:
        Membership.objects.filter(user=user).delete()
    user.__dict__.pop("role_names", None)
    user.__dict__.pop("agency_id", None)


def invitation_url(user: User) -> str:
    with translation.override(user.preferred_language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        )
    return f"{settings.SITE_URL}{path}"


def user_invite(*, user: User):
    """E-mail the person a link to set their password (valid PASSWORD_RESET_TIMEOUT)."""
    return notify(
        channel=Channel.EMAIL,
        template="accounts/invitation",
        user=user,
        context={"invitation_url": invitation_url(user), "user_name": str(user)},
    )


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Disable the account and end every browser session and app token it holds."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    UserSession.objects.filter(user=user).delete()
    Session.objects.filter(session_key__in=session_keys).delete()
