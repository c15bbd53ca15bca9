"""Writes the portal makes on behalf of the signed-in person."""

from django.core.exceptions import ValidationError
from django.db import transaction

from modules.accounts.models import User
from modules.agencies.validators import normalize_phone
from modules.core.text import clean_text


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
    return user
