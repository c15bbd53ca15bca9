"""The committee's indicators dashboard in the Wagtail admin: the page, its JSON (the page's
script reloads it when the filters change), the export of the current view, and the
drill-down from a tile to the agencies' figures.

Committee roles holding `statistics.view_dailyreport` see it; H2's "Statistics" menu links
to these URL names. The figures come from `modules.statistics.dashboard`.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from modules.agencies.models import Season
from modules.agencies.selectors import active_season, agency_list
from modules.core.scoping import can

from ..dashboard import (
    dashboard_data,
    dashboard_period,
    indicator_breakdown,
    period_json,
    period_value_label,
)
from ..exports import EXPORT_FORMATS, dashboard_file
from ..models import Indicator, IndicatorCategory

PERMISSION = "statistics.view_dailyreport"


def _allowed(user) -> bool:
    return can(user, PERMISSION) and user.is_committee


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the query string. Everything is optional: no
    season is the active one, no dates the season so far, no agency every agency."""

    season = forms.ModelChoiceField(
        queryset=Season.objects.all(), required=False, empty_label=None, label=_("Season")
    )
    start = forms.DateField(
        required=False,
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        required=False,
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Agencies"), widget=forms.CheckboxSelectMultiple
    )
    category = forms.ModelChoiceField(
        queryset=IndicatorCategory.objects.order_by("sort_order", "name_ar"),
        required=False,
        empty_label=_("All categories"),
        label=_("Category"),
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["agencies"].queryset = (
            agency_list(user=user).filter(is_active=True).order_by("name_ar")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return cleaned

    def filters(self) -> dict:
        """The keyword arguments of `dashboard_data` (the defaults when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "season": data["season"],
            "start": data["start"],
            "end": data["end"],
            "agency_ids": [agency.pk for agency in data["agencies"]] or None,
            "category_id": data["category"].pk if data["category"] else None,
        }


def _filter_form(request) -> DashboardFilterForm:
    if not _allowed(request.user):
        raise PermissionDenied
    return DashboardFilterForm(request.GET or None, user=request.user)


def _labels() -> dict[str, str]:
    """The words the page's script writes, in the active language."""
    return {
        "vs_previous": gettext("against the day before"),
        "no_figures": gettext("No figures"),
        "no_change": gettext("No change"),
        "up": gettext("Up"),
        "down": gettext("Down"),
        "reporting": gettext("%(count)s of %(total)s agencies reported"),
        "as_of": gettext("Figures of %(day)s"),
        "day": gettext("Day"),
        "hijri": gettext("Hijri date"),
        "value": gettext("Value"),
        "agency": gettext("Agency"),
        "category": gettext("Category"),
        "indicators": gettext("Indicators"),
        "figures_reported": gettext("Figures reported"),
        "figures_expected": gettext("Figures expected"),
        "reporting_rate": gettext("Reporting rate"),
        "expected": gettext("Expected"),
        "on_time": gettext("On time"),
        "late": gettext("Late"),
        "missing": gettext("Missing"),
        "pending": gettext("Not yet due"),
        "completeness_rate": gettext("Completeness"),
        "on_time_rate": gettext("On time"),
        "open_breakdown": gettext("See each agency's figures"),
        "loading": gettext("Loading…"),
        "load_failed": gettext("The figures could not be loaded. Try again."),
        "no_indicators": gettext("No active indicators match these filters."),
        "no_agencies": gettext("No agency reports this indicator."),
        "total": gettext("All agencies"),
        "all_agencies": gettext("All agencies"),
        "agencies_chosen": gettext("%(count)s agencies"),
        "received_note": gettext("of %(expected)s due · %(late)s late · %(missing)s missing"),
        "category_meta": gettext("%(count)s indicators"),
        "draw": gettext("Draw it day by day"),
        "on_day": gettext("On %(day)s"),
        "top_agencies": gettext("the %(count)s biggest of %(total)s agencies"),
    }


def _urls(request) -> dict[str, str]:
    return {
        "data": reverse("statistics_dashboard_data"),
        "export": reverse("statistics_dashboard_export"),
        "page": reverse("statistics_dashboard"),
        "indicator": reverse("statistics_dashboard_indicator", args=[0]),
        "indicator_data": reverse("statistics_dashboard_indicator_data", args=[0]),
    }


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "statistics/admin/dashboard.html"
    page_title = _("Indicators dashboard")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.form = _filter_form(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        filters = self.form.filters()
        data = dashboard_data(user=self.request.user, **filters)
        query = self.request.GET.urlencode()
        return super().get_context_data(
            form=self.form,
            data=data,
            labels=_labels(),
            urls=_urls(self.request),
            query=query,
            export_formats=EXPORT_FORMATS,
            **kwargs,
        )


def dashboard_json(request):
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(dashboard_data(user=request.user, **form.filters()))


def dashboard_export(request):
    form = _filter_form(request)
    file_format = request.GET.get("format", "xlsx")
    if file_format not in EXPORT_FORMATS:
        raise Http404
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = dashboard_data(user=request.user, **form.filters())
    content, content_type = dashboard_file(data, file_format)
    period = data["period"] or {"start": "", "end": ""}
    filename = f"indicators-{period['start']}-{period['end']}.{file_format}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _breakdown(request, indicator_id: int):
    """(form, indicator, period, breakdown) for the drill-down page and its JSON."""
    form = _filter_form(request)
    indicator = get_object_or_404(
        Indicator.objects.select_related("category"), pk=indicator_id, is_active=True
    )
    filters = form.filters()
    season = filters.get("season") or active_season()
    if season is None:
        return form, indicator, None, None
    period = dashboard_period(season, filters.get("start"), filters.get("end"))
    breakdown = indicator_breakdown(
        user=request.user,
        indicator=indicator,
        start=period.start,
        end=period.end,
        agency_ids=filters.get("agency_ids"),
    )
    return form, indicator, period, breakdown


class IndicatorDashboardView(WagtailAdminTemplateMixin, TemplateView):
    """The drill-down from a tile: the indicator's series and each agency's figures."""

    template_name = "statistics/admin/dashboard_indicator.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.form, self.indicator, self.period, self.breakdown = _breakdown(
            request, kwargs["indicator_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.indicator.name

    def get_breadcrumbs_items(self):
        dashboard_url = reverse("statistics_dashboard")
        query = self.request.GET.urlencode()
        return [
            *self.breadcrumbs_items,
            {
                "url": f"{dashboard_url}?{query}" if query else dashboard_url,
                "label": gettext("Indicators dashboard"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        query = self.request.GET.urlencode()
        dashboard_url = reverse("statistics_dashboard")
        return super().get_context_data(
            indicator=self.indicator,
            period=self.period,
            period_labels=period_json(self.period) if self.period else None,
            period_value_label=(
                period_value_label(self.period.label, self.indicator) if self.period else ""
            ),
            breakdown=self.breakdown,
            labels=_labels(),
            dashboard_url=f"{dashboard_url}?{query}" if query else dashboard_url,
            **kwargs,
        )


def indicator_json(request, indicator_id: int):
    _form, _indicator, period, breakdown = _breakdown(request, indicator_id)
    if breakdown is None:
        raise Http404
    return JsonResponse(breakdown)


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("statistics/dashboard/", DashboardView.as_view(), name="statistics_dashboard"),
        path("statistics/dashboard/data/", dashboard_json, name="statistics_dashboard_data"),
        path(
            "statistics/dashboard/export/",
            dashboard_export,
            name="statistics_dashboard_export",
        ),
        path(
            "statistics/dashboard/indicator/<int:indicator_id>/",
            IndicatorDashboardView.as_view(),
            name="statistics_dashboard_indicator",
        ),
        path(
            "statistics/dashboard/indicator/<int:indicator_id>/data/",
            indicator_json,
            name="statistics_dashboard_indicator_data",
        ),
    ]
