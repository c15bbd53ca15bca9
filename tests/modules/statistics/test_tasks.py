"""The reminder schedule: before the deadline a reminder, after it a notice, each once."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from modules.accounts.roles import Role
from modules.accounts.services import user_update_profile
from modules.notifications.models import Message, MessageStatus
from modules.statistics import periods
from modules.statistics.models import ReminderKind, ReminderSent
from modules.statistics.services import report_return
from modules.statistics.tasks import send_reminders
from tests.support.fixtures import make_agency, make_user
from tests.support.statistics import make_indicator, make_set, save_day

# The season's first day: the day before it is in no season, so it has no notice due.
DAY = datetime.date(2026, 5, 1)
HOUR = datetime.timedelta(hours=1)
DRAFT_SAVED = "A draft is saved but has not been submitted: check it and submit it."
RETURNED = (
    "The committee returned this day's report for correction: correct it and submit it again."
)


def with_profile(user, *, phone="", language="ar"):
    return user_update_profile(
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=phone,
        preferred_language=language,
    )


@pytest.fixture
def admissions(db):
    return make_indicator("admissions")


@pytest.fixture
def form(season, agency_a, agency_b, admissions):
    return make_set(indicators=[admissions], agencies=[agency_a, agency_b])


def before_deadline(form, day=DAY, hours=2):
    return periods.deadline(form, day) - hours * HOUR


def steps() -> set[tuple]:
    return set(ReminderSent.objects.values_list("agency__code", "day", "kind"))


def test_reminder_goes_out_once_when_the_pass_runs_twice(form, manager_a, manager_b):
    now = before_deadline(form)

    assert send_reminders(now=now) == 2
    assert send_reminders(now=now) == 0
    assert send_reminders(now=now + 30 * datetime.timedelta(minutes=1)) == 0

    assert steps() == {
        ("agency-a", DAY, ReminderKind.BEFORE_DEADLINE),
        ("agency-b", DAY, ReminderKind.BEFORE_DEADLINE),
    }
    messages = list(Message.objects.order_by("recipient"))
    assert [(m.recipient, m.template) for m in messages] == [
        ("manager-a@example.org", "statistics/reminder"),
        ("manager-b@example.org", "statistics/reminder"),
    ]


def test_agencies_that_submitted_get_no_reminder(form, admissions, manager_a, manager_b, staff_a):
    save_day(manager_a, form.agencies.get(code="agency-a"), form, DAY, {"admissions": "12"})

    assert send_reminders(now=before_deadline(form)) == 1

    assert steps() == {("agency-b", DAY, ReminderKind.BEFORE_DEADLINE)}
    assert list(Message.objects.values_list("recipient", flat=True)) == ["manager-b@example.org"]


def test_a_draft_or_a_returned_report_still_gets_a_reminder(
    form, agency_a, agency_b, manager_a, manager_b, committee_admin
):
    save_day(manager_a, agency_a, form, DAY, {"admissions": "12"}, submit=False)
    submitted = save_day(manager_b, agency_b, form, DAY, {"admissions": "7"}).report
    report_return(actor=committee_admin, report=submitted, comment="Check the admissions")
    Message.objects.all().delete()

    assert send_reminders(now=before_deadline(form)) == 2

    bodies = dict(Message.objects.values_list("recipient", "body_text"))
    with translation.override("ar"):
        assert gettext(DRAFT_SAVED) in bodies["manager-a@example.org"]
        assert gettext(RETURNED) in bodies["manager-b@example.org"]


def test_nothing_is_due_outside_the_reminder_window(form, manager_a, settings):
    settings.STATISTICS_REMINDER_HOURS = 3

    assert send_reminders(now=before_deadline(form, hours=4)) == 0
    assert send_reminders(now=before_deadline(form, hours=2)) == 1  # agency-b has nobody
    assert steps() == {("agency-a", DAY, ReminderKind.BEFORE_DEADLINE)}


def test_a_notice_follows_the_deadline_until_the_day_locks(form, manager_a, admissions):
    deadline = periods.deadline(form, DAY)

    assert send_reminders(now=deadline + HOUR) == 1
    assert send_reminders(now=deadline + 2 * HOUR) == 0

    assert steps() == {("agency-a", DAY, ReminderKind.AFTER_DEADLINE)}
    [notice] = Message.objects.all()
    assert notice.template == "statistics/notice"

    # The next day's deadline comes round: a reminder for it, no second notice for DAY.
    next_day = DAY + datetime.timedelta(days=1)
    assert send_reminders(now=before_deadline(form, next_day)) == 1
    assert steps() == {
        ("agency-a", DAY, ReminderKind.AFTER_DEADLINE),
        ("agency-a", next_day, ReminderKind.BEFORE_DEADLINE),
    }
    # Once the grace period is over the day is left alone.
    ReminderSent.objects.all().delete()
    assert send_reminders(now=periods.locks_at(form, DAY) + HOUR) == 1
    assert set(ReminderSent.objects.values_list("day", flat=True)) == {next_day}


def test_a_late_submission_stops_the_notice(form, agency_a, manager_a):
    deadline = periods.deadline(form, DAY)
    save_day(manager_a, agency_a, form, DAY, {"admissions": "3"}, now=deadline + HOUR)

    assert send_reminders(now=deadline + 2 * HOUR) == 0
    assert not Message.objects.exists()


def test_days_outside_every_season_and_inactive_forms_are_skipped(form, manager_a, season):
    after_season = season.ends_on + datetime.timedelta(days=5)
    assert send_reminders(now=before_deadline(form, after_season)) == 0

    form.is_active = False
    form.save()
    assert send_reminders(now=before_deadline(form)) == 0
    assert not ReminderSent.objects.exists()


def test_reading_what_is_due_takes_the_same_queries_for_2_and_8_agencies(season, admissions):
    def queries_for(count: int) -> int:
        agencies = [make_agency(f"q{count}-{n}") for n in range(count)]
        form = make_set(f"form-{count}", indicators=[admissions], agencies=agencies)
        for agency in agencies:
            manager = make_user(f"m-{agency.code}@example.org", Role.AGENCY_MANAGER, agency)
            save_day(manager, agency, form, DAY, {"admissions": "5"})
        with CaptureQueriesContext(connection) as captured:
            assert send_reminders(now=before_deadline(form)) == 0
        form.is_active = False
        form.save()
        return len(captured)

    assert queries_for(2) == queries_for(8)


@pytest.mark.django_db(transaction=True)
def test_reminders_reach_the_smtp_server_in_arabic_right_to_left(
    smtp_server, sms_gateway, season, agency_a, agency_b, admissions
):
    form = make_set(indicators=[admissions], agencies=[agency_a, agency_b])
    with_profile(make_user("hala@example.org", Role.AGENCY_MANAGER, agency_a), phone="0501234567")
    with_profile(make_user("john@example.org", Role.AGENCY_STAFF, agency_a), language="en")

    assert send_reminders(now=before_deadline(form)) == 1

    mails = {mail["To"]: mail for mail in smtp_server.messages}
    assert set(mails) == {"hala@example.org", "john@example.org"}
    arabic_html = mails["hala@example.org"].get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in arabic_html
    assert form.name_ar in arabic_html
    assert f"/ar/portal/statistics/{form.pk}/2026-05-01/" in arabic_html
    english = mails["john@example.org"]
    assert english["Subject"].strip().startswith("Reminder: the figures of “Form daily-health”")
    assert "by 10:00" in english["Subject"]
    english_text = english.get_body(("plain",)).get_content()
    assert "Agency agency-a" in english_text
    assert "Nothing has been entered for this day yet." in english_text
    assert f"/en/portal/statistics/{form.pk}/2026-05-01/" in english_text
    assert '<html lang="en" dir="ltr">' in english.get_body(("html",)).get_content()

    [sms] = sms_gateway.requests
    assert sms.json["to"] == "+966501234567"
    assert form.name_ar in sms.json["text"]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}

    assert send_reminders(now=before_deadline(form)) == 0
    assert len(smtp_server.messages) == 2
    assert len(sms_gateway.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_a_returned_report_is_mailed_to_the_agency(
    smtp_server, season, agency_a, admissions, committee_admin
):
    form = make_set(indicators=[admissions], agencies=[agency_a])
    manager = with_profile(
        make_user("hala@example.org", Role.AGENCY_MANAGER, agency_a), language="en"
    )
    report = save_day(manager, agency_a, form, DAY, {"admissions": "9"}).report

    report_return(actor=committee_admin, report=report, comment="Admissions look doubled.")

    [mail] = smtp_server.messages
    assert mail["Subject"].strip().startswith("Returned for correction: “Form daily-health”")
    text = mail.get_body(("plain",)).get_content()
    assert "Admissions look doubled." in text
    assert "submit them again by" in text
    assert f"/en/portal/statistics/{form.pk}/2026-05-01/" in text
    assert 'dir="ltr"' in mail.get_body(("html",)).get_content()


def _pass_in_thread(now, results, index, *, start=None):
    try:
        if start is not None:
            start.wait(timeout=10)
        results[index] = send_reminders(now=now)
    finally:
        connection.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no real concurrency"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_passes_send_each_reminder_once(season, agency_a, agency_b, admissions):
    form = make_set(indicators=[admissions], agencies=[agency_a, agency_b])
    make_user("manager-a@example.org", Role.AGENCY_MANAGER, agency_a)
    make_user("manager-b@example.org", Role.AGENCY_MANAGER, agency_b)
    now = before_deadline(form)

    # One pass has recorded its steps but not committed; the other read before that commit,
    # so it tries the same steps and must wait on the unique row, then skip them.
    results = {}
    with transaction.atomic():
        results["first"] = send_reminders(now=now)
        second = threading.Thread(target=_pass_in_thread, args=(now, results, "second"))
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second pass should be waiting on the first one's rows"
    second.join(timeout=10)
    assert results == {"first": 2, "second": 0}

    # And two passes started together on the next day: its reminders and DAY's notices.
    next_day = DAY + datetime.timedelta(days=1)
    start = threading.Barrier(2)
    threads = [
        threading.Thread(
            target=_pass_in_thread,
            args=(before_deadline(form, next_day), results, n),
            kwargs={"start": start},
        )
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results[0] + results[1] == 4

    assert ReminderSent.objects.count() == 6
    recipients = list(Message.objects.values_list("recipient", flat=True))
    assert sorted(recipients) == ["manager-a@example.org"] * 3 + ["manager-b@example.org"] * 3
