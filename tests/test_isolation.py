"""No agency user can see or change another agency's records, by any route.

The routes are not listed here: every named URL pattern of the project (portal, roster,
DRF router, allauth, Wagtail admin…) is enumerated from the resolver, every captured argument
is filled with the id of another agency's record, and the request is made as an agency user.
A new view or endpoint is therefore checked without editing this file.
"""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import translation

from modules.statistics.models import DailyReport
from tests.support.scoped import (
    FOREIGN_STATISTICS_MARKER,
    FOREIGN_TICKET_MARKER,
    MAKERS,
    make_foreign_records,
)

# Never requested: the public page server catches every path, and these change the session.
SKIPPED = {"wagtail_serve", "account_logout", "set_language", "wagtailadmin_logout"}
ALLOWED_ON_FOREIGN_ID = {400, 403, 404, 405, 410}
FOREIGN_MARKERS = [
    "الجهة الأجنبية",
    "Foreign Agency",
    "foreign-agency",
    "1000000008",
    "Foreign Staffer",
    "foreign-manager@example.org",
    FOREIGN_STATISTICS_MARKER,
    FOREIGN_TICKET_MARKER,
]


def _arguments(pattern) -> list[str]:
    regex = pattern.regex
    return list(regex.groupindex)


def named_routes():
    """(name, argument names) for every named URL pattern, namespaces and prefixes included."""
    found = []

    def walk(patterns, namespace, inherited):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, ns, inherited + _arguments(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, inherited + _arguments(entry.pattern)))

    walk(get_resolver().url_patterns, "", [])
    return sorted({(name, tuple(args)) for name, args in found})


def test_every_scoped_model_has_a_foreign_record_maker():
    scoped = {model for model in apps.get_models() if hasattr(model, "agency_lookup")}
    missing = sorted(model._meta.label for model in scoped - set(MAKERS))
    assert not missing, f"add a maker to tests/support/scoped.py for: {missing}"


def test_the_enumeration_sees_the_portal_and_the_api():
    names = {name for name, _ in named_routes()}
    assert "portal:home" in names
    assert "api:staff-detail" in names
    assert any(name.startswith("roster:") for name in names)


def _fill(args, value, day):
    """Every argument gets the foreign id, but a format is "json" and a day (the daily
    statistics forms) is the day of the other agency's report."""

    def filled(arg):
        if arg == "format":
            return "json"
        if arg == "day" or arg.endswith("_day"):
            return day
        return str(value)

    return {arg: filled(arg) for arg in args}


def _names_a_record(args) -> bool:
    """An id in the path (pk, id, agency_id…), as opposed to a token, a key or a format."""
    return any(arg in ("pk", "id") or arg.endswith(("_pk", "_id")) for arg in args)


def _foreign_markers_in(response) -> list[str]:
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    return [marker for marker in FOREIGN_MARKERS if marker in text]


@pytest.mark.parametrize("user_fixture", ["manager_a", "staff_a"])
def test_agency_user_cannot_reach_another_agencys_records(
    request, client, season, agency_a, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    foreign = make_foreign_records(season=season)
    foreign_ids = sorted({record.pk for record in foreign.values()})
    foreign_day = foreign[DailyReport].day
    before = {
        model: model._base_manager.filter(pk=obj.pk).values().get()
        for model, obj in foreign.items()
    }
    leaks = []
    checked = 0

    for name, args in named_routes():
        if name in SKIPPED:
            continue
        record_route = _names_a_record(args)
        values = foreign_ids if args else [None]
        for value in values:
            try:
                with translation.override("ar"):
                    kwargs = _fill(args, value, foreign_day)
                    url = reverse(name, kwargs=kwargs) if args else reverse(name)
            except NoReverseMatch:
                continue
            client.force_login(user)
            if record_route:
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    checked += 1
                    if response.status_code not in ALLOWED_ON_FOREIGN_ID and not (
                        response.status_code == 302
                        and "/accounts/login/" in response.headers.get("Location", "")
                    ):
                        leaks.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
            else:
                # Lists, exports, token pages: whatever they answer, never another agency's data.
                query = f"?agency={foreign_ids[0]}&agency_id={foreign_ids[0]}&q=Foreign"
                response = client.get(url + query)
                checked += 1
                shown = _foreign_markers_in(response)
                if shown:
                    leaks.append(f"GET {url} ({name}) shows {shown}")

    after = {
        model: model._base_manager.filter(pk=obj.pk).values().get()
        for model, obj in foreign.items()
    }
    assert checked > 100
    assert not leaks, "\n".join(leaks)
    assert after == before, "another agency's records were changed"
