"""Configuring daily statistics without code, and the admin's "Statistics" menu.

Indicators, their categories and the daily forms are ordinary Wagtail model viewsets guarded
by the `statistics.*` model permissions (committee administrators change them; reviewers and
operators may look). A daily form is edited on one page: its agencies, deadline, ordered
indicators with section titles, and the validation rules across them.

The "Statistics" menu is one group. Besides these viewsets it takes any menu item registered
with the `register_statistics_menu_item` hook: the dashboard (linked by URL name, see below),
the completeness board and the review list (`admin/review.py`).
"""

import django_filters
from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from modules.agencies.models import Agency
from modules.core.admin import LATIN_INPUT, ConfigViewSet, NamedUrlMenuItem

from ..admin_forms import IndicatorRowForm, IndicatorSetForm
from ..models import Indicator, IndicatorCategory, IndicatorSet

STATISTICS_MENU_HOOK = "register_statistics_menu_item"


class IndicatorsInlinePanel(InlinePanel):
    """An inline panel whose rows label each indicator with its code."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = IndicatorRowForm
        return options


# --- Categories ---------------------------------------------------------------------------


class CategoryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(indicator_count=Count("indicators"))


class IndicatorCategoryViewSet(ConfigViewSet):
    model = IndicatorCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    menu_order = 500
    index_view_class = CategoryIndexView
    panels = [
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("code", widget=LATIN_INPUT), FieldPanel("sort_order")]),
    ]
    list_display = [
        "__str__",
        "code",
        "sort_order",
        Column("indicator_count", label=capfirst(_("indicators")), sort_key="indicator_count"),
    ]
    search_fields = ["name_ar", "name_en", "code"]
    ordering = "sort_order"


# --- Indicators ---------------------------------------------------------------------------


class IndicatorIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category")


class IndicatorViewSet(ConfigViewSet):
    model = Indicator
    icon = "list-ul"
    menu_label = _("Indicators")
    menu_order = 400
    index_view_class = IndicatorIndexView
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
                FieldRowPanel([FieldPanel("code", widget=LATIN_INPUT), FieldPanel("category")]),
                FieldRowPanel([FieldPanel("description_ar"), FieldPanel("description_en")]),
            ],
            heading=_("Indicator"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("value_type"), FieldPanel("unit_ar"), FieldPanel("unit_en")]
                ),
                FieldRowPanel([FieldPanel("minimum"), FieldPanel("maximum")]),
                FieldPanel("change_tolerance"),
            ],
            heading=_("Values and checks"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("day_aggregation"), FieldPanel("agency_aggregation")])],
            heading=_("Adding up"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_public"), FieldPanel("is_active")], heading=_("Publication")
        ),
    ]
    list_display = [
        "__str__",
        "code",
        "category",
        "value_type",
        Column("unit", label=capfirst(_("unit")), accessor="unit"),
        BooleanColumn("is_public", label=capfirst(_("public")), sort_key="is_public"),
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    list_filter = ["category", "value_type", "is_public", "is_active"]
    search_fields = ["name_ar", "name_en", "code"]
    ordering = "code"


# --- Daily forms --------------------------------------------------------------------------


class IndicatorSetIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                item_count=Count("items", distinct=True),
                agency_count=Count("agencies", distinct=True),
            )
        )


class IndicatorSetFilterSet(WagtailFilterSet):
    agencies = django_filters.ModelChoiceFilter(
        label=capfirst(_("agency")), queryset=lambda request: Agency.objects.for_user(request.user)
    )

    class Meta:
        model = IndicatorSet
        fields = ["agencies", "is_active"]


def _deadline(indicator_set: IndicatorSet) -> str:
    return _("%(time)s the next day") % {"time": indicator_set.deadline_time.strftime("%H:%M")}


class IndicatorSetEditView(generic.EditView):
    """Rows are saved one by one, so two rows that exchange their indicators in one save
    meet the once-per-form constraint half-way: say so instead of failing."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            message = _(
                "Two rows exchanged their indicators, which cannot be saved in one step. "
                "Change one of the rows, save, then change the other."
            )
            form.add_error(None, message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = message
            return self.form_invalid(form)


class IndicatorSetViewSet(ConfigViewSet):
    model = IndicatorSet
    icon = "form"
    edit_view_class = IndicatorSetEditView
    menu_label = _("Daily forms")
    menu_order = 600
    index_view_class = IndicatorSetIndexView
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
                    FieldRowPanel(
                        [FieldPanel("code", widget=LATIN_INPUT), FieldPanel("is_active")]
                    ),
                    FieldRowPanel([FieldPanel("deadline_time"), FieldPanel("grace_days")]),
                ],
                heading=_("Form and deadline"),
            ),
            FieldPanel(
                "agencies",
                widget=forms.CheckboxSelectMultiple(attrs={"class": "statistics-agency-list"}),
                heading=_("Agencies that report this form"),
            ),
            IndicatorsInlinePanel(
                "items",
                heading=_("Indicators, in order"),
                label=_("indicator"),
                min_num=1,
                panels=[
                    FieldRowPanel([FieldPanel("indicator"), FieldPanel("is_required")]),
                    FieldRowPanel([FieldPanel("section_ar"), FieldPanel("section_en")]),
                ],
            ),
            IndicatorsInlinePanel(
                "rules",
                heading=_("Validation rules"),
                label=_("rule"),
                help_text=_(
                    "Each rule compares two indicators of this form (the second times a "
                    "factor), or an indicator with a number. It is checked when both have a "
                    "value."
                ),
                panels=[
                    FieldRowPanel(
                        [FieldPanel("left"), FieldPanel("comparison"), FieldPanel("right")]
                    ),
                    FieldRowPanel([FieldPanel("factor"), FieldPanel("constant")]),
                    FieldPanel("severity"),
                    FieldRowPanel([FieldPanel("message_ar"), FieldPanel("message_en")]),
                ],
            ),
        ],
        base_form_class=IndicatorSetForm,
    )
    list_display = [
        "__str__",
        "code",
        Column("deadline_time", label=capfirst(_("deadline")), accessor=_deadline),
        "grace_days",
        Column("item_count", label=capfirst(_("indicators")), sort_key="item_count"),
        Column("agency_count", label=capfirst(_("agencies")), sort_key="agency_count"),
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    filterset_class = IndicatorSetFilterSet
    search_fields = ["name_ar", "name_en", "code"]
    ordering = "name_ar"


# --- The menu -----------------------------------------------------------------------------


class StatisticsMenu(ViewSetGroup):
    menu_label = _("Statistics")
    menu_icon = "table"
    menu_order = 160
    submenu_hook = STATISTICS_MENU_HOOK
    items = (
        IndicatorViewSet("statistics_indicators", url_prefix="statistics/indicators"),
        IndicatorCategoryViewSet("statistics_categories", url_prefix="statistics/categories"),
        IndicatorSetViewSet("statistics_forms", url_prefix="statistics/forms"),
    )


@hooks.register("register_admin_viewset")
def register_statistics_menu():
    return StatisticsMenu()


@hooks.register("insert_global_admin_css")
def statistics_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/statistics-admin.css"))


@hooks.register(STATISTICS_MENU_HOOK)
def dashboard_menu_item():
    return NamedUrlMenuItem(
        _("Dashboard"),
        "statistics_dashboard",
        permission="statistics.view_dailyreport",
        icon_name="sliders",
        name="statistics-dashboard",
        order=100,
    )
