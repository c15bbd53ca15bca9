import datetime
import io
import json
from collections import Counter

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, ReferenceIndex, Revision, Site

from cms.base.models import CommitteeSettings
from cms.daily_messages.models import DailyMessagePage
from cms.home.models import HomePage
from cms.news.models import NewsPage
from modules.accounts.models import User
from modules.accounts.roles import AGENCY_ROLES, COMMITTEE_ROLES, Role
from modules.accounts.services import user_set_role
from modules.agencies.models import Agency, AgencyKind, Membership, Season, StaffMember
from modules.agencies.validators import national_id_is_valid, normalize_phone
from modules.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from modules.core.demo.content import DemoCalendar, load_public_site
from modules.core.demo.records import FIXTURES_DIR, Tally
from modules.core.hijri import to_hijri

pytestmark = pytest.mark.django_db
NEWS_FIXTURE = FIXTURES_DIR / "content" / "news.json"
WRITES = ("INSERT", "UPDATE", "DELETE")


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", "--force", *args, stdout=out)
    return out.getvalue()


def demo_totp(email: str) -> str:
    out = io.StringIO()
    call_command("demo_totp", email, "--force", stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def counts() -> dict[str, int]:
    models = [
        Season,
        Agency,
        StaffMember,
        User,
        Membership,
        Authenticator,
        Locale,
        Page,
        Revision,
        Site,
        get_image_model(),
        ReferenceIndex,
        CommitteeSettings,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_second_run_writes_nothing_and_counts_stay_identical():
    load_demo()
    first = counts()

    with CaptureQueriesContext(connection) as queries:
        output = load_demo()

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]
    assert writes == []
    assert counts() == first
    assert "already up to date" in output


def test_agencies_are_many_bilingual_and_reachable():
    load_demo()
    agencies = list(Agency.objects.all())

    assert len(agencies) >= 60
    assert {agency.kind for agency in agencies} == set(AgencyKind.values)
    for agency in agencies:
        assert agency.name_ar and agency.name_en and agency.contact_name
        assert normalize_phone(agency.phone) == agency.phone
        assert agency.phone.startswith(("+9665", "+96614"))
        assert "@" in agency.email


def test_staff_roster_has_valid_ids_and_phones():
    load_demo()
    season = Season.objects.get(is_active=True)
    staff = list(StaffMember.objects.filter(season=season))

    per_agency = Counter(member.agency_id for member in staff)
    assert sum(1 for size in per_agency.values() if 10 <= size <= 25) >= 5
    for member in staff:
        assert national_id_is_valid(member.national_id), member.national_id
        assert normalize_phone(member.phone) == member.phone
        assert member.name_ar and member.name_en


def test_season_1447_is_active_from_shawwal_to_muharram():
    Season.objects.create(
        hijri_year=1446, starts_on="2025-03-30", ends_on="2025-07-25", is_active=True
    )
    load_demo()

    season = Season.objects.get(is_active=True)
    assert season.hijri_year == 1447
    start, end = to_hijri(season.starts_on), to_hijri(season.ends_on)
    assert (start.year, start.month, start.day) == (1447, 10, 1)
    assert (end.year, end.month) == (1448, 1)
    assert not Season.objects.get(hijri_year=1446).is_active


def test_one_account_per_role_with_the_demo_password():
    load_demo()
    users = list(User.objects.prefetch_related("groups"))

    roles = {group.name for user in users for group in user.groups.all()}
    assert roles == set(Role.values)
    for user in users:
        assert user.email.endswith("@demo.rifada.sa")
        assert user.check_password(DEMO_PASSWORD)
        if user.role in AGENCY_ROLES:
            assert user.membership.agency.code
        else:
            assert not Membership.objects.filter(user=user).exists()


def test_committee_accounts_have_totp_and_recovery_codes():
    load_demo()
    committee = [user for user in User.objects.all() if user.role in COMMITTEE_ROLES]

    assert len(committee) == len(COMMITTEE_ROLES)
    for user in committee:
        kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
        assert validate_totp_code(DEMO_TOTP_SECRET, demo_totp(user.email))


def test_committee_demo_login_passes_mfa_into_the_admin(client):
    load_demo()

    response = client.post(
        "/ar/accounts/login/", {"login": "admin@demo.rifada.sa", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "/2fa/authenticate/" in response["Location"]
    response = client.post(response["Location"], {"code": demo_totp("admin@demo.rifada.sa")})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_home_pages_in_arabic_and_english_with_arabic_as_site_root():
    load_demo()
    arabic = Locale.objects.get(language_code="ar")
    english = Locale.objects.get(language_code="en")

    home = HomePage.objects.get(locale=arabic)
    translation = home.get_translation(english)
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert home.live and translation.live
    assert translation.specific.title == "Madinah Region Hajj Committee"
    assert Page.objects.filter(depth=2).count() == 2, "Wagtail's welcome page is removed"


def test_a_changed_record_is_put_back_and_only_it_is_written():
    load_demo()
    Agency.objects.filter(code="red-crescent").update(name_en="Renamed")
    user = User.objects.get(email="staff@demo.rifada.sa")
    user.set_password("Another-password-2024")
    user.is_active = False
    user.save()
    user_set_role(user=user, role=Role.EDITOR)

    output = load_demo()

    assert Agency.objects.get(code="red-crescent").name_en.startswith("Saudi Red Crescent")
    user = User.objects.get(pk=user.pk)
    assert user.check_password(DEMO_PASSWORD)
    assert user.is_active
    assert user.role == Role.AGENCY_STAFF
    assert user.membership.agency.code == "red-crescent"
    assert "loaded" in output


def test_refuses_without_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--force"):
        call_command("demo_totp", "admin@demo.rifada.sa", stdout=io.StringIO())
    assert not Agency.objects.exists()


def test_while_the_season_runs_the_week_ends_today_and_no_news_is_in_the_future():
    today = timezone.localdate()
    season = Season.objects.create(
        hijri_year=1447,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=70),
        is_active=True,
    )
    tallies: dict[str, Tally] = {}

    load_public_site(season=season, tally=lambda label: tallies.setdefault(label, Tally()))

    week = [today - datetime.timedelta(days=n) for n in range(6, -1, -1)]
    fixture_order = [item["slug"] for item in json.loads(NEWS_FIXTURE.read_text())]
    for code in ("ar", "en"):
        messages = DailyMessagePage.objects.filter(locale__language_code=code).order_by("date")
        assert [message.date for message in messages] == week
        news = list(NewsPage.objects.filter(locale__language_code=code).order_by("date", "id"))
        assert [item.slug for item in news] == fixture_order
        assert news[-1].date <= today
    assert tallies["pages"].created == 2 * (1 + 6 + 7 + 12)


def test_the_calendar_squeezes_the_season_into_what_has_happened():
    start, end = datetime.date(2026, 3, 20), datetime.date(2026, 7, 14)
    season = Season(hijri_year=1447, starts_on=start, ends_on=end)

    after = DemoCalendar.for_season(season, today=datetime.date(2026, 11, 28))
    assert after.last_day == end
    assert after.last_days(7)[0] == datetime.date(2026, 7, 8)
    assert after.place(datetime.date(2026, 5, 1)) == datetime.date(2026, 5, 1)

    running = DemoCalendar.for_season(season, today=datetime.date(2026, 4, 10))
    assert running.last_day == datetime.date(2026, 4, 10)
    assert running.place(end) == datetime.date(2026, 4, 10)
    assert running.place(start) == datetime.date(2026, 2, 9), "60 days of news before today"
    assert running.place(datetime.date(2026, 5, 1)) < running.place(datetime.date(2026, 6, 1))
