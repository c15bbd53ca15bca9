"""The six roles, their Django groups and what each may do.

Groups are created (and kept in step) by the data migrations of this app; the role's value
is the group's name. Committee roles work in the Wagtail admin, agency roles in the portal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMITTEE_ADMIN = "committee_admin", _("Committee administrator")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    OPERATOR = "operations_operator", _("Operations-room operator")
    AGENCY_MANAGER = "agency_manager", _("Agency manager")
    AGENCY_STAFF = "agency_staff", _("Agency staff")


COMMITTEE_ROLES = frozenset({Role.COMMITTEE_ADMIN, Role.EDITOR, Role.REVIEWER, Role.OPERATOR})
AGENCY_ROLES = frozenset({Role.AGENCY_MANAGER, Role.AGENCY_STAFF})

_CONTENT = [
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "simple_translation.submit_translation",
]
_DIRECTORY_READ = [
    "agencies.view_season",
    "agencies.view_agency",
    "agencies.view_membership",
    "agencies.view_staffmember",
]

_STATISTICS_READ = [
    "statistics.view_indicator",
    "statistics.view_indicatorcategory",
    "statistics.view_indicatorset",
    "statistics.view_dailyreport",
]
_STATISTICS_CONFIGURE = [
    f"statistics.{action}_{model}"
    for model in ("indicator", "indicatorcategory", "indicatorset")
    for action in ("add", "change", "delete")
]
_STATISTICS_ENTRY = [
    "statistics.view_dailyreport",
    "statistics.add_dailyreport",
    "statistics.change_dailyreport",
]

_TICKETS_CONFIG_MODELS = (
    "category",
    "priority",
    "zone",
    "landmark",
    "routingrule",
    "slapolicy",
    "businesscalendar",
)
_TICKETS_READ = ["tickets.view_ticket", *(f"tickets.view_{m}" for m in _TICKETS_CONFIG_MODELS)]
_TICKETS_CONFIGURE = [
    f"tickets.{action}_{model}"
    for model in _TICKETS_CONFIG_MODELS
    for action in ("add", "change", "delete")
]
_TICKETS_OPERATE = ["tickets.add_ticket", "tickets.change_ticket", "tickets.operate_ticket"]
_TICKETS_AGENCY = ["tickets.view_ticket", "tickets.add_ticket", "tickets.change_ticket"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COMMITTEE_ADMIN: [
        *_CONTENT,
        *_DIRECTORY_READ,
        "agencies.add_season",
        "agencies.change_season",
        "agencies.delete_season",
        "agencies.add_agency",
        "agencies.change_agency",
        "agencies.delete_agency",
        "agencies.add_membership",
        "agencies.change_membership",
        "agencies.delete_membership",
        "agencies.add_staffmember",
        "agencies.change_staffmember",
        "agencies.delete_staffmember",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "audit.view_auditentry",
        "notifications.view_message",
        "notifications.change_message",
        "wagtailcore.add_locale",
        "wagtailcore.change_locale",
        "base.change_committeesettings",
        *_STATISTICS_READ,
        *_STATISTICS_CONFIGURE,
        "statistics.review_dailyreport",
        "statistics.add_entryexception",
        *_TICKETS_READ,
        *_TICKETS_CONFIGURE,
        *_TICKETS_OPERATE,
    ],
    Role.EDITOR: [*_CONTENT],
    Role.REVIEWER: [
        *_CONTENT,
        *_DIRECTORY_READ,
        *_STATISTICS_READ,
        "statistics.review_dailyreport",
        *_TICKETS_READ,
    ],
    Role.OPERATOR: [
        "wagtailadmin.access_admin",
        *_DIRECTORY_READ,
        *_STATISTICS_READ,
        *_TICKETS_READ,
        *_TICKETS_OPERATE,
    ],
    Role.AGENCY_MANAGER: [
        "agencies.view_agency",
        "agencies.view_staffmember",
        "agencies.add_staffmember",
        "agencies.change_staffmember",
        "agencies.view_membership",
        "agencies.add_membership",
        "agencies.change_membership",
        *_STATISTICS_ENTRY,
        *_TICKETS_AGENCY,
    ],
    Role.AGENCY_STAFF: [
        "agencies.view_agency",
        "agencies.view_staffmember",
        *_STATISTICS_ENTRY,
        *_TICKETS_AGENCY,
    ],
}

# Page permissions granted on the root page, so they hold for both language trees.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    Role.COMMITTEE_ADMIN: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    Role.EDITOR: ["add_page", "change_page"],
    Role.REVIEWER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
