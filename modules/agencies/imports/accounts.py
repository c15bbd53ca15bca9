"""Agency user accounts import (committee only); each new person gets an invitation e-mail.

Headers (either language; spelling variants do not matter):

=================  ==================  ==========================================
Arabic             English             notes
=================  ==================  ==========================================
البريد الإلكتروني    E-mail              required; must not have an account yet
الاسم الأول         First name          required
اسم العائلة         Last name           required
الجوال             Mobile phone        optional
اللغة المفضلة       Preferred language  optional; العربية / English (default Arabic)
الدور              Role                required; مدير جهة / موظف جهة
رمز الجهة           Agency code         required; the agency's code
=================  ==================  ==========================================
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.accounts.models import User
from modules.accounts.services import user_create

from ..forms import AgencyUserForm
from ..models import Agency
from .engine import Column, Importer, ImportRow, RowError
from .staff import AGENCY_COLUMN

ACCOUNT_COLUMNS = (
    Column(
        "email",
        "البريد الإلكتروني",
        "E-mail",
        aliases=("البريد", "الايميل", "email", "email address"),
        example="manager@example.org",
    ),
    Column(
        "first_name",
        "الاسم الأول",
        "First name",
        aliases=("الاسم", "first name", "given name"),
        example="سارة",
    ),
    Column(
        "last_name",
        "اسم العائلة",
        "Last name",
        aliases=("العائلة", "الاسم الأخير", "family name", "surname"),
        example="القحطاني",
    ),
    Column(
        "phone",
        "الجوال",
        "Mobile phone",
        aliases=("رقم الجوال", "الهاتف", "mobile", "phone"),
        required=False,
        example="0551234567",
        text=True,
    ),
    Column(
        "preferred_language",
        "اللغة المفضلة",
        "Preferred language",
        aliases=("اللغة", "language"),
        required=False,
        choices=(
            ("ar", ("العربية", "عربي", "عربية", "arabic")),
            ("en", ("الإنجليزية", "إنجليزي", "انجليزية", "english")),
        ),
        note=_("العربية or English; Arabic when empty."),
        example="العربية",
    ),
    Column(
        "role",
        "الدور",
        "Role",
        aliases=("الصلاحية", "الدور في الجهة"),
        choices=(
            ("agency_manager", ("مدير جهة", "مدير الجهة", "مدير", "agency manager", "manager")),
            ("agency_staff", ("موظف جهة", "موظف الجهة", "موظف", "agency staff", "staff")),
        ),
        note=_("مدير جهة or موظف جهة (agency manager or agency staff)."),
        example="مدير جهة",
    ),
    AGENCY_COLUMN,
)


class AgencyUserImporter(Importer):
    permission = "accounts.add_user"
    committee_only = True
    columns = ACCOUNT_COLUMNS

    def validate(self, rows: list[ImportRow]) -> list[RowError]:
        scope = Agency.objects.for_user(self.actor).filter(is_active=True)
        by_code = {agency.code.lower(): agency for agency in scope}
        errors: list[RowError] = []
        identified: list[tuple[ImportRow, str]] = []
        for row in rows:
            form = AgencyUserForm(data=row.values)
            row_errors = [] if form.is_valid() else row.form_errors(form)
            code = row.values["agency"]
            agency = by_code.get(code.lower())
            if not code:
                row_errors.append(row.error("agency", gettext("This field is required.")))
            elif agency is None:
                row_errors.append(
                    row.error(
                        "agency",
                        gettext("No active agency has the code “%(code)s”.") % {"code": code},
                    )
                )
            if email := form.cleaned_data.get("email"):
                identified.append((row, email))
            if row_errors:
                errors += row_errors
            else:
                row.cleaned = {**form.cleaned_data, "agency": agency}

        emails = [email for _, email in identified]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        first_row: dict[str, int] = {}
        for row, email in identified:
            if email in first_row:
                errors.append(
                    row.error(
                        "email",
                        gettext("The same e-mail address is also in row %(row)s.")
                        % {"row": first_row[email]},
                    )
                )
            elif email in existing:
                errors.append(
                    row.error(
                        "email", gettext("An account with this e-mail address already exists.")
                    )
                )
            first_row.setdefault(email, row.number)
        return errors

    def save(self, rows: list[ImportRow]) -> int:
        for row in rows:
            user_create(**row.cleaned, invite=True)
        return len(rows)
