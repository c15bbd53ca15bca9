"""The portal's daily-statistics pages around the entry screen: the list of forms and days,
a report with its history, the portal home card and the navigation link."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from modules.portal.cards import Tone
from modules.statistics.days import DayState
from modules.statistics.models import DailyReport
from modules.statistics.services import (
    exception_grant,
    report_approve,
    report_return,
)
from tests.support.statistics import (
    local_noon,
    make_health_form,
    make_indicator,
    make_set,
    save_day,
)

pytestmark = pytest.mark.django_db

FULL_DAY = {"admitted": 10, "discharged": 2, "occupancy": 50}


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


def ago(today, days):
    return today - datetime.timedelta(days=days)


def health_form(agency, **settings):
    indicator_set = make_health_form(agency)
    for name, value in settings.items():
        setattr(indicator_set, name, value)
    indicator_set.save()
    return indicator_set


def states(response) -> dict[datetime.date, object]:
    [(_indicator_set, days)] = response.context["forms"]
    return {form_day.day: form_day for form_day in days}


def statistics_card(response):
    return next(
        (card for card in response.context["cards"] if card.url == url("statistics:index")),
        None,
    )


# --- the index -----------------------------------------------------------------------------


def test_the_index_shows_each_recent_day_with_its_state(
    manager, manager_a, committee_admin, agency_a, open_season, today
):
    form = health_form(agency_a, grace_days=3)
    save_day(manager_a, agency_a, form, ago(today, 1), FULL_DAY)  # at noon that day: on time
    save_day(manager_a, agency_a, form, ago(today, 2), FULL_DAY, now=timezone.now())  # late
    save_day(manager_a, agency_a, form, ago(today, 3), {"admitted": 1}, submit=False)
    approved = save_day(manager_a, agency_a, form, ago(today, 5), FULL_DAY).report
    report_approve(actor=committee_admin, report=approved)
    returned = save_day(manager_a, agency_a, form, ago(today, 12), FULL_DAY).report
    report_return(actor=committee_admin, report=returned, comment="Check the admissions")

    response = manager.get(url("statistics:index"))

    assert response.status_code == 200
    days = states(response)
    assert days[today].state == DayState.NOT_STARTED and not days[today].is_late
    assert days[ago(today, 1)].state == DayState.SUBMITTED
    assert days[ago(today, 2)].state == DayState.SUBMITTED_LATE
    assert days[ago(today, 3)].state == DayState.DRAFT and days[ago(today, 3)].is_late
    assert days[ago(today, 5)].state == DayState.APPROVED
    assert days[ago(today, 6)].state == DayState.LOCKED
    # Older than the last seven days, but sent back for correction: still listed, and late.
    assert days[ago(today, 12)].state == DayState.RETURNED
    assert ago(today, 7) not in days
    late = {form_day.day for form_day in response.context["late"]}
    assert ago(today, 3) in late
    assert not late & {today, ago(today, 1), ago(today, 2), ago(today, 5), ago(today, 6)}
    assert [form_day.day for form_day in response.context["returned"]] == [ago(today, 12)]

    page = response.content.decode()
    for label in ("Not started", "Submitted on time", "Submitted late", "Draft", "Approved"):
        assert label in page
    assert "Returned for correction" in page and "Locked" in page
    assert "Check the admissions" in page
    assert url("statistics:entry", form.pk, today) in page
    assert url("statistics:report", returned.pk) in page
    assert url("statistics:template", form.pk, "xlsx") in page


def test_the_index_shows_deadlines_in_hijri_and_gregorian(manager, agency_a, open_season, today):
    from modules.core.hijri import format_hijri

    health_form(agency_a)
    page = manager.get(url("statistics:index")).content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    with translation.override("en"):
        assert format_hijri(tomorrow) in page
    assert f"{tomorrow.year}" in page
    assert ">10:00<" in page


def test_an_agency_with_no_form_sees_an_empty_state(manager, agency_b, open_season):
    make_set("other", indicators=[make_indicator("ambulances")], agencies=[agency_b])
    response = manager.get(url("statistics:index"))
    assert response.status_code == 200
    assert response.context["forms"] == []
    assert "does not report any daily form" in response.content.decode()


def test_without_an_active_season_the_index_says_so(manager, agency_a):
    make_health_form(agency_a)
    page = manager.get(url("statistics:index")).content.decode()
    assert "no active season" in page


def test_open_another_day_goes_to_its_entry_screen(manager, agency_a, agency_b, open_season):
    form = health_form(agency_a)
    other = make_set("other", indicators=[make_indicator("ambulances")], agencies=[agency_b])
    day = open_season.starts_on

    response = manager.get(url("statistics:index"), {"form": form.pk, "day": day.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == url("statistics:entry", form.pk, day)

    response = manager.get(url("statistics:index"), {"form": other.pk, "day": day.isoformat()})
    assert response.status_code == 404

    response = manager.get(url("statistics:index"), {"form": form.pk, "day": "yesterday"})
    assert response.status_code == 302 and response["Location"] == url("statistics:index")


def test_agency_staff_see_the_pages_too(client, staff_a, agency_a, open_season, today):
    form = health_form(agency_a)
    client.force_login(staff_a)
    assert client.get(url("statistics:index")).status_code == 200
    assert client.get(url("statistics:entry", form.pk, today)).status_code == 200


def test_committee_people_are_sent_to_the_admin_and_visitors_to_sign_in(
    client, committee_admin, settings
):
    response = client.get(url("statistics:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    client.force_login(committee_admin)
    response = client.get(url("statistics:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


# --- a report and its history -----------------------------------------------------------


def test_the_report_page_lists_every_change_with_who_when_and_old_and_new_values(
    manager, manager_a, staff_a, committee_admin, agency_a, open_season, today
):
    form = health_form(agency_a)
    day = ago(today, 5)
    save_day(manager_a, agency_a, form, day, {"admitted": 10}, submit=False)
    save_day(staff_a, agency_a, form, day, {"admitted": 12, "discharged": 3, "occupancy": 50})
    report = DailyReport.objects.get(agency=agency_a, day=day)
    exception_grant(
        actor=committee_admin,
        indicator_set=form,
        agency=agency_a,
        day=day,
        open_until=timezone.now() + datetime.timedelta(days=2),
        reason="The hospital's network was down",
    )
    report_return(actor=committee_admin, report=report, comment="Discharges look low")

    response = manager.get(url("statistics:report", report.pk))

    assert response.status_code == 200
    page = response.content.decode()
    [admitted] = [row for row in response.context["rows"] if row.indicator.code == "admitted"]
    assert [(c.old_value, c.new_value) for c in admitted.changes] == [
        (Decimal("10"), Decimal("12")),
        (None, Decimal("10")),
    ]
    assert [c.who for c in admitted.changes] == [staff_a, manager_a]
    assert admitted.shown == "12"
    assert "staff-a" in page and "manager-a" in page
    assert '<bdi dir="ltr" class="stat-change__old">10</bdi>' in page
    assert '<bdi dir="ltr" class="stat-change__new">12</bdi>' in page
    assert "Discharges look low" in page
    assert "The hospital&#x27;s network was down" in page
    assert "Returned for correction" in page


def test_another_agencys_report_is_a_404(manager, manager_b, agency_b, open_season, today):
    form = make_set("other", indicators=[make_indicator("ambulances")], agencies=[agency_b])
    report = save_day(manager_b, agency_b, form, today, {"ambulances": 3}, now=timezone.now())
    assert manager.get(url("statistics:report", report.report.pk)).status_code == 404
    assert manager.get(url("statistics:report", 999_999)).status_code == 404


def test_the_report_page_takes_the_same_queries_at_10_and_150_indicators(
    manager, manager_a, agency_a, open_season, today
):
    counts = {}
    for size in (10, 150):
        indicators = [make_indicator(f"r{size}-{n:03d}") for n in range(size)]
        form = make_set(f"r{size}", indicators=indicators, agencies=[agency_a])
        codes = [indicator.code for indicator in indicators]
        save_day(manager_a, agency_a, form, today, dict.fromkeys(codes, 1), submit=False)
        report = save_day(manager_a, agency_a, form, today, dict.fromkeys(codes, 2)).report
        manager.get(url("statistics:report", report.pk))
        with CaptureQueriesContext(connection) as queries:
            assert manager.get(url("statistics:report", report.pk)).status_code == 200
        counts[size] = len(queries)
    assert counts[10] == counts[150], counts


# --- the portal home card and the navigation ------------------------------------------------


def test_the_card_counts_late_and_returned_days(
    manager, manager_a, committee_admin, agency_a, open_season, today
):
    form = health_form(agency_a, grace_days=3)
    for back in (1, 4, 5, 6):
        save_day(manager_a, agency_a, form, ago(today, back), FULL_DAY)
    report_return(
        actor=committee_admin,
        report=DailyReport.objects.get(day=ago(today, 4)),
        comment="Please check",
    )

    response = manager.get(url("portal:home"))

    card = statistics_card(response)
    assert card is not None
    assert card.tone == Tone.DANGER
    # Two and three days ago (past the deadline, never submitted) and the returned day.
    assert card.value == 3
    assert "2 days' figures are late." in card.description
    assert "1 day was returned for correction." in card.description
    page = response.content.decode()
    assert card.title in page and url("statistics:index") in page


def test_the_card_says_what_is_due_today(manager, manager_a, agency_a, open_season, today):
    if timezone.localtime().time() >= datetime.time(23, 59):
        pytest.skip("the deadline of 23:59 has just passed")
    health_form(agency_a, grace_days=0, deadline_time=datetime.time(23, 59))

    card = statistics_card(manager.get(url("portal:home")))

    assert card.tone == Tone.WARNING
    assert card.value == 1  # yesterday's figures, due tonight
    assert "23:59" in card.description


def test_the_card_is_calm_when_nothing_is_due(manager, manager_a, agency_a, open_season, today):
    form = health_form(agency_a, grace_days=0, deadline_time=datetime.time(23, 59))
    yesterday = ago(today, 1)
    save_day(manager_a, agency_a, form, yesterday, FULL_DAY, now=local_noon(yesterday))

    card = statistics_card(manager.get(url("portal:home")))

    assert card.tone == Tone.SUCCESS
    assert card.value is None
    assert "Nothing is late" in card.description


def test_no_card_for_an_agency_without_forms(manager, agency_b, open_season):
    make_set("other", indicators=[make_indicator("ambulances")], agencies=[agency_b])
    assert statistics_card(manager.get(url("portal:home"))) is None


def test_the_navigation_links_to_daily_statistics(manager, agency_a, open_season, today):
    form = health_form(agency_a)
    home = manager.get(url("portal:home")).content.decode()
    assert f'href="{url("statistics:index")}"' in home
    assert "Daily statistics" in home

    index = manager.get(url("statistics:index")).content.decode()
    link = index[index.index('<nav class="portal-nav"') :].split("</nav>", 1)[0]
    assert f'is-active" href="{url("statistics:index")}" aria-current="page"' in link

    entry = manager.get(url("statistics:entry", form.pk, today)).content.decode()
    link = entry[entry.index('<nav class="portal-nav"') :].split("</nav>", 1)[0]
    assert f'is-active" href="{url("statistics:index")}" aria-current="true"' in link


def test_the_pages_work_in_arabic(manager, manager_a, agency_a, open_season, today):
    form = health_form(agency_a)
    report = save_day(manager_a, agency_a, form, today, FULL_DAY, now=timezone.now()).report
    for name, args in (
        ("statistics:index", ()),
        ("statistics:entry", (form.pk, today)),
        ("statistics:upload", (form.pk, today)),
        ("statistics:report", (report.pk,)),
    ):
        response = manager.get(url(name, *args, language="ar"))
        assert response.status_code == 200, name
        assert '<html lang="ar" dir="rtl">' in response.content.decode()
