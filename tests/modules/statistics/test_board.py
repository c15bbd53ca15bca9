"""The completeness board (who submitted a day on time, late, only a draft, or nothing) and the
exception a committee administrator grants from a locked cell."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from modules.accounts.roles import Role
from modules.statistics import periods
from modules.statistics.models import EntryException, ReportStatus
from modules.statistics.services import EntryClosed, report_save
from tests.support.fixtures import make_agency, make_user
from tests.support.statistics import make_indicator, make_set, reporter, save_day

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 10)
BOARD = "/admin/statistics/board/"


@pytest.fixture
def beds(db):
    return make_indicator("beds")


def _board(client, day=DAY):
    response = client.get(BOARD, {"day": day.isoformat()})
    assert response.status_code == 200
    return response


def _names(cells) -> set[str]:
    return {cell.agency.code for cell in cells}


def _grant_url(indicator_set, agency, day=DAY) -> str:
    return reverse(
        "statistics_exception_grant", args=[indicator_set.pk, agency.pk, day.isoformat()]
    )


def test_the_board_sorts_agencies_by_how_they_reported(admin_client, season, beds):
    on_time, late, drafting, silent = (make_agency(code) for code in ("a1", "a2", "a3", "a4"))
    form = make_set(indicators=[beds], agencies=[on_time, late, drafting, silent])
    after_deadline = periods.deadline(form, DAY) + datetime.timedelta(hours=2)
    save_day(None, on_time, form, DAY, {"beds": "5"})
    save_day(None, late, form, DAY, {"beds": "7"}, now=after_deadline)
    save_day(None, drafting, form, DAY, {"beds": "1"}, submit=False)
    other_day = save_day(None, silent, form, DAY - datetime.timedelta(days=1), {"beds": "2"})
    assert other_day.report.day != DAY

    response = _board(admin_client)
    [row] = response.context["rows"]
    assert _names(row.on_time) == {"a1"}
    assert _names(row.late) == {"a2"}
    assert _names(row.in_progress) == {"a3"}
    assert _names(row.missing) == {"a4"}
    assert (row.expected, row.on_time_rate, row.completeness_rate) == (4, 25, 50)
    # The season is over: what was not submitted is locked and can be reopened; a submitted
    # report locking is its normal end, so it is not flagged.
    assert all(cell.locked for cell in row.in_progress + row.missing)
    assert not any(cell.locked for cell in row.on_time + row.late)
    text = response.content.decode()
    assert _grant_url(form, silent) in text
    assert reverse("statistics_reports:inspect", args=[row.on_time[0].report.pk]) in text


def test_the_board_shows_the_day_in_hijri_and_gregorian_with_its_neighbours(admin_client):
    text = _board(admin_client).content.decode()
    assert "Dhu al-Qadah 1447" in text and "May 10, 2026" in text
    assert f"{BOARD}?day=2026-05-09" in text
    assert f"{BOARD}?day=2026-05-11" in text


def test_without_a_day_the_board_shows_yesterday(admin_client):
    response = admin_client.get(BOARD, {"day": "not-a-date"})
    assert response.context["day"] == timezone.localdate() - datetime.timedelta(days=1)


def test_an_inactive_form_or_agency_is_left_off(admin_client, season, beds):
    gone = make_agency("gone")
    gone.is_active = False
    gone.save()
    active = make_agency("here")
    make_set(indicators=[beds], agencies=[active, gone])
    retired = make_set("retired", indicators=[beds], agencies=[active])
    retired.is_active = False
    retired.save()

    [row] = _board(admin_client).context["rows"]
    assert _names(row.missing) == {"here"}


def test_the_board_takes_the_same_queries_for_5_or_30_agencies(admin_client, season, beds):
    cots = make_indicator("cots")

    def queries(count: int, offset: int) -> int:
        agencies = [make_agency(f"agency-{offset + n}") for n in range(count)]
        form = make_set(f"form-{offset}", indicators=[beds], agencies=agencies)
        make_set(f"other-{offset}", indicators=[cots], agencies=agencies[: count // 2])
        for agency in agencies[: count // 2]:
            save_day(None, agency, form, DAY, {"beds": "3"})
        with CaptureQueriesContext(connection) as captured:
            _board(admin_client)
        return len(captured)

    queries(2, 1000)  # the first request also fills per-process caches
    assert queries(5, 0) == queries(30, 100)


# --- Exceptions ---------------------------------------------------------------------------


def test_an_exception_reopens_a_locked_day_for_the_agency(admin_client, season, beds, agency_a):
    form = make_set(indicators=[beds], agencies=[agency_a])
    with pytest.raises(EntryClosed):
        save_day(None, agency_a, form, DAY, {"beds": 4}, now=timezone.now())

    url = _grant_url(form, agency_a)
    assert admin_client.get(url).status_code == 200
    until = timezone.localtime() + datetime.timedelta(days=2)
    response = admin_client.post(
        url, {"open_until": until.strftime("%Y-%m-%d %H:%M"), "reason": "انقطاع الشبكة"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}?day={DAY.isoformat()}"
    exception = EntryException.objects.get()
    assert (exception.agency, exception.reason) == (agency_a, "انقطاع الشبكة")
    [row] = _board(admin_client).context["rows"]
    [cell] = row.missing
    assert cell.open_until is not None and not cell.locked, "reopened, still nothing entered"

    result = report_save(
        actor=reporter(agency_a),
        agency=agency_a,
        indicator_set=form,
        day=DAY,
        values={"beds": 4},
        submit=True,
    )
    assert result.report.status == ReportStatus.SUBMITTED
    assert result.report.is_late

    [row] = _board(admin_client).context["rows"]
    assert _names(row.late) == {agency_a.code}
    assert row.late[0].open_until is not None and not row.late[0].locked


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"open_until": "2026-01-01 10:00"}, "open_until"),
        ({"open_until": "tomorrow"}, "open_until"),
    ],
)
def test_an_exception_needs_a_reason_and_a_future_end(
    admin_client, season, beds, agency_a, data, field
):
    form = make_set(indicators=[beds], agencies=[agency_a])
    until = timezone.localtime() + datetime.timedelta(days=1)
    response = admin_client.post(
        _grant_url(form, agency_a),
        {"open_until": until.strftime("%Y-%m-%d %H:%M"), "reason": "سبب", **data},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not EntryException.objects.exists()


def test_an_exception_for_an_agency_off_the_form_is_refused(admin_client, season, beds, agency_a):
    form = make_set(indicators=[beds], agencies=[agency_a])
    stranger = make_agency("stranger")
    until = timezone.localtime() + datetime.timedelta(days=1)
    response = admin_client.post(
        _grant_url(form, stranger),
        {"open_until": until.strftime("%Y-%m-%d %H:%M"), "reason": "سبب"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not EntryException.objects.exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OPERATOR, Role.EDITOR])
def test_only_a_committee_administrator_grants_exceptions(
    client, settings, season, beds, agency_a, role
):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    form = make_set(indicators=[beds], agencies=[agency_a])
    client.force_login(make_user(f"{role.value}@example.org", role))
    url = _grant_url(form, agency_a)
    until = timezone.localtime() + datetime.timedelta(days=1)

    for response in (
        client.get(url),
        client.post(url, {"open_until": until.strftime("%Y-%m-%d %H:%M"), "reason": "سبب"}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        levels = [message.level_tag for message in get_messages(response.wsgi_request)]
        assert "error" in levels, "the admin says why it turned the person away"
    assert not EntryException.objects.exists()
    if role != Role.EDITOR:
        text = _board(client).content.decode()
        assert url not in text, "the board offers no exception to people who cannot grant one"


def test_agency_people_never_reach_the_board(client, manager_a):
    client.force_login(manager_a)
    assert client.get(BOARD).status_code == 403
