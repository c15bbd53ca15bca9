"""Reading and checking a day's figures: digits and separators as agencies type them, value
types, hard limits, rules across indicators, warnings against the agency's own recent days,
and the comments that answer them. Pure functions: no database."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import localize, number_format

from modules.statistics.checks import (
    COMMENT_MAX_LENGTH,
    Recent,
    check_entry,
    format_number,
    parse_value,
)
from modules.statistics.models import Comparison, Indicator, Severity, ValidationRule, ValueType


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; their Arabic is the catalog's business."""
    with translation.override("en"):
        yield


def indicator(pk, code, value_type=ValueType.INTEGER, **fields) -> Indicator:
    return Indicator(pk=pk, code=code, value_type=value_type, **fields)


INTEGER = indicator(1, "count")
DECIMAL = indicator(2, "ratio", ValueType.DECIMAL)
PERCENT = indicator(3, "occupancy", ValueType.PERCENTAGE)


def rule(left, comparison, right=None, *, constant=None, factor=1, severity=Severity.BLOCKING):
    return ValidationRule(
        left_id=left.pk,
        comparison=comparison,
        right_id=right.pk if right else None,
        factor=Decimal(factor),
        constant=None if constant is None else Decimal(constant),
        severity=severity,
        message_ar="القاعدة لم تتحقق",
        message_en=f"{left.code} {comparison} rule not met",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123", Decimal(123)),
        ("١٢٣", Decimal(123)),  # Arabic-Indic
        ("۱۲۳", Decimal(123)),  # Persian
        ("١2٣", Decimal(123)),  # mixed, as a phone keyboard may give
        ("  ٤٥  ", Decimal(45)),
        ("1,234", Decimal(1234)),
        ("١٬٢٣٤", Decimal(1234)),  # Arabic thousands separator
        ("١،٢٣٤", Decimal(1234)),  # Arabic comma
        ("1 234 567", Decimal(1234567)),
        ("-5", Decimal(-5)),
        ("-٥", Decimal(-5)),
        ("+7", Decimal(7)),
        ("5.0", Decimal(5)),
        ("١٢٫٠", Decimal(12)),
        ("999999999999", Decimal("999999999999")),
        (42, Decimal(42)),
        (Decimal("42"), Decimal(42)),
    ],
)
def test_parse_an_integer(text, expected):
    assert parse_value(text, INTEGER) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", Decimal("12.5")),
        ("١٢٫٥", Decimal("12.5")),  # Arabic decimal separator
        ("١٬٢٣٤٫٥٦", Decimal("1234.56")),
        ("1,234.5", Decimal("1234.5")),
        ("۳٫۲۵", Decimal("3.25")),
        (".5", Decimal("0.5")),
        ("12.", Decimal(12)),
        ("-0.75", Decimal("-0.75")),
        (12.5, Decimal("12.5")),
    ],
)
def test_parse_a_decimal(text, expected):
    assert parse_value(text, DECIMAL) == expected


def test_parsed_values_carry_the_stored_precision():
    assert str(parse_value("١٢٫٥", DECIMAL)) == "12.5000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50%", Decimal(50)),
        ("50 %", Decimal(50)),
        ("٥٠٪", Decimal(50)),  # Arabic percent sign
        ("99.5", Decimal("99.5")),
        ("0", Decimal(0)),
        ("100", Decimal(100)),
        ("١٠٠٪", Decimal(100)),
    ],
)
def test_parse_a_percentage(text, expected):
    assert parse_value(text, PERCENT) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_empty_is_none(text):
    assert parse_value(text, INTEGER) is None
    assert parse_value(text, PERCENT) is None


def test_a_lone_percent_sign_is_empty():
    assert parse_value("%", PERCENT) is None


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "١٢ب",
        "12abc",
        "1.2.3",
        "١٫٢٫٣",
        "1e5",
        "NaN",
        "Infinity",
        "--5",
        "5-",
        "<script>alert(1)</script>",
        "0x10",
        "50%",  # a percent sign on a plain number
        ["1"],
    ],
)
def test_garbage_is_refused(text):
    with pytest.raises(ValueError, match="Enter a number"):
        parse_value(text, INTEGER)


@pytest.mark.parametrize("text", ["1.5", "١٫٥", "0.001", Decimal("2.5"), 2.5])
def test_an_integer_refuses_decimals(text):
    with pytest.raises(ValueError, match="whole number"):
        parse_value(text, INTEGER)


@pytest.mark.parametrize("text", ["100.01", "101", "-1", "-0.5", "١٥٠٪"])
def test_a_percentage_lies_between_0_and_100(text):
    with pytest.raises(ValueError, match="between 0 and 100"):
        parse_value(text, PERCENT)


@pytest.mark.parametrize(
    "text",
    [
        "1000000000000",
        "-1000000000000",
        "9" * 40,
        "١" + "٠" * 12,
        Decimal("1e12"),
        10**15,
        Decimal("Infinity"),
    ],
)
def test_huge_numbers_are_refused(text):
    with pytest.raises(ValueError, match="too large"):
        parse_value(text, DECIMAL)


def test_not_a_number_is_refused():
    with pytest.raises(ValueError, match="Enter a number"):
        parse_value(Decimal("NaN"), DECIMAL)


def refused(text, indicator) -> bool:
    try:
        parse_value(text, indicator)
    except ValueError:
        return True
    return False


def test_a_number_that_rounds_up_to_the_limit_is_refused():
    assert refused("999999999999.99995", DECIMAL)


def test_a_boolean_is_not_a_number():
    assert refused(True, INTEGER)


def test_a_decimal_comma_is_not_read_as_a_thousands_separator():
    assert refused("1,5", DECIMAL)
    assert refused("12,50", DECIMAL)


def test_a_figure_shown_in_arabic_reads_back_as_the_same_figure():
    """Django's own ar formats print 12.5 as "12,50", which would read back as 1250; the
    project's (cms/formats/ar) print "12.50"."""
    with translation.override("ar"):
        shown = [
            localize(Decimal("12.5")),
            number_format(Decimal("1234.5"), 2),
            number_format(Decimal("1234.5"), 2, force_grouping=True),
        ]
    assert [parse_value(text, DECIMAL) for text in shown] == [
        Decimal("12.5"),
        Decimal("1234.5"),
        Decimal("1234.5"),
    ]


@pytest.mark.parametrize("indicator", [DECIMAL, PERCENT])
def test_a_figure_reads_back_from_its_shown_form(indicator):
    assert parse_value(format_number(parse_value("12.5", indicator), indicator), indicator) == (
        Decimal("12.5")
    )


def test_more_decimals_than_the_form_shows_are_refused():
    """Stored is what the form shows: 1.2346 would show as 1.23, and the next save would
    silently change it."""
    with pytest.raises(ValueError, match="at most 2 decimal places"):
        parse_value("1.2346", DECIMAL)
    assert parse_value("1.2300", DECIMAL) == Decimal("1.23")
    stored = parse_value("1.23", DECIMAL)
    assert parse_value(format_number(stored, DECIMAL), DECIMAL) == stored


# check_entry: a small hospital form.
ADMITTED = indicator(10, "admitted", minimum=Decimal(0), maximum=Decimal(5000))
DISCHARGED = indicator(11, "discharged", minimum=Decimal(0))
DEATHS = indicator(12, "deaths", minimum=Decimal(0), change_tolerance=50)
OCCUPANCY = indicator(13, "occupancy", ValueType.PERCENTAGE)
BEDS = indicator(14, "beds", ValueType.DECIMAL, change_tolerance=50)
FORM = [(ADMITTED, True), (DISCHARGED, True), (DEATHS, False), (OCCUPANCY, False), (BEDS, False)]
RULES = [
    rule(DISCHARGED, Comparison.LTE, ADMITTED),
    rule(DEATHS, Comparison.LTE, ADMITTED, factor="0.1", severity=Severity.WARNING),
    rule(OCCUPANCY, Comparison.LTE, constant=95, severity=Severity.WARNING),
]


def check(values, comments=None, *, recent=None, require_all=False, rules=RULES, form=FORM):
    return check_entry(
        indicators=form,
        rules=rules,
        raw_values=values,
        raw_comments=comments or {},
        recent=recent or {},
        require_all=require_all,
    )


def test_a_clean_form_passes_with_every_value_parsed():
    result = check({"admitted": "١٢٠", "discharged": "80", "occupancy": "٧٠٪", "beds": "٣٫٥"})

    assert result.ok
    assert result.warnings == {}
    assert result.values == {
        ADMITTED.pk: Decimal(120),
        DISCHARGED.pk: Decimal(80),
        DEATHS.pk: None,
        OCCUPANCY.pk: Decimal(70),
        BEDS.pk: Decimal("3.5"),
    }


def test_errors_are_keyed_by_code_with_the_reason():
    result = check({"admitted": "lots", "discharged": "1.5", "occupancy": "120"})

    assert not result.ok
    assert result.errors == {
        "admitted": ["Enter a number."],
        "discharged": ["Enter a whole number, without decimals."],
        "occupancy": ["Enter a percentage between 0 and 100."],
    }


def test_hard_minimum_and_maximum():
    result = check({"admitted": "5001", "discharged": "-1"})

    assert result.errors == {
        "admitted": ["The largest value allowed is 5000."],
        "discharged": ["The smallest value allowed is 0."],
    }
    assert check({"admitted": "5000", "discharged": "0"}).ok


def test_a_blocking_rule_refuses():
    result = check({"admitted": "40", "discharged": "50"})

    assert not result.ok
    assert result.errors == {"discharged": ["discharged lte rule not met"]}
    assert check({"admitted": "50", "discharged": "50"}).ok


def test_a_rule_is_checked_only_when_both_sides_have_a_value():
    assert check({"discharged": "50"}).ok
    assert check({"admitted": "", "discharged": "50"}).ok


@pytest.mark.parametrize(
    ("comparison", "left", "right", "holds"),
    [
        (Comparison.LT, 4, 5, True),
        (Comparison.LT, 5, 5, False),
        (Comparison.EQ, 5, 5, True),
        (Comparison.EQ, 4, 5, False),
        (Comparison.GTE, 5, 5, True),
        (Comparison.GTE, 4, 5, False),
        (Comparison.GT, 6, 5, True),
        (Comparison.GT, 5, 5, False),
    ],
)
def test_every_comparison(comparison, left, right, holds):
    rules = [rule(DISCHARGED, comparison, ADMITTED)]
    result = check({"admitted": str(right), "discharged": str(left)}, rules=rules)
    assert result.ok is holds


def test_a_rule_with_a_factor():
    # deaths ≤ admitted × 0.1, as a warning
    assert check({"admitted": "100", "deaths": "10"}).warnings == {}
    result = check({"admitted": "100", "deaths": "11"})
    assert result.warnings == {"deaths": ["deaths lte rule not met"]}


def test_a_warning_needs_a_comment():
    result = check({"admitted": "100", "occupancy": "97"})

    assert not result.ok
    assert result.warnings == {"occupancy": ["occupancy lte rule not met"]}
    assert result.errors == {
        "occupancy": ["Explain this figure in a short comment, or correct it."]
    }


def test_a_comment_satisfies_a_warning_which_is_still_reported():
    result = check({"admitted": "100", "occupancy": "97"}, {"occupancy": "  field  hospital\n"})

    assert result.ok
    assert result.warnings == {"occupancy": ["occupancy lte rule not met"]}
    assert result.comments[OCCUPANCY.pk] == "field hospital"


def test_a_blank_comment_does_not_satisfy_a_warning():
    result = check({"admitted": "100", "occupancy": "97"}, {"occupancy": " \n\t "})
    assert "occupancy" in result.errors


def test_a_comment_on_another_figure_does_not_satisfy_a_warning():
    result = check({"admitted": "100", "occupancy": "97"}, {"admitted": "field hospital"})
    assert "occupancy" in result.errors


# Six of the last seven days reported, not yesterday: only the range applies.
RECENT_WEEK = Recent(yesterday=None, low=Decimal(100), high=Decimal(120), days=6)


@pytest.mark.parametrize(
    ("value", "warned"),
    [
        # usual range 100..120, tolerance 50%: 100 − 50 − 1 = 49 … 120 + 60 + 1 = 181
        ("110", False),
        ("49", False),
        ("181", False),
        ("48", True),
        ("182", True),
        ("٥٠٠", True),
    ],
)
def test_a_value_outside_the_agencys_recent_range_warns(value, warned):
    result = check({"deaths": value}, recent={DEATHS.pk: RECENT_WEEK}, rules=[])

    if warned:
        assert result.warnings["deaths"] == [
            "This is well outside your agency's range over the last 7 days (100 to 120)."
        ]
        assert result.errors["deaths"] == ["Explain this figure in a short comment, or correct it."]
    else:
        assert result.ok
        assert "deaths" not in result.warnings


@pytest.mark.parametrize(
    ("yesterday", "value", "warned"),
    [
        ("100", "150", False),
        ("100", "151", True),
        ("100", "50", False),
        ("100", "49", True),
        ("0", "1", False),  # a change of one is never a jump
        ("0", "2", True),
    ],
)
def test_a_jump_against_yesterday_warns_without_a_week_of_history(yesterday, value, warned):
    recent = {DEATHS.pk: Recent(yesterday=Decimal(yesterday), low=Decimal(yesterday), days=1)}
    result = check({"deaths": value}, recent=recent, rules=[])

    if warned:
        assert result.warnings["deaths"] == [
            f"This changed by more than 50% since yesterday ({yesterday})."
        ]
    else:
        assert result.ok


def test_the_range_warning_replaces_the_jump_warning():
    week = Recent(yesterday=Decimal(110), low=Decimal(100), high=Decimal(120), days=7)
    result = check({"deaths": "400"}, recent={DEATHS.pk: week}, rules=[])
    assert len(result.warnings["deaths"]) == 1
    assert "range" in result.warnings["deaths"][0]


def test_within_the_range_a_jump_against_yesterday_still_warns():
    week = Recent(yesterday=Decimal(110), low=Decimal(100), high=Decimal(120), days=7)
    result = check({"deaths": "170"}, recent={DEATHS.pk: week}, rules=[])
    assert result.warnings["deaths"] == ["This changed by more than 50% since yesterday (110)."]


def test_a_hajj_spike_is_judged_against_the_days_just_before_it():
    """The agency's own last days were already high: a high figure is not a warning."""
    spike_week = Recent(yesterday=Decimal(900), low=Decimal(700), high=Decimal(950), days=7)
    assert check({"deaths": "1000"}, recent={DEATHS.pk: spike_week}, rules=[]).ok


def test_no_history_no_warning():
    assert check({"deaths": "499"}, recent={}, rules=[]).ok


def test_the_recent_range_uses_decimals_of_the_indicator():
    recent = {BEDS.pk: Recent(yesterday=Decimal("2.5"), low=Decimal("2"), high=Decimal(3), days=5)}
    result = check({"beds": "٩٫٥"}, recent=recent)
    assert result.warnings["beds"] == [
        "This is well outside your agency's range over the last 7 days (2.00 to 3.00)."
    ]


def test_a_comment_answers_a_recent_days_warning():
    result = check({"deaths": "400"}, {"deaths": "heat wave"}, recent={DEATHS.pk: RECENT_WEEK})
    assert result.ok
    assert result.warnings["deaths"]


def test_a_value_with_an_error_gets_no_recent_days_warning():
    recent = {ADMITTED.pk: Recent(yesterday=Decimal(10), low=Decimal(10), high=Decimal(10), days=7)}
    result = check({"admitted": "6000"}, recent=recent)
    assert result.errors == {"admitted": ["The largest value allowed is 5000."]}
    assert result.warnings == {}


def test_a_comment_too_long_is_refused():
    at_limit = "ا" * COMMENT_MAX_LENGTH
    assert check({"admitted": "1"}, {"admitted": at_limit}).ok

    result = check({"admitted": "1"}, {"admitted": at_limit + "ب"})
    assert result.errors == {"admitted": ["Keep the comment to at most 500 characters."]}


@pytest.mark.parametrize(
    "comment",
    ["<script>alert(1)</script>", "see <b>this</b>", '<img src=x onerror="alert(1)">'],
)
def test_a_comment_with_html_is_refused(comment):
    result = check({"admitted": "1"}, {"admitted": comment})
    assert result.errors == {
        "admitted": ["Enter plain text: HTML tags such as <b> or <script> are not allowed."]
    }


def test_a_comment_may_compare_numbers():
    assert check({"admitted": "1"}, {"admitted": "fewer < usual, as 3 > 2"}).ok


def test_codes_not_on_the_form_are_refused():
    result = check({"admitted": "1", "ghost": "5"}, {"phantom": "hello"})

    assert not result.ok
    assert result.errors == {}
    assert result.form_errors == [
        "“ghost” is not an indicator of this form.",
        "“phantom” is not an indicator of this form.",
    ]


def test_required_figures_are_needed_to_submit_not_for_a_draft():
    assert check({"admitted": "10"}).ok
    result = check({"admitted": "10", "occupancy": ""}, require_all=True)
    assert result.errors == {"discharged": ["Enter a value: this figure is required to submit."]}
