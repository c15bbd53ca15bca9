"""The clocks: SLA policies (time targets per priority, pausing statuses, the escalation ladder)
and the business calendars some of them count in.

A policy or calendar is read from the database whenever a clock is computed, so a new ticket
uses the saved version at once. Tickets already open keep deadlines stored when they were
last computed; saving a policy (or a calendar its policies use) therefore queues a job that
recomputes them (`tasks.reschedule_policy`), once the save has committed: a policy may have
thousands of open tickets, more than an admin request should wait for.
"""

from functools import partial

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Func, Subquery
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic

from modules.core.admin import ConfigViewSet, InUseDeleteView

from ..admin_forms import BusinessCalendarForm, SlaPolicyForm, WorkingPeriodForm
from ..models import BusinessCalendar, Category, Priority, SlaPolicy, Status
from .config import ConflictSafeMixin


class RowFormInlinePanel(InlinePanel):
    """An inline panel whose rows use `form` (for checks that belong to one row)."""

    def __init__(self, *args, form, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = form

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "form": self.form}

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = self.form
        return options


def queue_reschedule(policy_id: int) -> None:
    async_task(
        "modules.tickets.tasks.reschedule_policy",
        policy_id,
        task_name=f"tickets-reschedule-policy-{policy_id}",
    )


class ReschedulesTicketsMixin:
    """After an edit that changed anything, the open tickets of the policies concerned get
    their deadlines and escalation steps recomputed (after commit: a rolled-back save
    reschedules nothing)."""

    def policy_ids(self, instance) -> list[int]:
        raise NotImplementedError

    def save_instance(self):
        instance = super().save_instance()
        if self.form.has_changed():
            for policy_id in self.policy_ids(instance):
                transaction.on_commit(partial(queue_reschedule, policy_id))
        return instance


def _listing_label(value, fallback) -> str:
    return str(value) if value else fallback


# --- SLA policies -------------------------------------------------------------------------


def _priority_total():
    """The number of priorities, as a subquery each listed policy can be compared with."""
    return Subquery(
        Priority.objects.order_by().annotate(total=Func("pk", function="COUNT")).values("total")
    )


class SlaPolicyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("calendar")
            .annotate(
                target_count=Count("targets", distinct=True),
                step_count=Count("steps", distinct=True),
                category_count=Count("categories", distinct=True),
                priority_count=_priority_total(),
            )
        )


def warn_without_default(request) -> None:
    """Unticking or deleting the default policy is allowed (it is how the default moves to
    another policy), but categories that name no policy then give new tickets no clock."""
    if SlaPolicy.objects.filter(is_default=True).exists():
        return
    count = Category.objects.filter(sla_policy__isnull=True, is_active=True).count()
    if count:
        messages.warning(
            request,
            _(
                "No policy is the default now: new tickets of the %(count)s categories that "
                "name no policy will have no deadline. Mark a policy as the default."
            )
            % {"count": count},
        )


# Rows are saved one by one, so two rows that exchange their priorities in one save meet the
# once-per-priority constraint half-way, as does a second default saved at the same moment.
POLICY_CONFLICT = _(
    "This could not be saved in one step: two rows exchanged their priorities, or another "
    "policy was made the default at the same moment. Change one row, save, then the other; "
    "or check the default and save again."
)


class SlaPolicyCreateView(ConflictSafeMixin, generic.CreateView):
    conflict_message = POLICY_CONFLICT


class SlaPolicyEditView(ConflictSafeMixin, ReschedulesTicketsMixin, generic.EditView):
    conflict_message = POLICY_CONFLICT

    def policy_ids(self, instance) -> list[int]:
        return [instance.pk]

    def save_action(self):
        response = super().save_action()
        warn_without_default(self.request)
        return response


class SlaPolicyDeleteView(InUseDeleteView):
    def form_valid(self, form):
        response = super().form_valid(form)
        warn_without_default(self.request)
        return response


def _status_labels(values) -> str:
    labels = dict(Status.choices)
    return ", ".join(str(labels.get(value, value)) for value in values) or "—"


class SlaPolicyInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return (
            SlaPolicy.objects.select_related("calendar")
            .prefetch_related("targets__priority", "steps__person")
            .get(pk=self.pk)
        )

    def get_field_label(self, field_name, field):
        if field_name in ("targets", "steps"):
            return capfirst(field.related_model._meta.verbose_name_plural)
        return super().get_field_label(field_name, field)

    def get_calendar_display_value(self):
        return _listing_label(self.object.calendar, _("Every hour of every day (24/7)"))

    def get_pause_statuses_display_value(self):
        return _status_labels(self.object.pause_statuses)

    def get_targets_display_value(self):
        rows = [
            (target.priority, target.acknowledge_minutes, target.resolve_minutes)
            for target in self.object.targets.all()
        ]
        template = _("%(priority)s: acknowledge in %(ack)s min, resolve in %(resolve)s min")
        return (
            format_html_join(
                "",
                "<p>{}</p>",
                ((template % {"priority": p, "ack": a, "resolve": r},) for p, a, r in rows),
            )
            or "—"
        )

    def get_steps_display_value(self):
        lines = []
        for step in self.object.steps.all():
            who = step.person if step.person_id else step.get_recipients_display()
            lines.append(
                (
                    _("%(clock)s at %(percent)s%% + %(minutes)s min: %(who)s")
                    % {
                        "clock": step.get_target_display(),
                        "percent": step.percent,
                        "minutes": step.minutes_after,
                        "who": who,
                    },
                )
            )
        return format_html_join("", "<p>{}</p>", lines) or "—"


def _policy_calendar(policy: SlaPolicy) -> str:
    return _listing_label(policy.calendar, _("24/7"))


def _policy_targets(policy: SlaPolicy) -> str:
    text = _("%(targets)s of %(priorities)s") % {
        "targets": policy.target_count,
        "priorities": policy.priority_count or 0,
    }
    if policy.target_count < (policy.priority_count or 0):
        return format_html('<span class="w-text-critical-200">{}</span>', text)
    return text


class SlaPolicyViewSet(ConfigViewSet):
    model = SlaPolicy
    icon = "time"
    menu_label = _("SLA policies")
    menu_order = 600
    index_view_class = SlaPolicyIndexView
    add_view_class = SlaPolicyCreateView
    edit_view_class = SlaPolicyEditView
    delete_view_class = SlaPolicyDeleteView
    inspect_view_class = SlaPolicyInspectView
    inspect_view_fields = [
        "name_ar",
        "name_en",
        "is_default",
        "calendar",
        "pause_statuses",
        "targets",
        "steps",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
                    FieldRowPanel([FieldPanel("is_default"), FieldPanel("calendar")]),
                    FieldPanel("pause_statuses"),
                ],
                heading=_("Policy"),
            ),
            InlinePanel(
                "targets",
                heading=_("Time targets per priority"),
                label=_("time target"),
                help_text=_(
                    "Minutes to acknowledge and to resolve, counted in the policy's business "
                    "hours. Every priority needs one."
                ),
                panels=[
                    FieldRowPanel(
                        [
                            FieldPanel("priority"),
                            FieldPanel("acknowledge_minutes"),
                            FieldPanel("resolve_minutes"),
                        ]
                    )
                ],
            ),
            InlinePanel(
                "steps",
                heading=_("Escalation ladder"),
                label=_("escalation step"),
                help_text=_(
                    "For example: at 75% of the time to resolve, tell the agency's team; at "
                    "100% (the breach), the agency's managers; at 100% plus 30 minutes, the "
                    "committee's duty supervisor. Each step is sent once per ticket; steps "
                    "due to one person in the same minute go out as one digest."
                ),
                panels=[
                    FieldRowPanel(
                        [
                            FieldPanel("target"),
                            FieldPanel("percent"),
                            FieldPanel("minutes_after"),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("recipients"), FieldPanel("person")]),
                    FieldRowPanel([FieldPanel("by_email"), FieldPanel("by_sms")]),
                ],
            ),
        ],
        base_form_class=SlaPolicyForm,
    )
    list_display = [
        "__str__",
        BooleanColumn("is_default", label=capfirst(_("default")), sort_key="is_default"),
        Column("calendar", label=capfirst(_("business hours")), accessor=_policy_calendar),
        Column("targets", label=capfirst(_("time targets")), accessor=_policy_targets),
        Column("step_count", label=capfirst(_("escalation steps")), sort_key="step_count"),
        Column("category_count", label=capfirst(_("categories")), sort_key="category_count"),
    ]
    search_fields = ["name_ar", "name_en"]
    ordering = "name_ar"


# --- Business calendars -------------------------------------------------------------------


class BusinessCalendarIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                period_count=Count("periods", distinct=True),
                holiday_count=Count("holidays", distinct=True),
                policy_count=Count("policies", distinct=True),
            )
        )


class BusinessCalendarEditView(ReschedulesTicketsMixin, generic.EditView):
    def policy_ids(self, instance) -> list[int]:
        return list(instance.policies.values_list("pk", flat=True))


class BusinessCalendarInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return BusinessCalendar.objects.prefetch_related("periods", "holidays").get(pk=self.pk)

    def get_field_label(self, field_name, field):
        if field_name in ("periods", "holidays"):
            return capfirst(field.related_model._meta.verbose_name_plural)
        return super().get_field_label(field_name, field)

    def get_periods_display_value(self):
        rows = (
            (period.get_weekday_display(), f"{period.opens:%H:%M}–{period.closes:%H:%M}")
            for period in self.object.periods.all()
        )
        return format_html_join("", '<p>{}: <span dir="ltr">{}</span></p>', rows) or "—"

    def get_holidays_display_value(self):
        rows = ((f"{holiday.day:%Y-%m-%d}", holiday) for holiday in self.object.holidays.all())
        return format_html_join("", '<p><span dir="ltr">{}</span> {}</p>', rows) or "—"


class BusinessCalendarViewSet(ConfigViewSet):
    model = BusinessCalendar
    icon = "calendar"
    menu_label = _("Business calendars")
    menu_order = 700
    index_view_class = BusinessCalendarIndexView
    edit_view_class = BusinessCalendarEditView
    inspect_view_class = BusinessCalendarInspectView
    inspect_view_fields = ["name_ar", "name_en", "periods", "holidays"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
            RowFormInlinePanel(
                "periods",
                form=WorkingPeriodForm,
                heading=_("Working hours"),
                label=_("working period"),
                help_text=_(
                    "Clocks run only in these hours (Asia/Riyadh time). A day may have several "
                    "periods, such as a morning and an evening shift."
                ),
                panels=[
                    FieldRowPanel(
                        [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]
                    )
                ],
            ),
            InlinePanel(
                "holidays",
                heading=_("Holidays"),
                label=_("holiday"),
                help_text=_("Clocks stand still on these dates."),
                panels=[
                    FieldRowPanel([FieldPanel("day"), FieldPanel("name_ar"), FieldPanel("name_en")])
                ],
            ),
        ],
        base_form_class=BusinessCalendarForm,
    )
    list_display = [
        "__str__",
        Column("period_count", label=capfirst(_("working periods")), sort_key="period_count"),
        Column("holiday_count", label=capfirst(_("holidays")), sort_key="holiday_count"),
        Column("policy_count", label=capfirst(_("SLA policies")), sort_key="policy_count"),
    ]
    search_fields = ["name_ar", "name_en"]
    ordering = "name_ar"
