"""Load `fixtures/` into the database: season, agencies, roster, demo people, daily
statistics, public site."""

import csv
from dataclasses import dataclass, field

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from hijridate import Hijri

from modules.accounts.models import User
from modules.accounts.roles import COMMITTEE_ROLES, Role
from modules.accounts.services import user_create, user_update
from modules.agencies.models import Agency, Season, StaffMember

from .content import load_public_site
from .mfa import ensure_demo_authenticators
from .records import FIXTURES_DIR, Tally, read_json, sync_rows
from .report_page import ensure_report_page
from .statistics import load_statistics
from .tickets import load_tickets

# One shared password for every demo account; printed by `load_demo`, so never for production.
DEMO_PASSWORD = "Rifada-Demo-1447"  # noqa: S105 - public on purpose


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    agency: Agency | None
    has_totp: bool


@dataclass
class DemoResult:
    tallies: dict[str, Tally] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    season: Season | None = None

    def tally(self, label: str) -> Tally:
        return self.tallies.setdefault(label, Tally())

    @property
    def wrote(self) -> bool:
        return any(tally.wrote for tally in self.tallies.values())


class _DemoPasswordHash:
    """The demo password hashed once per run and shared by the demo accounts.

    A password hash is deliberately slow (PBKDF2, about half a second here); hashing and
    checking it per account made up most of the load time.
    """

    def __init__(self) -> None:
        self._encoded = ""
        self._checked: dict[str, bool] = {}

    @property
    def encoded(self) -> str:
        if not self._encoded:
            self._encoded = make_password(DEMO_PASSWORD)
            self._checked[self._encoded] = True
        return self._encoded

    def matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(DEMO_PASSWORD, encoded)
        return self._checked[encoded]


def _read_csv(name: str) -> list[dict]:
    with (FIXTURES_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_demo_data() -> DemoResult:
    """Everything or nothing: one transaction, so a bad fixture row leaves no half-load."""
    result = DemoResult()
    result.season = load_season(result.tally("seasons"))
    agencies = load_agencies(result.tally("agencies"))
    load_staff(season=result.season, agencies=agencies, tally=result.tally("staff members"))
    result.logins = load_users(
        agencies=agencies, tally=result.tally("users"), mfa_tally=result.tally("authenticators")
    )
    load_statistics(season=result.season, agencies=agencies, tally=result.tally)
    load_tickets(agencies=agencies, tally=result.tally)
    home = load_public_site(season=result.season, tally=result.tally)
    ensure_report_page(home, tally=result.tally("report page"))
    return result


def load_season(tally: Tally) -> Season:
    """The demo season, active; any other active season steps aside (only one may be)."""
    data = read_json("season.json")
    row = {
        "hijri_year": data["hijri_year"],
        "starts_on": Hijri(*data["starts_on_hijri"]).to_gregorian(),
        "ends_on": Hijri(*data["ends_on_hijri"]).to_gregorian(),
        "is_active": data["is_active"],
    }
    if row["is_active"]:
        for other in Season.objects.active().exclude(hijri_year=row["hijri_year"]):
            other.is_active = False
            other.save(update_fields=["is_active", "updated_at"])
            tally.updated += 1
    return sync_rows(Season, key="hijri_year", rows=[row], tally=tally)[row["hijri_year"]]


def load_agencies(tally: Tally) -> dict[str, Agency]:
    rows = [{**row, "is_active": True} for row in read_json("agencies.json")]
    return sync_rows(Agency, key="code", rows=rows, tally=tally)


def load_staff(*, season: Season, agencies: dict[str, Agency], tally: Tally) -> None:
    rows = [
        {**row, "agency": agencies[row["agency"]], "is_active": True}
        for row in _read_csv("staff.csv")
    ]
    sync_rows(StaffMember, key="national_id", rows=rows, tally=tally, scope={"season": season})


def load_users(*, agencies: dict[str, Agency], tally: Tally, mfa_tally: Tally) -> list[DemoLogin]:
    """Accounts are made through the accounts service, as an administrator would make them."""
    logins = []
    password = _DemoPasswordHash()
    for row in read_json("users.json"):
        role = Role(row.pop("role"))
        agency_code = row.pop("agency")
        agency = agencies[agency_code] if agency_code else None
        user = _ensure_user(row=row, role=role, agency=agency, password=password, tally=tally)
        if role in COMMITTEE_ROLES:
            ensure_demo_authenticators(user=user, tally=mfa_tally)
        logins.append(
            DemoLogin(email=user.email, role=role, agency=agency, has_totp=role in COMMITTEE_ROLES)
        )
    return logins


def _ensure_user(
    *, row: dict, role: Role, agency: Agency | None, password: _DemoPasswordHash, tally: Tally
) -> User:
    user = User.objects.filter(email__iexact=row["email"]).first()
    if user is None:
        user = user_create(**row, role=role, agency=agency, invite=False)
        user.password = password.encoded
        user.save(update_fields=["password"])
        tally.created += 1
        return user

    details_differ = not user.is_active or any(
        getattr(user, name) != value for name, value in row.items()
    )
    role_differs = user.role != role or user.agency_id != (agency.pk if agency else None)
    if details_differ or role_differs:
        user_update(user=user, **row, role=role, agency=agency, is_active=True)
    password_differs = not password.matches(user.password)
    if password_differs:
        user.password = password.encoded
        user.save(update_fields=["password"])

    if details_differ or role_differs or password_differs:
        tally.updated += 1
    else:
        tally.unchanged += 1
    return user
