"""What the portal's daily-statistics screens post: a day's figures, and a day's file."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.agencies.forms import ImportUploadForm

from .selectors import FormLayout

SUBMIT = "submit"


def value_field(code: str) -> str:
    return f"value-{code}"


def comment_field(code: str) -> str:
    return f"comment-{code}"


@dataclass
class EntryData:
    """The figures and comments as typed, keyed by indicator code (for services.report_save).

    A field missing from the post keeps its stored figure; an empty one clears it."""

    values: dict[str, str]
    comments: dict[str, str]
    submit: bool


def entry_data(data, layout: FormLayout) -> EntryData:
    values, comments = {}, {}
    for item in layout.items:
        code = item.indicator.code
        if (value := data.get(value_field(code))) is not None:
            values[code] = value
        if (comment := data.get(comment_field(code))) is not None:
            comments[code] = comment
    return EntryData(values=values, comments=comments, submit=data.get("action") == SUBMIT)


class DayUploadForm(ImportUploadForm):
    submit = forms.BooleanField(
        label=_("Submit the day once the file is saved"),
        required=False,
        help_text=_("Leave unticked to keep the figures as a draft you can still check."),
    )
