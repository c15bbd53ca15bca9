"""The rollup (`IndicatorDayTotal`) is always what a direct aggregation of the counted figures
gives: after saves, changes, returns and approvals, with drafts never counted, with the
"latest" column following the most recent save, and with agencies saving at the same time."""

import datetime
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from modules.accounts.roles import Role
from modules.agencies.models import Season
from modules.statistics.aggregation import daily_figures
from modules.statistics.models import (
    COUNTED_STATUSES,
    Aggregation,
    IndicatorDayTotal,
    IndicatorSetItem,
    ReportStatus,
    ReportValue,
    ValueType,
)
from modules.statistics.services import (
    report_approve,
    report_return,
    report_save,
    value_set_follow_up,
)
from tests.support.fixtures import make_agency, make_user
from tests.support.statistics import make_indicator, make_set, save_day

DAY = datetime.date(2026, 5, 10)
NEXT_DAY = DAY + datetime.timedelta(days=1)


def direct_totals() -> dict:
    """{(indicator code, day): (sum, maximum, latest, agencies reporting)} computed here from
    the figures of submitted and approved reports, the latest by save time."""
    groups = defaultdict(list)
    counted = (
        ReportValue.objects.filter(report__status__in=COUNTED_STATUSES, value__isnull=False)
        .select_related("indicator")
        .order_by("updated_at", "pk")
    )
    for value in counted:
        groups[(value.indicator.code, value.day)].append(value.value)
    return {
        key: (sum(values), max(values), values[-1], len(values)) for key, values in groups.items()
    }


def rollup() -> dict:
    return {
        (row.indicator.code, row.day): (row.total, row.maximum, row.latest, row.reporting)
        for row in IndicatorDayTotal.objects.select_related("indicator")
    }


def assert_rollup_is_direct() -> None:
    assert rollup() == direct_totals()


def total_and_reporting(code: str, day=DAY) -> tuple[Decimal, int]:
    total, _maximum, _latest, reporting = rollup()[(code, day)]
    return total, reporting


def maximum(code: str, day=DAY) -> Decimal:
    return rollup()[(code, day)][1]


@pytest.fixture
def agency_c(db):
    return make_agency("agency-c")


@pytest.fixture
def manager_c(agency_c):
    return make_user("manager-c@example.org", Role.AGENCY_MANAGER, agency_c)


@pytest.fixture
def camp_form(season, agency_a, agency_b, agency_c):
    """Pilgrims served (a flow: summed), beds (a stock: latest), the peak hour's crowd
    (maximum) and a satisfaction rate (averaged; optional)."""
    indicators = [
        make_indicator("served"),
        make_indicator("beds", agency_aggregation=Aggregation.LATEST),
        make_indicator("peak", agency_aggregation=Aggregation.MAXIMUM),
        make_indicator(
            "satisfaction",
            value_type=ValueType.PERCENTAGE,
            agency_aggregation=Aggregation.AVERAGE,
        ),
    ]
    form = make_set("camps", indicators=indicators, agencies=[agency_a, agency_b, agency_c])
    IndicatorSetItem.objects.filter(indicator__code="satisfaction").update(is_required=False)
    return form


def figures(served, beds, peak, satisfaction=""):
    return {
        "served": str(served),
        "beds": str(beds),
        "peak": str(peak),
        "satisfaction": str(satisfaction),
    }


def test_the_rollup_follows_saves_returns_and_approvals_of_three_agencies(
    camp_form, agency_a, agency_b, agency_c, manager_a, manager_b, manager_c, committee_admin
):
    a = save_day(manager_a, agency_a, camp_form, DAY, figures(100, 40, 900, "٨٠")).report
    b = save_day(manager_b, agency_b, camp_form, DAY, figures(50, 20, 1200), submit=False).report
    c = save_day(manager_c, agency_c, camp_form, DAY, figures(70, 30, 600, 90)).report
    save_day(manager_a, agency_a, camp_form, NEXT_DAY, figures(110, 41, 950, 85))
    assert_rollup_is_direct()
    assert rollup()[("served", DAY)] == (Decimal(170), Decimal(100), Decimal(70), 2)

    save_day(manager_b, agency_b, camp_form, DAY, {})  # B submits its draft
    assert_rollup_is_direct()
    assert total_and_reporting("served") == (Decimal(220), 3)

    save_day(manager_a, agency_a, camp_form, DAY, {"served": "١٢٠", "satisfaction": ""})
    assert_rollup_is_direct()
    assert rollup()[("satisfaction", DAY)] == (Decimal(90), Decimal(90), Decimal(90), 1)

    report_return(actor=committee_admin, report=c, comment="Peak hour figure is wrong")
    assert_rollup_is_direct()
    assert total_and_reporting("served") == (Decimal(170), 2)
    assert maximum("peak") == Decimal(1200)

    now = timezone.now()  # the return reopened the (long locked) day
    save_day(manager_c, agency_c, camp_form, DAY, {"peak": "1500"}, submit=False, now=now)
    assert_rollup_is_direct()  # a returned report's draft change is not counted
    assert maximum("peak") == Decimal(1200)

    report_approve(actor=committee_admin, report=a)
    save_day(manager_c, agency_c, camp_form, DAY, {}, now=timezone.now())
    assert_rollup_is_direct()
    assert maximum("peak") == Decimal(1500)
    assert total_and_reporting("served") == (Decimal(240), 3)

    report_return(actor=committee_admin, report=a, comment="Approved by mistake")
    report_return(actor=committee_admin, report=b, comment="Check the beds")
    assert_rollup_is_direct()
    assert rollup()[("served", DAY)] == (Decimal(70), Decimal(70), Decimal(70), 1)
    assert ("served", NEXT_DAY) in rollup()  # other days are left alone

    report_return(actor=committee_admin, report=c, comment="Still wrong")
    assert_rollup_is_direct()
    assert {day for _code, day in rollup()} == {NEXT_DAY}


def test_drafts_are_never_counted(camp_form, agency_a, agency_b, manager_a, manager_b):
    save_day(manager_a, agency_a, camp_form, DAY, figures(100, 40, 900), submit=False)
    assert rollup() == {}

    save_day(manager_b, agency_b, camp_form, DAY, figures(50, 20, 1200))
    save_day(manager_a, agency_a, camp_form, DAY, figures(999, 99, 9999), submit=False)

    assert_rollup_is_direct()
    assert rollup()[("served", DAY)] == (Decimal(50), Decimal(50), Decimal(50), 1)
    assert maximum("peak") == Decimal(1200)


def test_the_dashboards_daily_figures_read_the_rollup_by_each_indicators_aggregation(
    camp_form, agency_a, agency_b, agency_c, manager_a, manager_b, manager_c
):
    save_day(manager_a, agency_a, camp_form, DAY, figures(100, 40, 900, 80))
    save_day(manager_b, agency_b, camp_form, DAY, figures(50, 20, 1200, 70))
    save_day(manager_c, agency_c, camp_form, DAY, figures(70, 30, 600))
    indicators = [item.indicator for item in camp_form.items.select_related("indicator")]
    by_code = {indicator.code: indicator.pk for indicator in indicators}

    from_rollup = daily_figures(indicators, DAY, DAY)
    from_values = daily_figures(
        indicators, DAY, DAY, agency_ids=[agency_a.pk, agency_b.pk, agency_c.pk]
    )

    assert from_rollup == from_values
    assert from_rollup[by_code["served"]] == {DAY: Decimal(220)}
    assert from_rollup[by_code["beds"]] == {DAY: Decimal(30)}  # C saved last
    assert from_rollup[by_code["peak"]] == {DAY: Decimal(1200)}
    assert from_rollup[by_code["satisfaction"]] == {DAY: Decimal(75)}


@pytest.fixture
def current_season(db):
    """A season around the real today: saves made at the real time (no `now` passed)."""
    today = timezone.localdate()
    return Season.objects.create(
        hijri_year=1448,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=20),
    )


def save_now(actor, agency, form, values, *, submit=True):
    return report_save(
        actor=actor,
        agency=agency,
        indicator_set=form,
        day=timezone.localdate(),
        values=values,
        submit=submit,
    ).report


def test_latest_is_the_most_recently_saved_figure(
    current_season,
    camp_form,
    agency_a,
    agency_b,
    agency_c,
    manager_a,
    manager_b,
    manager_c,
    committee_admin,
):
    today = timezone.localdate()

    def latest_beds():
        return rollup()[("beds", today)][2]

    save_now(manager_a, agency_a, camp_form, figures(100, 10, 900))
    assert latest_beds() == Decimal(10)
    b = save_now(manager_b, agency_b, camp_form, figures(50, 20, 1200))
    assert latest_beds() == Decimal(20)
    save_now(manager_a, agency_a, camp_form, {"beds": "15"})
    assert latest_beds() == Decimal(15)
    save_now(manager_c, agency_c, camp_form, figures(70, 99, 600), submit=False)
    assert latest_beds() == Decimal(15)  # a draft is not a counted figure
    c = save_now(manager_c, agency_c, camp_form, {"beds": "30"})
    assert latest_beds() == Decimal(30)
    save_now(manager_a, agency_a, camp_form, {"served": "101"})
    assert latest_beds() == Decimal(30)  # A's beds were not saved again
    assert_rollup_is_direct()

    report_return(actor=committee_admin, report=c, comment="Beds?")
    assert latest_beds() == Decimal(15)  # A changed its beds after B saved its own
    report_return(actor=committee_admin, report=b, comment="Beds?")
    assert latest_beds() == Decimal(15)
    assert_rollup_is_direct()


def test_latest_follows_the_save_order_when_the_save_time_is_given(
    camp_form, agency_a, agency_b, manager_a, manager_b
):
    noon = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(12)))
    save_day(manager_a, agency_a, camp_form, DAY, figures(100, 10, 900), now=noon)
    save_day(manager_b, agency_b, camp_form, DAY, figures(50, 20, 1200), now=noon)
    save_day(
        manager_a,
        agency_a,
        camp_form,
        DAY,
        {"beds": "15"},
        now=noon + datetime.timedelta(hours=1),
    )

    assert rollup()[("beds", DAY)][2] == Decimal(15)


def test_a_follow_up_flag_does_not_make_a_figure_the_latest(
    camp_form, agency_a, agency_b, manager_a, manager_b, committee_admin
):
    save_day(manager_a, agency_a, camp_form, DAY, figures(100, 10, 900))
    save_day(manager_b, agency_b, camp_form, DAY, figures(50, 20, 1200))
    older = ReportValue.objects.get(agency=agency_a, indicator__code="beds")

    value_set_follow_up(actor=committee_admin, value=older, follow_up=True)

    beds = older.indicator
    chosen = daily_figures([beds], DAY, DAY, agency_ids=[agency_a.pk, agency_b.pk])
    assert chosen[beds.pk] == {DAY: Decimal(20)}
    assert daily_figures([beds], DAY, DAY)[beds.pk] == {DAY: Decimal(20)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_day_leave_correct_totals(season):
    """Several agencies submit the same day at the same moment, each on its own connection,
    then all change every figure at once. Without the rollup's lock, two rewrites of one day
    would each count only their own figures or collide on the one-row-per-day constraint."""
    agencies = [make_agency(f"agency-{index}") for index in range(6)]
    users = [
        make_user(f"manager-{index}@example.org", Role.AGENCY_MANAGER, agency)
        for index, agency in enumerate(agencies)
    ]
    form = make_set(
        "crowds",
        indicators=[
            make_indicator("arrivals"),
            make_indicator("buses", agency_aggregation=Aggregation.MAXIMUM),
        ],
        agencies=agencies,
    )

    def run_all(values_of):
        start = threading.Barrier(len(agencies))
        errors = []

        def save(user, agency, values):
            try:
                start.wait()
                save_day(user, agency, form, DAY, values)
            except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=save, args=[user, agency, values_of(index)])
            for index, (user, agency) in enumerate(zip(users, agencies, strict=True))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors

    run_all(lambda index: {"arrivals": str(100 * (index + 1)), "buses": str(index + 1)})
    assert_rollup_is_direct()
    assert total_and_reporting("arrivals") == (Decimal(2100), 6)
    assert maximum("buses") == Decimal(6)

    run_all(lambda index: {"arrivals": str(1000 + index), "buses": str(10 - index)})
    assert_rollup_is_direct()
    assert total_and_reporting("arrivals") == (Decimal(6015), 6)
    assert maximum("buses") == Decimal(10)
    assert ReportValue.objects.filter(report__status=ReportStatus.SUBMITTED).count() == 12


def test_an_empty_agency_filter_selects_no_figures(camp_form, agency_a, manager_a):
    save_day(manager_a, agency_a, camp_form, DAY, figures(100, 40, 900))
    served = camp_form.items.get(indicator__code="served").indicator

    assert daily_figures([served], DAY, DAY, agency_ids=[]) == {}
