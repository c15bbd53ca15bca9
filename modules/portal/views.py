from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from modules.accounts.services import user_update_profile

from .access import agency_user_required
from .cards import cards_for
from .forms import ProfileForm


@agency_user_required
def home(request):
    return render(request, "portal/home.html", {"cards": cards_for(request)})


@agency_user_required
def account(request):
    user = request.user
    form = ProfileForm.for_user(user, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        language_before = user.preferred_language
        try:
            user_update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if user.preferred_language != language_before:
                return _saved_in_language(request, user.preferred_language)
            messages.success(request, _("Your details have been saved."))
            return redirect("portal:account")
    return render(request, "portal/account.html", {"form": form})


def _saved_in_language(request, language: str):
    """A new preferred language: back to the account page in that language, and the
    language cookie set so the rest of the site follows."""
    with translation.override(language):
        messages.success(request, _("Your details have been saved."))
        response = redirect(reverse("portal:account"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
