"""The report page in the demo site, in Arabic and in each other content language.

Mirrors `modules.core.demo.content`: the Arabic page is made under the Arabic home page, and
every other language's page is its translation (`copy_for_translation`), so it shares the
translation key and slug and the language switcher finds it. Pages are content: a page that
exists (matched by type under each home) is left as the editors made it.
"""

from django.conf import settings
from wagtail.models import Locale, Page

from cms.pages.models import IncidentReportPage

from .records import Tally

SLUG = "report"
TEXTS = {
    "ar": {
        "title": "الإبلاغ عن حالة",
        "intro": (
            "<p>شاهدت ما يحتاج إلى تدخل؟ أرسل بلاغك إلى غرفة العمليات المشتركة، وستحيله إلى "
            "الجهة المختصة وتتابعه حتى يُعالَج. لا حاجة إلى حساب.</p>"
        ),
        "search_description": (
            "أبلغ غرفة العمليات عن حالة في المدينة المنورة: ازدحام، تسرب مياه، حاج تائه، "
            "نظافة، أو أي أمر يحتاج إلى تدخل، وتابع بلاغك برقمه."
        ),
    },
    "en": {
        "title": "Report an incident",
        "intro": (
            "<p>Seen something that needs attention? Send your report to the joint operations "
            "room: it passes it to the agency responsible and follows it until it is dealt "
            "with. No account is needed.</p>"
        ),
        "search_description": (
            "Tell the operations room about an incident in Madinah — crowding, a water leak, "
            "a lost pilgrim, cleanliness or anything that needs attention — and follow it by "
            "its reference."
        ),
    },
}


def _texts(code: str) -> dict:
    return TEXTS.get(code, TEXTS["en"])


def ensure_report_page(home: Page, *, tally: Tally | None = None) -> IncidentReportPage:
    """The report page under `home` (the default language's home page) and its translation
    under each translation of `home`; made and published where missing. Returns the page
    under `home`."""
    tally = tally if tally is not None else Tally()
    page = IncidentReportPage.objects.child_of(home).first()
    if page is None:
        page = IncidentReportPage(slug=SLUG, locale=home.locale, show_in_menus=True)
        for name, value in _texts(home.locale.language_code).items():
            setattr(page, name, value)
        home.add_child(instance=page)
        page.save_revision().publish()
        tally.created += 1
    else:
        tally.unchanged += 1

    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    for locale in Locale.objects.filter(language_code__in=codes).exclude(pk=home.locale_id):
        translated_home = home.get_translation_or_none(locale)
        if translated_home is None:
            continue
        if (
            page.get_translation_or_none(locale) is not None
            or IncidentReportPage.objects.child_of(translated_home).exists()
        ):
            tally.unchanged += 1
            continue
        translation = page.copy_for_translation(locale)
        for name, value in _texts(locale.language_code).items():
            setattr(translation, name, value)
        translation.save_revision().publish()
        tally.created += 1
    return page
