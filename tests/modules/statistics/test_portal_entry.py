"""The portal's entry screen for one form and day: typing, saving, submitting, refusals,
locking, exceptions, and query counts that do not grow with the form.

The views read the real clock, so the days used are picked relative to today (Asia/Riyadh)
in a season that covers it: today is open, five days ago is locked.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from modules.core.hijri import format_hijri
from modules.statistics.models import (
    DailyReport,
    ReportStatus,
    ReportValue,
    ValueChange,
)
from modules.statistics.services import exception_grant, report_approve, report_return
from tests.support.statistics import make_indicator, make_rule, make_set, save_day

pytestmark = pytest.mark.django_db


def entry_url(indicator_set, day, language="en"):
    with translation.override(language):
        return reverse("statistics:entry", args=[indicator_set.pk, day])


def post(client, indicator_set, day, action="draft", language="en", **figures):
    """POST the entry form: figures as code=value, comments as code__comment=text."""
    data = {"action": action}
    for key, text in figures.items():
        if key.endswith("__comment"):
            data[f"comment-{key.removesuffix('__comment')}"] = text
        else:
            data[f"value-{key}"] = text
    return client.post(entry_url(indicator_set, day, language), data)


def stored(agency, indicator_set, day) -> dict[str, Decimal | None]:
    return {
        value.indicator.code: value.value
        for value in ReportValue.objects.filter(
            report__agency=agency, report__indicator_set=indicator_set, day=day
        ).select_related("indicator")
    }


def html(response) -> str:
    return response.content.decode()


# --- showing the screen ------------------------------------------------------------------


def test_the_screen_shows_every_indicator_in_its_section_with_keyboard_friendly_fields(
    manager, health_form, today
):
    response = manager.get(entry_url(health_form, today))

    assert response.status_code == 200
    page = html(response)
    assert "Movement" in page and "Beds" in page
    for code in ("admitted", "discharged", "occupancy"):
        assert f'name="value-{code}"' in page
        assert f'name="comment-{code}"' in page
    field = page[page.index('id="value-admitted"') - 200 : page.index('id="value-admitted"') + 600]
    assert 'inputmode="decimal"' in field
    assert 'dir="ltr"' in field
    assert "Everyone admitted to a bed today." in page
    assert "patients" in page
    assert "js/statistics-entry.js" in page
    assert "<script>" not in page  # no inline script: the page's behaviour is in its own file
    assert 'value="draft"' in page and 'value="submit"' in page


def test_beside_each_field_yesterdays_value_and_the_range_of_the_last_seven_days(
    manager, manager_a, agency_a, health_form, today
):
    for back, admitted in ((3, 90), (2, 120), (1, 105)):
        day = today - datetime.timedelta(days=back)
        save_day(manager_a, agency_a, health_form, day, {"admitted": admitted}, submit=False)

    page = html(manager.get(entry_url(health_form, today)))

    row = page[page.index('id="value-admitted-recent"') :][:600]
    assert ">105<" in row
    assert "90 – 120" in row


def test_the_deadline_and_the_lock_show_in_hijri_and_gregorian(manager, health_form, today):
    page = html(manager.get(entry_url(health_form, today)))
    tomorrow = today + datetime.timedelta(days=1)
    assert f'datetime="{tomorrow.isoformat()}T10:00:00+03:00"' in page
    with translation.override("en"):
        assert format_hijri(tomorrow) in page


def test_arabic_page_is_right_to_left_with_left_to_right_figures(manager, health_form, today):
    page = html(manager.get(entry_url(health_form, today, "ar")))
    assert 'dir="rtl"' in page
    assert 'id="value-admitted"' in page
    assert 'name="action" value="draft"' in page


# --- saving --------------------------------------------------------------------------------


def test_arabic_indic_digits_are_saved_as_numbers(manager, agency_a, health_form, today):
    response = post(
        manager,
        health_form,
        today,
        language="ar",
        admitted="١٢٣",
        discharged="٤٥",
        occupancy="٨٧٫٥",
    )

    assert response.status_code == 302
    assert response["Location"] == entry_url(health_form, today, "ar")
    assert stored(agency_a, health_form, today) == {
        "admitted": Decimal("123"),
        "discharged": Decimal("45"),
        "occupancy": Decimal("87.5"),
    }
    page = html(manager.get(entry_url(health_form, today)))
    assert 'value="123"' in page and 'value="87.50"' in page


def test_draft_then_submit(manager, agency_a, health_form, today):
    response = post(manager, health_form, today, admitted="10")
    assert response.status_code == 302
    report = DailyReport.objects.get(agency=agency_a, indicator_set=health_form, day=today)
    assert report.status == ReportStatus.DRAFT
    assert "Draft saved" in html(manager.get(response["Location"]))

    # Submitting needs every required figure.
    refused = post(manager, health_form, today, action="submit", admitted="10")
    assert refused.status_code == 200
    assert "required to submit" in html(refused)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    response = post(
        manager, health_form, today, action="submit", admitted="10", discharged="4", occupancy="70"
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None and not report.is_late
    page = html(manager.get(response["Location"]))
    assert "were submitted" in page
    assert 'value="save"' in page and 'value="submit"' not in page
    assert "Submitted on time" in page

    # "Save changes" keeps the day submitted.
    response = post(
        manager, health_form, today, action="save", admitted="11", discharged="4", occupancy="70"
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert stored(agency_a, health_form, today)["admitted"] == Decimal("11")


def test_a_blocking_rule_refuses_the_save_and_stores_nothing(manager, agency_a, health_form, today):
    admitted, discharged = (item.indicator for item in health_form.items.all()[:2])
    make_rule(health_form, discharged, "lte", admitted)

    response = post(manager, health_form, today, admitted="10", discharged="50", occupancy="70")

    assert response.status_code == 200
    page = html(response)
    assert "Nothing was saved" in page
    assert "Rule not met" in page
    assert 'href="#value-discharged"' in page
    # What was typed is kept in the fields.
    assert 'value="50"' in page and 'value="10"' in page
    assert 'aria-invalid="true"' in page
    assert not DailyReport.objects.exists()
    assert not ReportValue.objects.exists()


def test_a_bad_number_is_named_beside_its_field_and_the_typed_text_is_kept(
    manager, health_form, today
):
    response = post(manager, health_form, today, admitted="12abc", occupancy="140")

    page = html(response)
    assert response.status_code == 200
    assert "Enter a number." in page
    assert "Enter a percentage between 0 and 100." in page
    assert 'value="12abc"' in page
    assert 'href="#value-admitted"' in page and 'href="#value-occupancy"' in page
    assert not DailyReport.objects.exists()


def test_a_warning_needs_a_comment_and_saves_with_one(
    manager, manager_a, agency_a, health_form, today
):
    for back in range(1, 8):
        day = today - datetime.timedelta(days=back)
        save_day(manager_a, agency_a, health_form, day, {"admitted": 100}, submit=False)

    refused = post(manager, health_form, today, admitted="1000")

    assert refused.status_code == 200
    page = html(refused)
    assert "well outside your agency" in page
    assert "Explain this figure" in page
    assert "Comment (required)" in page
    assert 'href="#comment-admitted"' in page
    assert stored(agency_a, health_form, today) == {}

    saved = post(
        manager, health_form, today, admitted="1000", admitted__comment="Two hospitals opened"
    )

    assert saved.status_code == 302
    value = ReportValue.objects.get(agency=agency_a, day=today, indicator__code="admitted")
    assert value.value == Decimal("1000")
    assert value.comment == "Two hospitals opened"
    page = html(manager.get(saved["Location"]))
    assert "far from your agency" in page  # the message after the save
    assert "well outside your agency" in page  # and the warning beside the stored figure


# --- locking and exceptions ----------------------------------------------------------------


def test_a_locked_day_is_read_only_and_a_post_is_refused(manager, agency_a, health_form, today):
    locked = today - datetime.timedelta(days=5)

    page = html(manager.get(entry_url(health_form, locked)))

    assert "This day is locked" in page
    assert 'name="value-admitted"' not in page
    assert 'value="submit"' not in page
    assert "Locked" in page

    response = post(manager, health_form, locked, admitted="10")
    assert response.status_code == 200
    assert "This day is locked" in html(response)
    assert not DailyReport.objects.exists()


def test_an_exception_reopens_a_locked_day(manager, committee_admin, agency_a, health_form, today):
    locked = today - datetime.timedelta(days=5)
    exception_grant(
        actor=committee_admin,
        indicator_set=health_form,
        agency=agency_a,
        day=locked,
        open_until=timezone.now() + datetime.timedelta(days=1),
        reason="Network outage at the hospital",
    )

    page = html(manager.get(entry_url(health_form, locked)))
    assert 'name="value-admitted"' in page
    assert "Reopened until" in page

    response = post(
        manager, health_form, locked, action="submit", admitted="7", discharged="2", occupancy="5"
    )
    assert response.status_code == 302
    report = DailyReport.objects.get(agency=agency_a, indicator_set=health_form, day=locked)
    assert report.status == ReportStatus.SUBMITTED and report.is_late
    assert "counts as late" in html(manager.get(response["Location"]))


def test_a_future_day_is_read_only(manager, health_form, today):
    page = html(manager.get(entry_url(health_form, today + datetime.timedelta(days=1))))
    assert "from the day itself onwards" in page
    assert 'name="value-admitted"' not in page


def test_an_approved_day_is_read_only(
    manager, manager_a, committee_admin, agency_a, health_form, today
):
    result = save_day(
        manager_a,
        agency_a,
        health_form,
        today,
        {"admitted": 5, "discharged": 1, "occupancy": 50},
        now=timezone.now(),
    )
    report_approve(actor=committee_admin, report=result.report)

    page = html(manager.get(entry_url(health_form, today)))
    assert "was approved" in page
    assert 'name="value-admitted"' not in page
    assert response_value(page, "admitted") == "5"


def response_value(page: str, code: str) -> str:
    start = page.index(f'id="value-{code}"')
    text = page[start : start + 200]
    return text.split('<bdi dir="ltr">', 1)[1].split("</bdi>", 1)[0]


def test_a_returned_report_shows_the_reviewers_comment_and_can_be_submitted_again(
    manager, manager_a, committee_admin, agency_a, health_form, today
):
    result = save_day(
        manager_a,
        agency_a,
        health_form,
        today,
        {"admitted": 5, "discharged": 1, "occupancy": 50},
        now=timezone.now(),
    )
    report_return(actor=committee_admin, report=result.report, comment="Admissions look too low")

    page = html(manager.get(entry_url(health_form, today)))
    assert "Admissions look too low" in page
    assert "Returned for correction" in page
    assert "Submit again" in page

    response = post(
        manager, health_form, today, action="submit", admitted="50", discharged="1", occupancy="50"
    )
    assert response.status_code == 302
    assert DailyReport.objects.get(pk=result.report.pk).status == ReportStatus.SUBMITTED


# --- isolation -----------------------------------------------------------------------------


def test_a_form_the_agency_does_not_report_is_a_404(
    manager, manager_b, agency_b, open_season, today
):
    other = make_set("other-form", indicators=[make_indicator("ambulances")], agencies=[agency_b])
    assert manager.get(entry_url(other, today)).status_code == 404
    assert post(manager, other, today, ambulances="3").status_code == 404
    assert not DailyReport.objects.exists()


def test_an_impossible_date_is_a_404(manager, health_form):
    assert manager.get(f"/en/portal/statistics/{health_form.pk}/2026-02-30/").status_code == 404


def test_values_the_form_does_not_have_are_ignored(manager, agency_a, health_form, today):
    response = manager.post(
        entry_url(health_form, today),
        {"action": "draft", "value-admitted": "3", "value-ambulances": "9"},
    )
    assert response.status_code == 302
    assert stored(agency_a, health_form, today) == {"admitted": Decimal("3")}


# --- query counts --------------------------------------------------------------------------


def form_of(size: int, agency, prefix: str):
    indicators = [make_indicator(f"{prefix}-{n:03d}") for n in range(size)]
    sections = {n: (f"قسم {n}", f"Section {n}") for n in range(0, size, 10)}
    indicator_set = make_set(
        f"{prefix}-form", indicators=indicators, agencies=[agency], sections=sections
    )
    make_rule(indicator_set, indicators[1], "lte", indicators[0], severity="warning")
    return indicator_set, [indicator.code for indicator in indicators]


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 302), response.status_code
    return len(queries.captured_queries)


def test_the_screen_and_the_save_take_the_same_queries_at_10_and_150_indicators(
    manager, manager_a, agency_a, open_season, today
):
    yesterday = today - datetime.timedelta(days=1)
    counts = {}
    for size in (10, 150):
        indicator_set, codes = form_of(size, agency_a, f"q{size}")
        # Recent days to compare with, and a stored draft for today to read and update.
        save_day(manager_a, agency_a, indicator_set, yesterday, dict.fromkeys(codes, 5))
        manager.get(entry_url(indicator_set, today))  # the session's first request writes it

        first_save = count_queries(
            lambda s=indicator_set, c=codes: post(manager, s, today, **dict.fromkeys(c, "6"))
        )
        screen = count_queries(lambda s=indicator_set: manager.get(entry_url(s, today)))
        update = count_queries(
            lambda s=indicator_set, c=codes: post(
                manager, s, today, action="submit", **dict.fromkeys(c, "7")
            )
        )
        refused = count_queries(
            lambda s=indicator_set, c=codes: post(manager, s, today, **dict.fromkeys(c, "x"))
        )
        counts[size] = {
            "screen": screen,
            "first save": first_save,
            "update and submit": update,
            "refused save": refused,
        }
        history = ValueChange.objects.filter(value__report__indicator_set=indicator_set)
        assert history.filter(value__day=today).count() == 2 * size

    assert counts[10] == counts[150], counts
