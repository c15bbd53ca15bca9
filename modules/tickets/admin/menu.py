"""The admin's "Operations room" menu: the configuration viewsets and a link to the board.

The board itself is not an admin page (it lives at `tickets_room:board`, a wall-screen
friendly page of its own); the link is shown to holders of `tickets.view_ticket` and hidden
while that route is not registered. Other modules may add links with the
`register_tickets_menu_item` hook.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from modules.core.admin import NamedUrlMenuItem

from .config import (
    CategoryViewSet,
    LandmarkViewSet,
    PriorityViewSet,
    RoutingRuleViewSet,
    ZoneViewSet,
)
from .sla import BusinessCalendarViewSet, SlaPolicyViewSet

TICKETS_MENU_HOOK = "register_tickets_menu_item"


class OperationsRoomMenu(ViewSetGroup):
    menu_label = _("Operations room")
    menu_icon = "warning"
    menu_order = 170
    submenu_hook = TICKETS_MENU_HOOK
    items = (
        CategoryViewSet("tickets_categories", url_prefix="tickets/categories"),
        PriorityViewSet("tickets_priorities", url_prefix="tickets/priorities"),
        ZoneViewSet("tickets_zones", url_prefix="tickets/zones"),
        LandmarkViewSet("tickets_landmarks", url_prefix="tickets/landmarks"),
        RoutingRuleViewSet("tickets_routing", url_prefix="tickets/routing"),
        SlaPolicyViewSet("tickets_policies", url_prefix="tickets/policies"),
        BusinessCalendarViewSet("tickets_calendars", url_prefix="tickets/calendars"),
    )


@hooks.register("register_admin_viewset")
def register_operations_room_menu():
    return OperationsRoomMenu()


@hooks.register(TICKETS_MENU_HOOK)
def board_menu_item():
    return NamedUrlMenuItem(
        _("Operations board"),
        "tickets_room:board",
        permission="tickets.view_ticket",
        icon_name="desktop",
        name="tickets-board",
        order=50,
    )
