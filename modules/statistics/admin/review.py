"""The committee's follow-up of daily statistics: the completeness board, exceptions that
reopen a locked day, and the review of each report (return to the agency, or approve).

Every report and agency is read through `for_user(request.user)`. Looking needs
`statistics.view_dailyreport`; returning, approving and follow-up flags need
`statistics.review_dailyreport`; exceptions need `statistics.add_entryexception`. Actions
are POST only and go through `services`.
"""

import datetime
from dataclasses import dataclass, field

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput

from modules.agencies.models import Agency
from modules.audit.wagtail_hooks import ReadOnlyViewSetMixin
from modules.core.admin import NamedUrlMenuItem
from modules.core.hijri import format_dual
from modules.core.scoping import can, get_for_user_or_404
from modules.core.widgets import HijriDateInput

from .. import periods
from ..admin_forms import ExceptionGrantForm
from ..checks import check_entry, format_number
from ..models import (
    COUNTED_STATUSES,
    DailyReport,
    Indicator,
    IndicatorSet,
    ReportStatus,
    ReportValue,
    ValueChange,
)
from ..selectors import form_layout, recent_figures, report_list, report_values, season_for_day
from ..services import (
    exception_grant,
    report_approve,
    report_return,
    value_set_follow_up,
)
from .config import STATISTICS_MENU_HOOK

VIEW_PERMISSION = "statistics.view_dailyreport"
REVIEW_PERMISSION = "statistics.review_dailyreport"
EXCEPTION_PERMISSION = "statistics.add_entryexception"


def _require(user, permission: str, obj=None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied


def _parse_day(value) -> datetime.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


# --- Completeness board -------------------------------------------------------------------


@dataclass
class BoardCell:
    """One agency on one form and day. `locked`: it has not submitted, and can no longer
    without an exception (a submitted report locking is its normal end, not flagged)."""

    agency: Agency
    report: DailyReport | None
    locked: bool
    open_until: datetime.datetime | None


@dataclass
class BoardRow:
    """One daily form on one day: its agencies by how they reported."""

    indicator_set: IndicatorSet
    deadline: datetime.datetime
    locks_at: datetime.datetime
    on_time: list[BoardCell] = field(default_factory=list)
    late: list[BoardCell] = field(default_factory=list)
    in_progress: list[BoardCell] = field(default_factory=list)
    missing: list[BoardCell] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.on_time) + len(self.late) + len(self.in_progress) + len(self.missing)

    def _rate(self, count: int) -> int | None:
        return round(100 * count / self.expected) if self.expected else None

    @property
    def on_time_rate(self) -> int | None:
        return self._rate(len(self.on_time))

    @property
    def completeness_rate(self) -> int | None:
        return self._rate(len(self.on_time) + len(self.late))


def completeness_board(*, user, day: datetime.date, now=None) -> list[BoardRow]:
    """Each active daily form's agencies for `day`: submitted on time, late, started (a draft
    with figures, or a returned report) or missing. Three queries whatever the number of forms
    and agencies."""
    now = now or timezone.now()
    agencies = Agency.objects.for_user(user).filter(is_active=True).order_by("name_ar")
    sets = list(
        IndicatorSet.objects.filter(is_active=True)
        .order_by("name_ar")
        .prefetch_related(Prefetch("agencies", queryset=agencies, to_attr="reporting"))
    )
    reports = {
        (report.indicator_set_id, report.agency_id): report
        for report in DailyReport.objects.for_user(user)
        .filter(day=day, indicator_set__in=sets)
        .annotate(has_values=Exists(ReportValue.objects.filter(report=OuterRef("pk"))))
        .only(
            "pk",
            "agency_id",
            "indicator_set_id",
            "status",
            "is_late",
            "submitted_at",
            "reopened_until",
        )
    }
    started = day <= timezone.localdate(now)
    rows = []
    for indicator_set in sets:
        row = BoardRow(
            indicator_set=indicator_set,
            deadline=periods.deadline(indicator_set, day),
            locks_at=periods.locks_at(indicator_set, day),
        )
        for agency in indicator_set.reporting:
            report = reports.get((indicator_set.pk, agency.pk))
            counted = report is not None and report.status in COUNTED_STATUSES
            reopened = report.reopened_until if report is not None else None
            cell = BoardCell(
                agency=agency,
                report=report,
                locked=started
                and not counted
                and not periods.is_open(indicator_set, day, report, now=now),
                open_until=reopened if reopened and reopened > now else None,
            )
            if report is None or (report.status == ReportStatus.DRAFT and not report.has_values):
                # An exception opens an empty draft: nothing was entered yet.
                row.missing.append(cell)
            elif counted:
                (row.late if report.is_late else row.on_time).append(cell)
            else:
                row.in_progress.append(cell)
        rows.append(row)
    return rows


class BoardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "statistics/admin/board.html"
    page_title = gettext_lazy("Completeness board")
    header_icon = "calendar-check"

    def dispatch(self, request, *args, **kwargs):
        _require(request.user, VIEW_PERMISSION)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_day(self) -> datetime.date:
        return _parse_day(self.request.GET.get("day")) or (
            timezone.localdate() - datetime.timedelta(days=1)
        )

    def get_page_subtitle(self):
        return format_dual(self.get_day())

    def get_context_data(self, **kwargs):
        day = self.get_day()
        board_url = reverse("statistics_board")
        return super().get_context_data(
            day=day,
            rows=completeness_board(user=self.request.user, day=day),
            season=season_for_day(day),
            day_input=HijriDateInput().render("day", day, attrs={"id": "board-day"}),
            previous_url=f"{board_url}?day={day - datetime.timedelta(days=1):%Y-%m-%d}",
            next_url=f"{board_url}?day={day + datetime.timedelta(days=1):%Y-%m-%d}",
            can_grant=can(self.request.user, EXCEPTION_PERMISSION),
            **kwargs,
        )


class ExceptionGrantView(WagtailAdminTemplateMixin, FormView):
    """Reopen one agency's day on one form, from a locked cell of the board."""

    template_name = "statistics/admin/exception_form.html"
    form_class = ExceptionGrantForm
    page_title = gettext_lazy("Grant an exception")
    header_icon = "lock-open"

    def dispatch(self, request, *args, **kwargs):
        _require(request.user, EXCEPTION_PERMISSION)
        self.indicator_set = get_object_or_404(IndicatorSet, pk=kwargs["set_pk"])
        self.agency = get_for_user_or_404(Agency, request.user, pk=kwargs["agency_pk"])
        self.day = _parse_day(kwargs["day"])
        if self.day is None:
            raise Http404
        self.report = (
            DailyReport.objects.for_user(request.user)
            .filter(indicator_set=self.indicator_set, agency=self.agency, day=self.day)
            .first()
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.agency)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.get_success_url(), "label": _("Completeness board")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicator_set": self.indicator_set}

    def get_success_url(self):
        return f"{reverse('statistics_board')}?day={self.day:%Y-%m-%d}"

    def form_valid(self, form):
        try:
            exception_grant(
                actor=self.request.user,
                indicator_set=self.indicator_set,
                agency=self.agency,
                day=self.day,
                open_until=form.cleaned_data["open_until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for name, problems in getattr(error, "error_dict", {None: error.messages}).items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(agency)s can enter %(day)s on %(form)s until %(until)s.")
            % {
                "agency": self.agency,
                "day": format_dual(self.day),
                "form": self.indicator_set,
                "until": timezone.localtime(form.cleaned_data["open_until"]).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            },
        )
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            indicator_set=self.indicator_set,
            agency=self.agency,
            day=self.day,
            report=self.report,
            locks_at=periods.locks_at(self.indicator_set, self.day),
            **kwargs,
        )


# --- Review -------------------------------------------------------------------------------

ANY_STATUS = "all"


class ReportFilterSet(WagtailFilterSet):
    day = django_filters.DateFilter(label=gettext_lazy("Day"), widget=AdminDateInput)
    indicator_set = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Form"), queryset=IndicatorSet.objects.order_by("name_ar")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[*ReportStatus.choices, (ANY_STATUS, gettext_lazy("Any status"))],
        empty_label=None,
        method="filter_status",
    )
    agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Agency"),
        queryset=lambda request: Agency.objects.for_user(request.user).order_by("name_ar"),
    )

    class Meta:
        model = DailyReport
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset if value == ANY_STATUS else queryset.filter(status=value)


class ReportIndexView(generic.IndexView):
    """Without a status chosen, the reports awaiting review (submitted) are listed."""

    def get_base_queryset(self):
        return report_list(user=self.request.user)

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "status" not in kwargs["data"]:
            data = kwargs["data"].copy()
            data["status"] = ReportStatus.SUBMITTED
            kwargs["data"] = data
        return kwargs


@dataclass
class HistoryLine:
    change: ValueChange
    old: str
    new: str


@dataclass
class ValueRow:
    indicator: Indicator
    value: ReportValue | None
    text: str
    warnings: list[str]
    history: list[HistoryLine]


class ReportDetailView(generic.InspectView):
    """A report's figures in its form's sections, with their history, warnings and flags."""

    template_name = "statistics/admin/report_detail.html"
    page_title = gettext_lazy("Daily report")

    def get_object(self, queryset=None):
        return get_object_or_404(report_list(user=self.request.user), pk=self.pk)

    def get_page_subtitle(self):
        return f"{self.object.agency} — {format_dual(self.object.day)}"

    def get_sections(self) -> list[tuple[str, list[ValueRow]]]:
        report = self.object
        layout = form_layout(report.indicator_set)
        values = {value.indicator_id: value for value in report_values(report)}
        check = check_entry(
            indicators=layout.indicators,
            rules=layout.rules,
            raw_values={value.indicator.code: value.value for value in values.values()},
            raw_comments={value.indicator.code: value.comment for value in values.values()},
            recent=recent_figures(
                agency=report.agency, indicator_ids=layout.indicator_ids, day=report.day
            ),
            require_all=False,
        )

        def row(indicator: Indicator) -> ValueRow:
            value = values.pop(indicator.pk, None)
            text = format_number(value.value if value is not None else None, indicator)
            if text and indicator.unit:
                text = f"{text} {indicator.unit}"
            return ValueRow(
                indicator=indicator,
                value=value,
                text=text,
                warnings=check.warnings.get(indicator.code, []),
                history=[
                    HistoryLine(
                        change=change,
                        old=format_number(change.old_value, indicator),
                        new=format_number(change.new_value, indicator),
                    )
                    for change in getattr(value, "changes", [])
                ],
            )

        sections = [
            (section.title, [row(item.indicator) for item in section.items])
            for section in layout.sections
        ]
        if values:
            sections.append(
                (
                    _("Figures of indicators no longer on the form"),
                    [row(value.indicator) for value in list(values.values())],
                )
            )
        return sections

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        user = self.request.user
        can_review = can(user, REVIEW_PERMISSION, report)
        is_open = periods.is_open(report.indicator_set, report.day, report)
        context.update(
            report=report,
            sections=self.get_sections(),
            exceptions=report.exceptions.select_related("granted_by"),
            locks_at=periods.locks_at(report.indicator_set, report.day),
            is_open=is_open,
            can_review=can_review,
            can_return=can_review and report.status in COUNTED_STATUSES,
            can_approve=can_review and report.status == ReportStatus.SUBMITTED,
            grant_url=(
                reverse(
                    "statistics_exception_grant",
                    args=[report.indicator_set_id, report.agency_id, f"{report.day:%Y-%m-%d}"],
                )
                if can(user, EXCEPTION_PERMISSION)
                and not is_open
                and report.status != ReportStatus.APPROVED
                else None
            ),
            return_url=reverse("statistics_reports:return", args=[report.pk]),
            approve_url=reverse("statistics_reports:approve", args=[report.pk]),
        )
        return context


class ReportActionView(View):
    """POST only: one reviewer's action on one report, then back to the report."""

    http_method_names = ["post"]
    success_message = ""

    def post(self, request, pk, **kwargs):
        report = get_for_user_or_404(DailyReport, request.user, pk=pk)
        _require(request.user, REVIEW_PERMISSION, report)
        try:
            self.act(report, **kwargs)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message % {"report": report})
        return redirect("statistics_reports:inspect", report.pk)

    def act(self, report: DailyReport, **kwargs) -> None:
        raise NotImplementedError


class ReportReturnView(ReportActionView):
    success_message = gettext_lazy("The report was returned to the agency: %(report)s.")

    def act(self, report, **kwargs):
        report_return(
            actor=self.request.user, report=report, comment=self.request.POST.get("comment", "")
        )


class ReportApproveView(ReportActionView):
    success_message = gettext_lazy("The report was approved and is now locked: %(report)s.")

    def act(self, report, **kwargs):
        report_approve(actor=self.request.user, report=report)


class ValueFollowUpView(ReportActionView):
    success_message = gettext_lazy("The follow-up flag was changed.")

    def act(self, report, value_pk=None, **kwargs):
        value = get_object_or_404(
            ReportValue.objects.for_user(self.request.user).select_related("indicator"),
            report=report,
            pk=value_pk,
        )
        value_set_follow_up(
            actor=self.request.user,
            value=value,
            follow_up=self.request.POST.get("follow_up") == "1",
        )


def _day(report: DailyReport) -> str:
    return format_dual(report.day)


def _late(report: DailyReport) -> str:
    return _("Late") if report.is_late else ""


def _submitted_at(report: DailyReport) -> str:
    if report.submitted_at is None:
        return ""
    when = timezone.localtime(report.submitted_at)
    # A date and a time keep their order in right-to-left text.
    return format_html(
        '<time datetime="{}" dir="ltr">{}</time>', when.isoformat(), f"{when:%Y-%m-%d %H:%M}"
    )


class DailyReportViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Reports are never added, edited or deleted here: agencies enter them in the portal."""

    model = DailyReport
    icon = "tasks"
    menu_label = gettext_lazy("Reports to review")
    menu_order = 300
    menu_hook = STATISTICS_MENU_HOOK
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ReportIndexView
    inspect_view_class = ReportDetailView
    filterset_class = ReportFilterSet
    list_display = [
        "agency",
        "indicator_set",
        Column("day", label=capfirst(gettext_lazy("day")), accessor=_day, sort_key="day"),
        "status",
        Column("is_late", label=capfirst(gettext_lazy("late")), accessor=_late, sort_key="is_late"),
        Column(
            "submitted_at",
            label=capfirst(gettext_lazy("submitted at")),
            accessor=_submitted_at,
            sort_key="submitted_at",
        ),
    ]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/return/", ReportReturnView.as_view(), name="return"),
            path("<int:pk>/approve/", ReportApproveView.as_view(), name="approve"),
            path(
                "<int:pk>/values/<int:value_pk>/follow-up/",
                ValueFollowUpView.as_view(),
                name="follow_up",
            ),
        ]

    @property
    def url_finder_class(self):
        finder = super().url_finder_class
        finder.edit_url_name = self.get_url_name("inspect")
        return finder


@hooks.register("register_admin_viewset")
def register_report_review():
    return DailyReportViewSet("statistics_reports", url_prefix="statistics/reports")


@hooks.register("register_admin_urls")
def register_board_urls():
    return [
        path("statistics/board/", BoardView.as_view(), name="statistics_board"),
        path(
            "statistics/exceptions/<int:set_pk>/<int:agency_pk>/<str:day>/",
            ExceptionGrantView.as_view(),
            name="statistics_exception_grant",
        ),
    ]


@hooks.register(STATISTICS_MENU_HOOK)
def board_menu_item():
    return NamedUrlMenuItem(
        gettext_lazy("Completeness board"),
        "statistics_board",
        permission=VIEW_PERMISSION,
        icon_name="calendar-check",
        name="statistics-board",
        order=200,
    )
