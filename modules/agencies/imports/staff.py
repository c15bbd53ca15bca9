"""Staff roster import.

An agency manager's rows go to their own agency and the active season; the file has no
agency column. A committee person's file has an agency code column. Headers (either
language; spelling variants such as أ/ا, ة/ه, case and underscores do not matter):

=================  ==================  ==========================================
Arabic             English             notes
=================  ==================  ==========================================
الاسم بالعربية      Name (Arabic)       required
الاسم بالإنجليزية    Name (English)      required
رقم الهوية          National ID         required; ten digits, 1… or 2…, check digit
الجوال             Mobile phone        required; 05…, 9665…, +…
البريد الإلكتروني    E-mail              optional
المسمى الوظيفي      Job title           optional
الجنس              Gender              required; ذكر / أنثى / male / female
رمز الجهة           Agency code         committee only; the agency's code
=================  ==================  ==========================================
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..forms import StaffMemberForm
from ..models import Agency, StaffMember
from ..selectors import active_season
from .engine import Column, Importer, ImportRow, RowError
from .reader import ImportFileError
from .writer import spreadsheet_safe

STAFF_COLUMNS = (
    Column(
        "name_ar",
        "الاسم بالعربية",
        "Name (Arabic)",
        aliases=("الاسم", "الاسم العربي", "الاسم عربي", "arabic name", "name ar"),
        example="محمد عبدالله الحربي",
    ),
    Column(
        "name_en",
        "الاسم بالإنجليزية",
        "Name (English)",
        aliases=("الاسم الانجليزي", "الاسم انجليزي", "english name", "name en", "name"),
        example="Mohammed Abdullah Alharbi",
    ),
    Column(
        "national_id",
        "رقم الهوية",
        "National ID",
        aliases=(
            "رقم الهويه الاقامه",
            "رقم الهوية / الإقامة",
            "رقم الإقامة",
            "الهوية",
            "الهوية الوطنية",
            "national id / iqama",
            "iqama",
            "id number",
            "id",
        ),
        note=_("Ten digits starting with 1 (citizen) or 2 (resident)."),
        example="1000000008",
        text=True,
    ),
    Column(
        "phone",
        "الجوال",
        "Mobile phone",
        aliases=("رقم الجوال", "الهاتف", "رقم الهاتف", "الجوال", "mobile", "phone", "phone number"),
        note=_("05…, 9665… or an international number with +."),
        example="0501234567",
        text=True,
    ),
    Column(
        "email",
        "البريد الإلكتروني",
        "E-mail",
        aliases=("البريد", "الايميل", "email", "email address"),
        required=False,
        example="m.alharbi@example.org",
    ),
    Column(
        "job_title",
        "المسمى الوظيفي",
        "Job title",
        aliases=("الوظيفة", "المسمى", "title", "position"),
        required=False,
        example="مشرف ميداني",
    ),
    Column(
        "gender",
        "الجنس",
        "Gender",
        aliases=("النوع", "sex"),
        choices=(
            ("male", ("ذكر", "m", "Male")),
            ("female", ("أنثى", "انثي", "f", "Female")),
        ),
        note=_("ذكر or أنثى (male or female)."),
        example="ذكر",
    ),
)
AGENCY_COLUMN = Column(
    "agency",
    "رمز الجهة",
    "Agency code",
    aliases=("الجهة", "كود الجهة", "agency", "agency code"),
    note=_("The agency's code as shown in the admin."),
    example="agency-code",
)


class StaffImporter(Importer):
    permission = "agencies.add_staffmember"

    def get_columns(self) -> list[Column]:
        if self.actor.is_committee:
            return [*STAFF_COLUMNS, AGENCY_COLUMN]
        return list(STAFF_COLUMNS)

    def validate(self, rows: list[ImportRow]) -> list[RowError]:
        season = active_season()
        if season is None:
            raise ImportFileError(str(services.NO_ACTIVE_SEASON))
        agencies = self._agencies(rows)
        errors: list[RowError] = []
        identified: list[tuple[ImportRow, str, Agency | None]] = []
        for row in rows:
            form = StaffMemberForm(data=row.values)
            row_errors = [] if form.is_valid() else row.form_errors(form)
            agency = agencies.get(row.values.get("agency", ""))
            if agency is None:
                row_errors.append(row.error("agency", self._unknown_agency_message(row)))
            # A valid national ID is checked for duplicates even when another cell is wrong.
            if national_id := form.cleaned_data.get("national_id"):
                identified.append((row, national_id, agency))
            if row_errors:
                errors += row_errors
            else:
                row.cleaned = StaffMember(agency=agency, season=season, **form.cleaned_data)

        owners = services.national_id_owners(
            season=season, national_ids=[national_id for _, national_id, _ in identified]
        )
        first_row: dict[str, int] = {}
        for row, national_id, agency in identified:
            if national_id in first_row:
                errors.append(
                    row.error(
                        "national_id",
                        gettext("The same national ID is also in row %(row)s.")
                        % {"row": first_row[national_id]},
                    )
                )
            elif national_id in owners:
                errors.append(
                    row.error(
                        "national_id",
                        services.national_id_taken_message(
                            owner_agency_id=owners[national_id],
                            agency_id=agency.pk if agency else None,
                        ),
                    )
                )
            first_row.setdefault(national_id, row.number)
        return errors

    def save(self, rows: list[ImportRow]) -> int:
        members = services.staff_bulk_create(
            actor=self.actor, members=[row.cleaned for row in rows]
        )
        return len(members)

    def _agencies(self, rows: list[ImportRow]) -> dict[str, Agency]:
        """Agency by the code written in the file, ignoring case (one query); for an agency
        user, their own agency whatever the file says."""
        scope = Agency.objects.for_user(self.actor).filter(is_active=True)
        if not self.actor.is_committee:
            agency = scope.filter(pk=self.actor.agency_id).first()
            if agency is None:
                raise ImportFileError(gettext("Your account is not linked to an active agency."))
            return {"": agency}
        by_code = {agency.code.lower(): agency for agency in scope}
        return {
            row.values["agency"]: by_code[row.values["agency"].lower()]
            for row in rows
            if row.values["agency"].lower() in by_code
        }

    @staticmethod
    def _unknown_agency_message(row: ImportRow) -> str:
        if not row.values.get("agency"):
            return gettext("This field is required.")
        return gettext("No active agency has the code “%(code)s”.") % {"code": row.values["agency"]}


def staff_export_rows(queryset: QuerySet[StaffMember]) -> Iterator[list[str]]:
    """The import's columns (so an export reads like a filled template) plus the status."""
    yield [*(column.header for column in STAFF_COLUMNS), gettext("Status")]
    active, inactive = gettext("Active"), gettext("Inactive")
    for member in queryset.iterator(chunk_size=1000):
        yield [
            spreadsheet_safe(member.name_ar),
            spreadsheet_safe(member.name_en),
            member.national_id,
            member.phone,
            spreadsheet_safe(member.email),
            spreadsheet_safe(member.job_title),
            member.get_gender_display(),
            active if member.is_active else inactive,
        ]
