"""What an incident is and where it goes: categories, priorities, zones, landmarks and the
routing rules from a category (and zone) to the agency responsible.

Ordinary Wagtail model viewsets guarded by the `tickets.*` model permissions: committee
administrators change them; operators and reviewers may look (the inspect view). Everything
is read from the database when a ticket is created, so a change applies to the next ticket
without a restart.
"""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic

from modules.core.admin import LATIN_INPUT, ConfigViewSet

from ..admin_forms import CategoryForm, LandmarkForm, PriorityForm, RoutingRuleForm
from ..models import Category, Landmark, Priority, RoutingRule, SlaPolicy, Zone

COORDINATE_INPUT = forms.NumberInput(attrs={"dir": "ltr", "step": "0.000001"})


class ConflictSafeMixin:
    """Two people saving clashing records at the same moment pass the form's checks and meet
    the database's unique constraint: say so on the form instead of an error page."""

    conflict_message = _(
        "Someone saved a record that clashes with this one at the same moment. "
        "Check the form and save again."
    )

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            message = self.conflict_message
            form.add_error(None, message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = message
            return self.form_invalid(form)


# --- Priorities ---------------------------------------------------------------------------


def _colour_swatch(priority: Priority) -> str:
    return format_html(
        '<span style="display: inline-block; inline-size: 1em; block-size: 1em; '
        'vertical-align: middle; border-radius: 2px; background-color: {}"></span> '
        '<span dir="ltr">{}</span>',
        priority.colour,
        priority.colour,
    )


class PriorityCreateView(generic.CreateView):
    def save_action(self):
        response = super().save_action()
        policies = list(SlaPolicy.objects.order_by("name_ar"))
        if policies:
            messages.warning(
                self.request,
                _(
                    "Give “%(priority)s” its times in each SLA policy, or its tickets will "
                    "have no deadline: %(policies)s."
                )
                % {"priority": self.object, "policies": ", ".join(map(str, policies))},
            )
        return response


class PriorityViewSet(ConfigViewSet):
    model = Priority
    icon = "order"
    menu_label = _("Priorities")
    menu_order = 200
    add_view_class = PriorityCreateView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
            FieldRowPanel(
                [
                    FieldPanel("code", widget=LATIN_INPUT),
                    FieldPanel("rank"),
                    FieldPanel("colour", widget=forms.TextInput(attrs={"type": "color"})),
                ]
            ),
        ],
        base_form_class=PriorityForm,
    )
    list_display = [
        "__str__",
        "code",
        "rank",
        Column("colour", label=capfirst(_("colour")), accessor=_colour_swatch),
    ]
    search_fields = ["name_ar", "name_en", "code"]
    ordering = "rank"


# --- Categories ---------------------------------------------------------------------------


class CategoryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("default_priority", "sla_policy")


def _category_policy(category: Category) -> str:
    return str(category.sla_policy) if category.sla_policy_id else _("The default policy")


class CategoryViewSet(ConfigViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Incident categories")
    menu_order = 100
    index_view_class = CategoryIndexView
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
                    FieldRowPanel([FieldPanel("description_ar"), FieldPanel("description_en")]),
                    FieldRowPanel(
                        [FieldPanel("code", widget=LATIN_INPUT), FieldPanel("sort_order")]
                    ),
                ],
                heading=_("Category"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("default_priority"), FieldPanel("sla_policy")])],
                heading=_("Clock"),
            ),
            MultiFieldPanel(
                [FieldPanel("is_public"), FieldPanel("is_active")], heading=_("Publication")
            ),
        ],
        base_form_class=CategoryForm,
    )
    list_display = [
        "__str__",
        "code",
        "default_priority",
        Column("sla_policy", label=capfirst(_("SLA policy")), accessor=_category_policy),
        BooleanColumn("is_public", label=capfirst(_("public")), sort_key="is_public"),
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
        "sort_order",
    ]
    list_filter = ["default_priority", "sla_policy", "is_public", "is_active"]
    search_fields = ["name_ar", "name_en", "code"]
    ordering = "sort_order"


# --- Zones and landmarks ------------------------------------------------------------------


class ZoneIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(landmark_count=Count("landmarks"))


class ZoneViewSet(ConfigViewSet):
    model = Zone
    icon = "site"
    menu_label = _("Zones")
    menu_order = 300
    index_view_class = ZoneIndexView
    panels = [
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("code", widget=LATIN_INPUT), FieldPanel("sort_order")]),
    ]
    list_display = [
        "__str__",
        "code",
        "sort_order",
        Column("landmark_count", label=capfirst(_("landmarks")), sort_key="landmark_count"),
    ]
    search_fields = ["name_ar", "name_en", "code"]
    ordering = "sort_order"


class LandmarkIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("zone")


def _coordinates(landmark: Landmark) -> str:
    if landmark.latitude is None:
        return "—"
    return format_html('<span dir="ltr">{}, {}</span>', landmark.latitude, landmark.longitude)


class LandmarkViewSet(ConfigViewSet):
    model = Landmark
    icon = "pick"
    menu_label = _("Landmarks, gates and areas")
    menu_order = 400
    index_view_class = LandmarkIndexView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("zone")]),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("latitude", widget=COORDINATE_INPUT),
                            FieldPanel("longitude", widget=COORDINATE_INPUT),
                        ]
                    )
                ],
                heading=_("Place on the map"),
                help_text=_(
                    "Optional. Decimal degrees, such as 21.422487 and 39.826206; the board "
                    "shows the landmark's tickets there when they have no point of their own."
                ),
            ),
            FieldPanel("is_active"),
        ],
        base_form_class=LandmarkForm,
    )
    list_display = [
        "__str__",
        "kind",
        "zone",
        Column("coordinates", label=capfirst(_("coordinates")), accessor=_coordinates),
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    list_filter = ["zone", "kind", "is_active"]
    search_fields = ["name_ar", "name_en"]
    ordering = "zone__sort_order"


# --- Routing rules ------------------------------------------------------------------------


class RoutingRuleIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category", "zone", "agency")


class RoutingRuleCreateView(ConflictSafeMixin, generic.CreateView):
    pass


class RoutingRuleEditView(ConflictSafeMixin, generic.EditView):
    pass


def _rule_zone(rule: RoutingRule) -> str:
    return str(rule.zone) if rule.zone_id else _("Any zone")


class RoutingRuleViewSet(ConfigViewSet):
    model = RoutingRule
    icon = "redirect"
    menu_label = _("Routing rules")
    menu_order = 500
    index_view_class = RoutingRuleIndexView
    add_view_class = RoutingRuleCreateView
    edit_view_class = RoutingRuleEditView
    edit_handler = ObjectList(
        [
            HelpPanel(template="tickets/admin/routing_help.html", heading=_("How routing works")),
            FieldRowPanel([FieldPanel("category"), FieldPanel("zone")]),
            FieldPanel("agency"),
            FieldPanel("is_active"),
        ],
        base_form_class=RoutingRuleForm,
    )
    list_display = [
        "category",
        Column("zone", label=capfirst(_("zone")), accessor=_rule_zone),
        "agency",
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    list_filter = ["category", "zone", "agency", "is_active"]
    search_fields = ["category__name_ar", "category__name_en", "agency__name_ar", "agency__name_en"]
    ordering = "category__sort_order"
