from django import template
from django.utils.translation import get_language

from modules.core.hijri import format_dual, format_hijri

register = template.Library()


@register.filter
def hijri(value):
    """{{ day|hijri }} → '12 ذو الحجة 1447 هـ'."""
    return format_hijri(value)


@register.filter
def hijri_dual(value):
    """{{ day|hijri_dual }} → Hijri and Gregorian side by side."""
    return format_dual(value)


@register.filter
def localized(obj, field: str = "name"):
    """{{ agency|localized }} → agency.name_ar in Arabic, agency.name_en in English."""
    if obj is None:
        return ""
    lang = "en" if (get_language() or "ar").startswith("en") else "ar"
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_ar", "")
