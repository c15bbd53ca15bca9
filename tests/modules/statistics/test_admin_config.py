"""Configuring daily statistics in the Wagtail admin: categories, indicators and daily forms
(with their inline indicators and rules), posted through the admin's own views."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.accounts.roles import Role
from modules.agencies.models import Season
from modules.statistics.models import (
    Indicator,
    IndicatorCategory,
    IndicatorSet,
    ValidationRule,
    ValueType,
)
from tests.support.fixtures import make_agency, make_user
from tests.support.statistics import make_category, make_indicator, make_set, save_day

pytestmark = pytest.mark.django_db

CATEGORIES = "/admin/statistics/categories/"
INDICATORS = "/admin/statistics/indicators/"
FORMS = "/admin/statistics/forms/"


@pytest.fixture
def committee_client(client, settings):
    """Signs a committee person of a given role in to the admin (their second factor is not
    what these tests are about)."""
    settings.MFA_REQUIRED_FOR_COMMITTEE = False

    def sign_in(role: Role):
        client.force_login(make_user(f"{role.value}@example.org", role))
        return client

    return sign_in


def _indicator_data(code="admissions", **overrides):
    return {
        "name_ar": "حالات التنويم",
        "name_en": "Admissions",
        "code": code,
        "category": make_category().pk,
        "description_ar": "",
        "description_en": "",
        "value_type": ValueType.INTEGER,
        "unit_ar": "حالة",
        "unit_en": "cases",
        "minimum": "0",
        "maximum": "",
        "change_tolerance": "50",
        "day_aggregation": "sum",
        "agency_aggregation": "sum",
        "is_active": "on",
        **overrides,
    }


def _rows(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    """An inline formset as the admin's page posts it."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        data[f"{prefix}-{index}-DELETE"] = ""
        data[f"{prefix}-{index}-id"] = ""
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def _item(indicator, *, section=("", ""), required=True):
    row = {"indicator": indicator.pk, "section_ar": section[0], "section_en": section[1]}
    if required:
        row["is_required"] = "on"
    return row


def _rule(left, comparison="lte", right=None, *, constant="", factor="1"):
    return {
        "left": left.pk,
        "comparison": comparison,
        "right": right.pk if right else "",
        "factor": factor,
        "constant": constant,
        "severity": "blocking",
        "message_ar": "الخروج لا يتجاوز التنويم",
        "message_en": "Discharges cannot exceed admissions",
    }


def _set_data(*, items, rules=(), agencies=(), code="hospitals", initial_items=0, **overrides):
    return {
        "name_ar": "المستشفيات",
        "name_en": "Hospitals",
        "code": code,
        "is_active": "on",
        "deadline_time": "10:00",
        "grace_days": "2",
        "agencies": [agency.pk for agency in agencies],
        **_rows("items", list(items), initial=initial_items),
        **_rows("rules", list(rules)),
        **overrides,
    }


def _row_errors(response, formset: str) -> list[dict]:
    return [dict(form.errors) for form in response.context["form"].formsets[formset].forms]


# --- The menu -----------------------------------------------------------------------------


def test_the_statistics_menu_holds_the_committee_pages(admin_client):
    text = admin_client.get("/admin/").content.decode()
    for url in (
        "/admin/statistics/board/",
        "/admin/statistics/reports/",
        INDICATORS,
        CATEGORIES,
        FORMS,
    ):
        assert url in text
        assert admin_client.get(url).status_code == 200


def test_an_editor_sees_no_statistics_menu_and_is_refused_its_pages(committee_client):
    client = committee_client(Role.EDITOR)
    text = client.get("/admin/").content.decode()
    assert "/admin/statistics/" not in text
    # The admin sends the person back to its home page with a message.
    for url in (INDICATORS, FORMS, "/admin/statistics/board/", "/admin/statistics/reports/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_an_operator_may_look_at_the_configuration_but_not_change_it(committee_client):
    indicator = make_indicator("beds")
    client = committee_client(Role.OPERATOR)
    text = client.get("/admin/").content.decode()
    assert INDICATORS in text and "/admin/statistics/board/" in text
    assert client.get(INDICATORS).status_code == 200
    assert client.get(f"{INDICATORS}inspect/{indicator.pk}/").status_code == 200
    for url in (f"{INDICATORS}new/", f"{INDICATORS}edit/{indicator.pk}/"):
        assert client.get(url).status_code == 302
    assert client.post(f"{INDICATORS}new/", _indicator_data("other")).status_code == 302
    assert not Indicator.objects.filter(code="other").exists()


# --- Categories and indicators ------------------------------------------------------------


def test_a_category_and_an_indicator_are_created_in_the_admin(admin_client):
    response = admin_client.post(
        f"{CATEGORIES}new/",
        {"name_ar": "النقل", "name_en": "Transport", "code": "transport", "sort_order": "2"},
    )
    assert response.status_code == 302
    transport = IndicatorCategory.objects.get(code="transport")

    response = admin_client.post(
        f"{INDICATORS}new/", _indicator_data("buses", category=transport.pk, is_public="on")
    )
    assert response.status_code == 302
    buses = Indicator.objects.get(code="buses")
    assert (buses.category, buses.is_public, buses.unit_en) == (transport, True, "cases")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"minimum": "10", "maximum": "5"}, "maximum"),
        ({"value_type": ValueType.PERCENTAGE, "maximum": "150"}, "maximum"),
        ({"code": "not a slug"}, "code"),
        ({"name_ar": "<script>alert(1)</script>"}, "name_ar"),
    ],
)
def test_an_indicator_with_bad_limits_or_text_is_refused(admin_client, overrides, field):
    response = admin_client.post(f"{INDICATORS}new/", {**_indicator_data("bad"), **overrides})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_the_indicator_listing_filters_and_searches(admin_client):
    health = make_category()
    transport = make_category("transport", name_ar="النقل", name_en="Transport")
    beds = make_indicator("beds", category=health, is_public=True)
    buses = make_indicator("buses", category=transport, name_en="Buses running")
    old = make_indicator("old-count", category=health, is_active=False)

    def listed(**query):
        response = admin_client.get(INDICATORS, query)
        assert response.status_code == 200
        return {indicator.pk for indicator in response.context["object_list"]}

    assert listed() == {beds.pk, buses.pk, old.pk}
    assert listed(category=transport.pk) == {buses.pk}
    assert listed(is_public="true") == {beds.pk}
    assert listed(is_active="false") == {old.pk}
    assert listed(q="running") == {buses.pk}
    assert listed(q="beds") == {beds.pk}


def test_an_indicator_or_category_in_use_is_kept_with_a_message(admin_client, agency_a):
    beds = make_indicator("beds")
    make_set(indicators=[beds], agencies=[agency_a])

    response = admin_client.post(f"{INDICATORS}delete/{beds.pk}/")
    assert response.status_code == 302
    assert Indicator.objects.filter(pk=beds.pk).exists()
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "cannot be deleted" in text

    response = admin_client.post(f"{CATEGORIES}delete/{beds.category_id}/")
    assert response.status_code == 302
    assert IndicatorCategory.objects.filter(pk=beds.category_id).exists()

    unused = make_indicator("unused")
    assert admin_client.post(f"{INDICATORS}delete/{unused.pk}/").status_code == 302
    assert not Indicator.objects.filter(pk=unused.pk).exists()


# --- Daily forms --------------------------------------------------------------------------


def test_a_daily_form_is_created_with_sections_agencies_and_rules(admin_client, agency_a):
    agency_b = make_agency("agency-b")
    admitted = make_indicator("admitted")
    discharged = make_indicator("discharged")
    beds = make_indicator("beds", value_type=ValueType.DECIMAL)

    response = admin_client.get(f"{FORMS}new/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Indicator admitted (admitted)" in text, "indicators are labelled with their code"

    response = admin_client.post(
        f"{FORMS}new/",
        _set_data(
            agencies=[agency_a, agency_b],
            items=[
                _item(admitted, section=("الحركة", "Movement")),
                _item(discharged),
                _item(beds, section=("السعة", "Capacity"), required=False),
            ],
            rules=[_rule(discharged, "lte", admitted), _rule(beds, "gte", constant="0")],
        ),
    )
    assert response.status_code == 302, _row_errors(response, "items")

    form = IndicatorSet.objects.get(code="hospitals")
    assert (form.deadline_time, form.grace_days) == (datetime.time(10, 0), 2)
    assert set(form.agencies.all()) == {agency_a, agency_b}
    items = list(form.items.order_by("sort_order"))
    assert [item.indicator for item in items] == [admitted, discharged, beds]
    assert [item.section_en for item in items] == ["Movement", "", "Capacity"]
    assert [item.is_required for item in items] == [True, True, False]
    rules = {(rule.left, rule.right, rule.constant) for rule in form.rules.all()}
    assert rules == {(discharged, admitted, None), (beds, None, 0)}

    # The form works for the agency straight away: the rule refuses discharges > admissions.
    from modules.statistics.services import EntryRejected

    day = datetime.date(2026, 5, 10)
    Season.objects.create(
        hijri_year=1447, starts_on=day, ends_on=day + datetime.timedelta(days=30), is_active=True
    )
    with pytest.raises(EntryRejected):
        save_day(None, agency_a, form, day, {"admitted": "3", "discharged": "5", "beds": "1"})


def test_an_indicator_appears_once_per_form(admin_client, agency_a):
    admitted = make_indicator("admitted")
    response = admin_client.post(
        f"{FORMS}new/", _set_data(items=[_item(admitted), _item(admitted)], agencies=[agency_a])
    )
    assert response.status_code == 200
    errors = _row_errors(response, "items")
    assert not errors[0]
    assert "already on this form" in " ".join(errors[1]["indicator"])
    assert not IndicatorSet.objects.exists()


def test_a_rule_may_only_compare_indicators_on_the_form(admin_client, agency_a):
    admitted = make_indicator("admitted")
    elsewhere = make_indicator("elsewhere")
    response = admin_client.post(
        f"{FORMS}new/",
        _set_data(items=[_item(admitted)], rules=[_rule(admitted, "lte", elsewhere)]),
    )
    assert response.status_code == 200
    errors = _row_errors(response, "rules")
    assert "not on this form" in " ".join(errors[0]["right"])
    assert "left" not in errors[0]
    assert not IndicatorSet.objects.exists()


@pytest.mark.parametrize("both", [True, False], ids=["both", "neither"])
def test_a_rule_compares_with_an_indicator_or_a_number(admin_client, both):
    admitted = make_indicator("admitted")
    discharged = make_indicator("discharged")
    rule = _rule(discharged, "lte", admitted if both else None, constant="5" if both else "")
    response = admin_client.post(
        f"{FORMS}new/", _set_data(items=[_item(admitted), _item(discharged)], rules=[rule])
    )
    assert response.status_code == 200
    assert "قارن إما بمؤشر آخر أو برقم" in " ".join(
        str(error)
        for error in response.context["form"].formsets["rules"].forms[0].non_field_errors()
    )
    assert not ValidationRule.objects.exists()


def test_a_daily_form_needs_an_indicator(admin_client):
    response = admin_client.post(f"{FORMS}new/", _set_data(items=[]))
    assert response.status_code == 200
    assert response.context["form"].formsets["items"].non_form_errors()
    assert not IndicatorSet.objects.exists()


def test_editing_a_form_removes_an_item_and_its_rule_moves_on(admin_client, agency_a):
    admitted = make_indicator("admitted")
    discharged = make_indicator("discharged")
    beds = make_indicator("beds")
    form = make_set(indicators=[admitted, discharged, beds], agencies=[agency_a])
    items = list(form.items.order_by("sort_order"))

    data = _set_data(
        code=form.code,
        agencies=[agency_a],
        items=[_item(admitted), _item(discharged), _item(beds)],
        initial_items=3,
        rules=[_rule(beds, "lte", admitted)],
    )
    for index, item in enumerate(items):
        data[f"items-{index}-id"] = str(item.pk)
    data["items-1-DELETE"] = "1"
    response = admin_client.post(f"{FORMS}edit/{form.pk}/", data)
    assert response.status_code == 302, _row_errors(response, "items")
    assert [item.indicator for item in form.items.order_by("sort_order")] == [admitted, beds]
    assert form.rules.get().left == beds

    # A rule on the indicator just removed is refused in the same post.
    data = _set_data(
        code=form.code,
        agencies=[agency_a],
        items=[_item(admitted), _item(beds)],
        initial_items=2,
        rules=[_rule(discharged, "lte", admitted)],
    )
    for index, item in enumerate(form.items.order_by("sort_order")):
        data[f"items-{index}-id"] = str(item.pk)
    response = admin_client.post(f"{FORMS}edit/{form.pk}/", data)
    assert response.status_code == 200
    assert "not on this form" in " ".join(_row_errors(response, "rules")[0]["left"])


def test_a_form_in_use_is_kept_with_a_message(admin_client, agency_a, season):
    beds = make_indicator("beds")
    form = make_set(indicators=[beds], agencies=[agency_a])
    save_day(None, agency_a, form, datetime.date(2026, 5, 10), {"beds": "4"})
    assert admin_client.post(f"{FORMS}delete/{form.pk}/").status_code == 302
    assert IndicatorSet.objects.filter(pk=form.pk).exists()


def test_the_form_listing_counts_and_filters(admin_client, agency_a):
    agency_b = make_agency("agency-b")
    beds = make_indicator("beds")
    cots = make_indicator("cots")
    mine = make_set("mine", indicators=[beds, cots], agencies=[agency_a, agency_b])
    theirs = make_set("theirs", indicators=[beds], agencies=[agency_b])

    response = admin_client.get(FORMS)
    rows = {form.pk: form for form in response.context["object_list"]}
    assert (rows[mine.pk].item_count, rows[mine.pk].agency_count) == (2, 2)
    assert (rows[theirs.pk].item_count, rows[theirs.pk].agency_count) == (1, 1)
    response = admin_client.get(FORMS, {"agencies": agency_a.pk})
    assert {form.pk for form in response.context["object_list"]} == {mine.pk}


def test_the_form_page_reads_the_indicator_list_once(admin_client, agency_a):
    def queries(count: int) -> int:
        indicators = [make_indicator(f"figure-{count}-{n}") for n in range(count)]
        form = make_set(f"form-{count}", indicators=indicators, agencies=[agency_a])
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(f"{FORMS}edit/{form.pk}/").status_code == 200
        return len(captured)

    queries(2)  # the first request also fills per-process caches
    assert queries(3) == queries(15)


def test_the_configuration_pages_are_arabic_and_right_to_left(admin_client, committee_admin):
    from modules.accounts.services import user_update_profile

    user_update_profile(
        user=committee_admin, first_name="a", last_name="", phone="", preferred_language="ar"
    )
    response = admin_client.get(f"{FORMS}new/")
    text = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in text


def test_two_rows_exchanging_their_indicators_get_an_error_not_a_crash(admin_client, agency_a):
    admitted = make_indicator("admitted")
    discharged = make_indicator("discharged")
    form = make_set(indicators=[admitted, discharged], agencies=[agency_a])
    items = list(form.items.order_by("sort_order"))
    data = _set_data(
        code=form.code,
        agencies=[agency_a],
        items=[_item(discharged), _item(admitted)],
        initial_items=2,
    )
    for index, item in enumerate(items):
        data[f"items-{index}-id"] = str(item.pk)

    response = admin_client.post(f"{FORMS}edit/{form.pk}/", data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert [item.indicator for item in form.items.order_by("sort_order")] == [
        admitted,
        discharged,
    ]


def test_an_indicator_is_on_one_form_per_agency(admin_client, agency_a, agency_b):
    admitted = make_indicator("admitted")
    discharged = make_indicator("discharged")
    make_set("wards", indicators=[admitted], agencies=[agency_a])

    response = admin_client.post(
        f"{FORMS}new/",
        _set_data(items=[_item(discharged), _item(admitted)], agencies=[agency_a, agency_b]),
    )

    assert response.status_code == 200
    errors = _row_errors(response, "items")
    assert not errors[0]
    assert "counted twice" in " ".join(str(message) for message in errors[1]["indicator"])
    assert not IndicatorSet.objects.filter(code="hospitals").exists()

    # Another agency's form may hold the same indicator.
    response = admin_client.post(
        f"{FORMS}new/", _set_data(items=[_item(admitted)], agencies=[agency_b])
    )
    assert response.status_code == 302, _row_errors(response, "items")
