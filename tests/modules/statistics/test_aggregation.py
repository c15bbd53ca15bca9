"""How figures add up, on a small known data set: three agencies, three days.

Every figure is checked twice: from the rollup (no agency filter) and from the reported
values (an agency filter), which must agree when the filter names every agency. A report
returned to its agency drops out of both.

    day 1 (all three)   day 2 (C missing)   day 3 (all three)
    A  B  C             A  B                A  B  C
"""

import datetime
from decimal import Decimal

import pytest

from modules.statistics.aggregation import daily_figures, over_period, per_agency
from modules.statistics.models import Aggregation, ValueType
from modules.statistics.services import report_return
from tests.support.fixtures import make_agency
from tests.support.statistics import local_noon, make_indicator, make_set, save_day

DAY_1, DAY_2, DAY_3 = (datetime.date(2026, 5, 10) + datetime.timedelta(days=n) for n in range(3))
DAYS = (DAY_1, DAY_2, DAY_3)

# code: (over days, over agencies, {agency: (day 1, day 2, day 3)}); None = not reported.
FIGURES = {
    "admissions": ("sum", "sum", {"a": (10, 11, 12), "b": (20, 21, 22), "c": (30, None, 32)}),
    "beds": ("latest", "sum", {"a": (100, 110, 120), "b": (200, 210, 220), "c": (300, None, 320)}),
    "occupancy": (
        "average",
        "average",
        {"a": (50, 60, 40), "b": (70, 80, 50), "c": (90, None, 60)},
    ),
    "peak": ("maximum", "maximum", {"a": (7, 8, 5), "b": (9, 12, 6), "c": (4, None, 3)}),
    "on-duty": ("sum", "latest", {"a": (1, 4, 6), "b": (2, 5, 7), "c": (3, None, 8)}),
}

# {code: ({day: figure}, over the period)} for all agencies, and for agencies A and C.
ALL = {
    "admissions": ({DAY_1: 60, DAY_2: 32, DAY_3: 66}, 158),
    "beds": ({DAY_1: 600, DAY_2: 320, DAY_3: 660}, 660),
    "occupancy": ({DAY_1: 70, DAY_2: 70, DAY_3: 50}, Decimal(190) / 3),
    "peak": ({DAY_1: 9, DAY_2: 12, DAY_3: 6}, 12),
    # the agency that saved last: C, B (C sent nothing), C
    "on-duty": ({DAY_1: 3, DAY_2: 5, DAY_3: 8}, 16),
}
A_AND_C = {
    "admissions": ({DAY_1: 40, DAY_2: 11, DAY_3: 44}, 95),
    "beds": ({DAY_1: 400, DAY_2: 110, DAY_3: 440}, 440),
    "occupancy": ({DAY_1: 70, DAY_2: 60, DAY_3: 50}, 60),
    "peak": ({DAY_1: 7, DAY_2: 8, DAY_3: 5}, 8),
    "on-duty": ({DAY_1: 3, DAY_2: 4, DAY_3: 8}, 15),
}


def save_known(agency_a, agency_b) -> dict:
    """The data set above, saved through the service by each agency's own people: A, B then
    C each day."""
    agencies = {"a": agency_a, "b": agency_b, "c": make_agency("agency-c")}
    indicators = {
        code: make_indicator(
            code,
            value_type=ValueType.PERCENTAGE if code == "occupancy" else ValueType.INTEGER,
            day_aggregation=over_days,
            agency_aggregation=over_agencies,
            change_tolerance=1000,
        )
        for code, (over_days, over_agencies, _values) in FIGURES.items()
    }
    indicator_set = make_set(indicators=list(indicators.values()), agencies=agencies.values())
    reports = {}
    for index, day in enumerate(DAYS):
        for key, agency in agencies.items():
            values = {code: by_agency[key][index] for code, (*_m, by_agency) in FIGURES.items()}
            if None in values.values():
                continue
            reports[key, day] = save_day(None, agency, indicator_set, day, values).report
    return {
        "agencies": agencies,
        "indicators": indicators,
        "set": indicator_set,
        "reports": reports,
    }


@pytest.fixture
def known(season, agency_a, agency_b):
    return save_known(agency_a, agency_b)


def _figures(known, agency_keys=None):
    agency_ids = None
    if agency_keys is not None:
        agency_ids = [known["agencies"][key].pk for key in agency_keys]
    indicators = list(known["indicators"].values())
    figures = daily_figures(indicators, DAY_1, DAY_3, agency_ids)
    return {
        indicator.code: (
            figures.get(indicator.pk, {}),
            over_period(indicator, figures.get(indicator.pk, {})),
        )
        for indicator in indicators
    }


def _assert_figures(actual, expected):
    for code, (by_day, period) in expected.items():
        assert actual[code][0] == pytest.approx(
            {day: float(Decimal(value)) for day, value in by_day.items()}
        ), code
        assert actual[code][1] == pytest.approx(float(Decimal(period))), code


def test_the_rollup_adds_up_over_agencies_then_over_days(known):
    _assert_figures(_figures(known), ALL)


def test_the_reported_values_give_the_same_figures_for_every_agency(known):
    _assert_figures(_figures(known, ["a", "b", "c"]), ALL)


def test_an_agency_filter_counts_only_those_agencies(known):
    _assert_figures(_figures(known, ["a", "c"]), A_AND_C)


def test_the_methods_are_what_each_indicator_says(known):
    methods = {
        code: (indicator.day_aggregation, indicator.agency_aggregation)
        for code, indicator in known["indicators"].items()
    }
    assert methods["beds"] == (Aggregation.LATEST, Aggregation.SUM)
    assert methods["occupancy"] == (Aggregation.AVERAGE, Aggregation.AVERAGE)


def test_a_returned_report_drops_out_of_both_paths(known, committee_admin):
    report_return(actor=committee_admin, report=known["reports"]["c", DAY_3], comment="Check it")
    rollup = _figures(known)
    assert rollup["admissions"][0][DAY_3] == 34
    assert rollup["admissions"][1] == 126
    assert rollup["peak"][0][DAY_3] == 6
    assert rollup["occupancy"][0][DAY_3] == 45
    # B saved after A on day 3, and C's figure is no longer counted.
    assert rollup["on-duty"][0][DAY_3] == 7
    filtered = _figures(known, ["a", "c"])
    assert filtered["admissions"][0] == {DAY_1: 40, DAY_2: 11, DAY_3: 12}
    assert filtered["beds"][1] == 120


def test_a_draft_does_not_count(known):
    agency_c, indicator_set = known["agencies"]["c"], known["set"]
    save_day(
        None,
        agency_c,
        indicator_set,
        DAY_2,
        {"admissions": 300},
        submit=False,
        now=local_noon(DAY_2),
    )
    assert _figures(known)["admissions"][0][DAY_2] == 32  # not 332
    assert _figures(known, ["c"])["admissions"][0].get(DAY_2) is None


def test_per_agency_lists_each_agencys_days(known):
    admissions = known["indicators"]["admissions"]
    agencies = known["agencies"]
    by_agency = per_agency(admissions, DAY_1, DAY_3)
    assert by_agency[agencies["c"].pk] == {DAY_1: 30, DAY_3: 32}
    assert by_agency[agencies["b"].pk] == {DAY_1: 20, DAY_2: 21, DAY_3: 22}
    assert set(per_agency(admissions, DAY_1, DAY_3, [agencies["a"].pk])) == {agencies["a"].pk}
