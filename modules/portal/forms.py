from django import forms
from django.utils.translation import gettext_lazy as _

from modules.accounts.models import Language, User
from modules.agencies.validators import normalize_phone
from modules.core.text import clean_text

_name_length = User._meta.get_field("first_name").max_length


class ProfileForm(forms.Form):
    """The signed-in person's own details; the e-mail address is changed by the committee."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=_name_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=_name_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        required=False,
        help_text=_("A Saudi number such as 0501234567, or any number with its country code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr", "type": "tel"}
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        help_text=_("The portal and the messages we send you use this language."),
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "ProfileForm":
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
        }
        return cls(data=data, initial=initial)

    def clean_phone(self) -> str:
        value = clean_text(self.cleaned_data["phone"])
        return normalize_phone(value) if value else ""
