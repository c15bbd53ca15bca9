"""Reading and checking a day's figures before anything is stored.

`check_entry` parses what the agency typed (Arabic-Indic or Latin digits, Arabic or Latin
separators), applies each indicator's type and hard limits, the form's validation rules, and
the warnings that compare a figure with the same agency's own recent days — never with
other agencies or other seasons, so the Hajj spike is judged against the days just before it.
Blocking problems are errors; a warning needs a short comment on that figure.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from modules.core.sanitize import validate_plain_text
from modules.core.text import normalize_digits

from .models import Comparison, Indicator, Severity, ValidationRule, ValueType

MAX_ABS_VALUE = Decimal("1e12")
COMMENT_MAX_LENGTH = 500
RECENT_DAYS = 7
# Fewer recent days than this and there is no "usual range" to compare with.
MIN_HISTORY_FOR_RANGE = 3
# Invisible marks and spaces copied along with a figure, the Arabic decimal separator, and
# the Unicode minus sign.
_INVISIBLE = str.maketrans(
    {
        "\u066b": ".",
        "\u2212": "-",
        " ": None,
        "\u00a0": None,
        "\u202f": None,
        "\u200e": None,
        "\u200f": None,
        "\u061c": None,
    }
)
_GROUP_SEPARATOR = re.compile("[,\u066c\u060c]")
_GROUPED = re.compile(r"[+-]?\d{1,3}([,\u066c\u060c]\d{3})+(\.\d+)?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_COMPARE = {
    Comparison.LTE: lambda a, b: a <= b,
    Comparison.LT: lambda a, b: a < b,
    Comparison.EQ: lambda a, b: a == b,
    Comparison.GTE: lambda a, b: a >= b,
    Comparison.GT: lambda a, b: a > b,
}


@dataclass
class Recent:
    """The agency's figures for one indicator over the days before the one being entered."""

    yesterday: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    days: int = 0


@dataclass
class EntryCheck:
    """What `check_entry` found. `values` holds every parsed figure by indicator id (None for
    an empty field); `errors` and `warnings` are keyed by indicator code."""

    values: dict[int, Decimal | None] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    form_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.form_errors

    def error(self, code: str, message: str) -> None:
        self.errors.setdefault(code, []).append(message)

    def warn(self, code: str, message: str) -> None:
        if message not in self.warnings.get(code, []):
            self.warnings.setdefault(code, []).append(message)


def _number_text(text: str, indicator: Indicator) -> str:
    """The typed text as a plain decimal literal: ASCII digits, a point, no grouping."""
    cleaned = normalize_digits(text).translate(_INVISIBLE).strip()
    if indicator.value_type == ValueType.PERCENTAGE:
        cleaned = cleaned.removesuffix("%").removesuffix("\u066a").strip()
    if _GROUPED.fullmatch(cleaned):
        cleaned = _GROUP_SEPARATOR.sub("", cleaned)
    elif _GROUP_SEPARATOR.search(cleaned):
        raise ValueError(
            _("Use a point for decimals (12.5); a comma may only separate thousands (1,250).")
        )
    return cleaned


def parse_value(text, indicator: Indicator) -> Decimal | None:
    """The figure typed for `indicator`, or None when empty. Raises ValueError(message).

    Latin, Arabic-Indic and Persian digits; the Arabic decimal separator; commas only between
    groups of three digits (a decimal comma would otherwise turn 1,5 into 15); no more
    decimals than the indicator shows, so what is stored is what the form shows.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(_("Enter a number."))
    if isinstance(text, int | Decimal):
        number = Decimal(text)
    else:
        if isinstance(text, float):
            text = repr(text)
        cleaned = _number_text(str(text), indicator)
        if not cleaned:
            return None
        if not _NUMBER.fullmatch(cleaned):
            raise ValueError(_("Enter a number."))
        number = Decimal(cleaned)
    if number.is_nan():
        raise ValueError(_("Enter a number."))
    if number.is_infinite() or abs(number) >= MAX_ABS_VALUE:
        raise ValueError(_("This number is too large."))
    places = indicator.decimal_places
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        if places == 0:
            raise ValueError(_("Enter a whole number, without decimals."))
        raise ValueError(_("Enter at most %(count)s decimal places.") % {"count": places})
    if indicator.value_type == ValueType.PERCENTAGE and not 0 <= number <= 100:
        raise ValueError(_("Enter a percentage between 0 and 100."))
    return number.quantize(Decimal("0.0001"))


def format_number(value: Decimal | None, indicator: Indicator) -> str:
    if value is None:
        return ""
    return f"{value:.{indicator.decimal_places}f}"


def _limits(check: EntryCheck, indicator: Indicator, value: Decimal) -> None:
    if indicator.minimum is not None and value < indicator.minimum:
        check.error(
            indicator.code,
            _("The smallest value allowed is %(limit)s.")
            % {"limit": format_number(indicator.minimum, indicator)},
        )
    if indicator.maximum is not None and value > indicator.maximum:
        check.error(
            indicator.code,
            _("The largest value allowed is %(limit)s.")
            % {"limit": format_number(indicator.maximum, indicator)},
        )


def _against_recent(check: EntryCheck, indicator: Indicator, value: Decimal, recent: Recent):
    tolerance = Decimal(indicator.change_tolerance) / 100
    if recent.days >= MIN_HISTORY_FOR_RANGE and recent.low is not None:
        low = recent.low - abs(recent.low) * tolerance - 1
        high = recent.high + abs(recent.high) * tolerance + 1
        if not low <= value <= high:
            check.warn(
                indicator.code,
                _(
                    "This is well outside your agency's range over the last %(days)s days "
                    "(%(low)s to %(high)s)."
                )
                % {
                    "days": RECENT_DAYS,
                    "low": format_number(recent.low, indicator),
                    "high": format_number(recent.high, indicator),
                },
            )
            return
    if recent.yesterday is not None:
        change = abs(value - recent.yesterday)
        if change > 1 and change > abs(recent.yesterday) * tolerance:
            check.warn(
                indicator.code,
                _("This changed by more than %(percent)s%% since yesterday (%(value)s).")
                % {
                    "percent": indicator.change_tolerance,
                    "value": format_number(recent.yesterday, indicator),
                },
            )


def _rules(check: EntryCheck, rules: list[ValidationRule], by_id: dict[int, Indicator]) -> None:
    for rule in rules:
        left = check.values.get(rule.left_id)
        if left is None or rule.left_id not in by_id:
            continue
        if rule.right_id is not None:
            right = check.values.get(rule.right_id)
            if right is None:
                continue
            right = right * rule.factor
        else:
            right = rule.constant
        if _COMPARE[rule.comparison](left, right):
            continue
        code = by_id[rule.left_id].code
        if rule.severity == Severity.BLOCKING:
            check.error(code, rule.message)
        else:
            check.warn(code, rule.message)


def check_entry(
    *,
    indicators: list[tuple[Indicator, bool]],
    rules: list[ValidationRule],
    raw_values: dict[str, object],
    raw_comments: dict[str, str],
    recent: dict[int, Recent],
    require_all: bool,
) -> EntryCheck:
    """Check one day's form. `indicators` is the form's (indicator, required) list in order;
    values and comments come keyed by indicator code. Codes not on the form are errors."""
    check = EntryCheck()
    by_code = {indicator.code: indicator for indicator, _required in indicators}
    by_id = {indicator.pk: indicator for indicator, _required in indicators}
    for code in sorted(set(raw_values) | set(raw_comments)):
        if code not in by_code:
            check.form_errors.append(
                _("“%(code)s” is not an indicator of this form.") % {"code": code}
            )
    for indicator, required in indicators:
        code = indicator.code
        comment = " ".join(str(raw_comments.get(code) or "").split())
        if len(comment) > COMMENT_MAX_LENGTH:
            check.error(
                code,
                _("Keep the comment to at most %(count)s characters.")
                % {"count": COMMENT_MAX_LENGTH},
            )
        else:
            try:
                validate_plain_text(comment)
            except Exception as exc:  # ValidationError: its message is already translated
                check.error(code, " ".join(getattr(exc, "messages", [str(exc)])))
        check.comments[indicator.pk] = comment
        try:
            value = parse_value(raw_values.get(code), indicator)
        except ValueError as exc:
            check.error(code, str(exc))
            continue
        check.values[indicator.pk] = value
        if value is None:
            if required and require_all:
                check.error(code, _("Enter a value: this figure is required to submit."))
            continue
        _limits(check, indicator, value)
        if code not in check.errors:
            _against_recent(check, indicator, value, recent.get(indicator.pk, Recent()))
    _rules(check, rules, by_id)
    for code in check.warnings:
        if code not in check.errors and not check.comments.get(by_code[code].pk):
            check.error(code, _("Explain this figure in a short comment, or correct it."))
    return check
