"""The agency portal's daily statistics: the forms an agency fills and how each day stands,
a day's entry screen, the same day uploaded as a file, and a report with its history.

A form is found through `selectors.sets_for_agency` and a report through
`DailyReport.objects.for_user`, so a form the agency does not report and another agency's
report are both a 404. Reading needs statistics.view_dailyreport, saving the add/change
permissions (checked with `can()`); `services.report_save` saves and has the last word on
whether the day is open. Each request reads the clock once (`now`) and uses it throughout.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext

from modules.accounts.models import User
from modules.agencies.selectors import active_season
from modules.core.hijri import format_dual
from modules.core.scoping import can
from modules.portal.access import agency_user_required

from .checks import EntryCheck, Recent, check_entry, format_number
from .days import FormDay, agency_days
from .forms import DayUploadForm, EntryData, comment_field, entry_data, value_field
from .imports import DAY_COLUMNS, DayImporter, day_template
from .models import DailyReport, Indicator, IndicatorSet, ReportStatus, ReportValue
from .selectors import (
    FormLayout,
    form_layout,
    recent_figures,
    report_list,
    report_values,
    season_for_day,
    sets_for_agency,
)
from .services import EntryClosed, EntryRejected, SaveResult, report_save

TEMPLATE_FORMATS = ("csv", "xlsx")


def _require(user, permission: str, obj=None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied


def _agency_set(user, set_pk: int) -> IndicatorSet:
    return get_object_or_404(sets_for_agency(user.agency_id), pk=set_pk)


def _report(user, indicator_set: IndicatorSet, day: datetime.date) -> DailyReport | None:
    return DailyReport.objects.for_user(user).filter(indicator_set=indicator_set, day=day).first()


# --- the index -----------------------------------------------------------------------------


@agency_user_required
def index(request):
    user = request.user
    _require(user, "statistics.view_dailyreport")
    now = timezone.now()
    if request.GET.get("form") and request.GET.get("day"):
        return _go_to_day(request)
    season = active_season()
    forms = agency_days(user=user, season=season, now=now) if season else []
    days = [form_day for _set, form_days in forms for form_day in form_days]
    return render(
        request,
        "statistics/portal/index.html",
        {
            "season": season,
            "forms": forms,
            "late": [form_day for form_day in days if form_day.is_late],
            "returned": [form_day for form_day in days if form_day.is_returned],
            "due_today": [form_day for form_day in days if form_day.is_due_today],
            "today": timezone.localdate(now),
        },
    )


def _go_to_day(request):
    """The index's "open a day" form: any day of any form the agency reports."""
    try:
        set_pk = int(request.GET["form"])
        day = datetime.date.fromisoformat(request.GET["day"].strip())
    except ValueError:
        messages.error(request, gettext("Choose a form and a day."))
        return redirect("statistics:index")
    indicator_set = _agency_set(request.user, set_pk)
    return redirect("statistics:entry", set_pk=indicator_set.pk, day=day)


# --- the entry screen ----------------------------------------------------------------------


@dataclass
class EntryRow:
    """One indicator on the entry screen: what to show in its field and beside it."""

    indicator: Indicator
    required: bool
    value: str
    comment: str
    recent: Recent
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    follow_up: bool = False

    @property
    def value_name(self) -> str:
        return value_field(self.indicator.code)

    @property
    def comment_name(self) -> str:
        return comment_field(self.indicator.code)

    @property
    def comment_required(self) -> bool:
        return bool(self.warnings)

    @property
    def yesterday(self) -> str:
        return format_number(self.recent.yesterday, self.indicator)

    @property
    def low(self) -> str:
        return format_number(self.recent.low, self.indicator)

    @property
    def high(self) -> str:
        return format_number(self.recent.high, self.indicator)


@dataclass
class EntrySection:
    title: str
    rows: list[EntryRow]


def _entry_sections(
    layout: FormLayout,
    stored: dict[int, ReportValue],
    recent: dict[int, Recent],
    typed: EntryData | None,
    check: EntryCheck | None,
) -> list[EntrySection]:
    """The rows, section by section: what was typed when a save was refused, the stored
    figures otherwise; each with its errors and warnings."""
    sections = []
    for section in layout.sections:
        rows = []
        for item in section.items:
            indicator = item.indicator
            code = indicator.code
            saved = stored.get(indicator.pk)
            if typed is not None:
                value = typed.values.get(
                    code, format_number(saved.value, indicator) if saved else ""
                )
                comment = typed.comments.get(code, saved.comment if saved else "")
            else:
                value = format_number(saved.value, indicator) if saved else ""
                comment = saved.comment if saved else ""
            rows.append(
                EntryRow(
                    indicator=indicator,
                    required=item.is_required,
                    value=value,
                    comment=comment,
                    recent=recent.get(indicator.pk, Recent()),
                    errors=check.errors.get(code, []) if check and typed else [],
                    warnings=check.warnings.get(code, []) if check else [],
                    follow_up=bool(saved and saved.follow_up),
                )
            )
        sections.append(EntrySection(title=section.title, rows=rows))
    return sections


def _stored_check(layout: FormLayout, stored, recent) -> EntryCheck:
    """The warnings the stored figures raise, shown beside them with their comments."""
    by_id = {item.indicator_id: item.indicator for item in layout.items}
    return check_entry(
        indicators=layout.indicators,
        rules=layout.rules,
        raw_values={by_id[pk].code: value.value for pk, value in stored.items() if pk in by_id},
        raw_comments={by_id[pk].code: value.comment for pk, value in stored.items() if pk in by_id},
        recent=recent,
        require_all=False,
    )


def _error_summary(sections: list[EntrySection], check: EntryCheck | None) -> list[dict]:
    """Each refused figure with a link to the field to fix: the comment when only a comment
    is missing, the value otherwise."""
    if check is None:
        return []
    summary = [{"name": "", "message": message, "target": ""} for message in check.form_errors]
    for section in sections:
        for row in section.rows:
            for message in row.errors:
                comment_missing = row.comment_required and not row.comment.strip()
                summary.append(
                    {
                        "name": row.indicator.name,
                        "message": message,
                        "target": row.comment_name if comment_missing else row.value_name,
                    }
                )
    return summary


def _saved_message(request, result: SaveResult, *, submitted: bool) -> None:
    report = result.report
    day = format_dual(report.day)
    if submitted:
        text = gettext("The figures for %(day)s were submitted.") % {"day": day}
        if report.is_late:
            text += " " + gettext("They came in after the deadline, so the day counts as late.")
    elif report.status == ReportStatus.SUBMITTED:
        text = gettext("Your changes were saved; the day stays submitted.")
    else:
        text = gettext("Draft saved. Submit the day once every figure is in.")
    messages.success(request, text)
    if result.warnings:
        count = len(result.warnings)
        messages.warning(
            request,
            ngettext(
                "%(count)s figure is far from your agency's recent days; its comment was saved "
                "with it.",
                "%(count)s figures are far from your agency's recent days; their comments were "
                "saved with them.",
                count,
            )
            % {"count": count},
        )


@agency_user_required
def entry(request, set_pk: int, day: datetime.date):
    user = request.user
    _require(user, "statistics.view_dailyreport")
    indicator_set = _agency_set(user, set_pk)
    now = timezone.now()
    report = _report(user, indicator_set, day)
    season = season_for_day(day)
    layout = form_layout(indicator_set)
    typed = check = None
    closed_message = ""
    if request.method == "POST":
        _require(
            user,
            "statistics.change_dailyreport" if report else "statistics.add_dailyreport",
            report,
        )
        typed = entry_data(request.POST, layout)
        try:
            result = report_save(
                actor=user,
                agency=user.membership.agency,
                indicator_set=indicator_set,
                day=day,
                values=typed.values,
                comments=typed.comments,
                submit=typed.submit,
                now=now,
            )
        except EntryRejected as rejected:
            check = rejected.check
        except EntryClosed as closed:
            closed_message, typed = closed.message, None
        else:
            _saved_message(request, result, submitted=typed.submit)
            return redirect("statistics:entry", set_pk=indicator_set.pk, day=day)

    stored = {value.indicator_id: value for value in report.values.all()} if report else {}
    recent = recent_figures(
        agency=user.membership.agency, indicator_ids=layout.indicator_ids, day=day
    )
    if check is None and stored:
        check = _stored_check(layout, stored, recent)
    sections = _entry_sections(layout, stored, recent, typed, check)
    form_day = FormDay(indicator_set, day, report, now)
    permission = "statistics.change_dailyreport" if report else "statistics.add_dailyreport"
    editable = form_day.is_open and season is not None and can(user, permission, report)
    closed_reason = closed_message or form_day.closed_reason
    if not closed_reason and season is None:
        closed_reason = gettext("No Hajj season covers this day.")
    elif not closed_reason and not editable:
        closed_reason = gettext("Your role can read these figures but not change them.")
    today = timezone.localdate(now)
    rows = [row for section in sections for row in section.rows]
    return render(
        request,
        "statistics/portal/entry.html",
        {
            "indicator_set": indicator_set,
            "day": day,
            "season": season,
            "report": report,
            "form_day": form_day,
            "entry_sections": sections,
            "error_summary": _error_summary(sections, check) if typed else [],
            "editable": editable,
            "closed_reason": closed_reason,
            "filled": sum(1 for row in rows if row.value.strip()),
            "total": len(rows),
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1) if day < today else None,
        },
    )


# --- upload --------------------------------------------------------------------------------


@agency_user_required
def upload(request, set_pk: int, day: datetime.date):
    user = request.user
    _require(user, "statistics.view_dailyreport")
    indicator_set = _agency_set(user, set_pk)
    now = timezone.now()
    form_day = FormDay(indicator_set, day, _report(user, indicator_set, day), now)
    form = DayUploadForm(request.POST or None, request.FILES or None)
    import_report = None
    if form.is_bound:
        _require(user, "statistics.change_dailyreport", form_day.report)
        if form.is_valid():
            importer = DayImporter(
                actor=user,
                agency=user.membership.agency,
                indicator_set=indicator_set,
                day=day,
                submit=form.cleaned_data["submit"],
                now=now,
            )
            import_report = importer.run(form.cleaned_data["file"])
            if import_report.file_error:
                form.add_error("file", import_report.file_error)
            elif import_report.ok:
                _saved_message(request, importer.result, submitted=form.cleaned_data["submit"])
                return redirect("statistics:entry", set_pk=indicator_set.pk, day=day)
    return render(
        request,
        "statistics/portal/upload.html",
        {
            "indicator_set": indicator_set,
            "day": day,
            "form_day": form_day,
            "form": form,
            "report": import_report,
            "columns": DAY_COLUMNS,
        },
    )


@agency_user_required
def upload_template(request, set_pk: int, format: str):
    _require(request.user, "statistics.view_dailyreport")
    if format not in TEMPLATE_FORMATS:
        raise Http404
    indicator_set = _agency_set(request.user, set_pk)
    content, content_type = day_template(form_layout(indicator_set), format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{indicator_set.code}-template.{format}"
    )
    return response


# --- a report and its history --------------------------------------------------------------


@dataclass
class HistoryRow:
    indicator: Indicator
    value: ReportValue | None

    @property
    def shown(self) -> str:
        return format_number(self.value.value, self.indicator) if self.value else ""

    @property
    def changes(self) -> list:
        return self.value.changes if self.value else []


@agency_user_required
def report_detail(request, pk: int):
    user = request.user
    _require(user, "statistics.view_dailyreport")
    report = get_object_or_404(report_list(user=user), pk=pk)
    layout = form_layout(report.indicator_set)
    values = {value.indicator_id: value for value in report_values(report)}
    exceptions = list(report.exceptions.all())
    people_ids = {change.changed_by_id for value in values.values() for change in value.changes}
    people_ids |= {exception.granted_by_id for exception in exceptions}
    people_ids |= {report.submitted_by_id, report.reviewed_by_id}
    people_ids.discard(None)
    people = User.objects.in_bulk(people_ids)
    for value in values.values():
        for change in value.changes:
            change.who = people.get(change.changed_by_id)
            change.old_shown = format_number(change.old_value, value.indicator)
            change.new_shown = format_number(change.new_value, value.indicator)
    for exception in exceptions:
        exception.who = people.get(exception.granted_by_id)
    on_form = set(layout.indicator_ids)
    rows = [HistoryRow(item.indicator, values.get(item.indicator_id)) for item in layout.items]
    # Figures of indicators taken off the form since keep their history too.
    rows += [
        HistoryRow(value.indicator, value)
        for indicator_id, value in values.items()
        if indicator_id not in on_form
    ]
    return render(
        request,
        "statistics/portal/report.html",
        {
            "report": report,
            "form_day": FormDay(report.indicator_set, report.day, report, timezone.now()),
            "rows": rows,
            "exceptions": exceptions,
            "submitted_by": people.get(report.submitted_by_id),
            "reviewed_by": people.get(report.reviewed_by_id),
        },
    )
