"""Which action moves a ticket from which statuses, and who may take it.

Services enforce this table; selectors use it to offer only the buttons that will work.
"""

from dataclasses import dataclass

from .models import OPEN_STATUSES, Status


@dataclass(frozen=True)
class Action:
    from_statuses: frozenset
    # Operators (and committee administrators) only; otherwise also the assigned agency.
    operator_only: bool


_WORKING = frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS})
_ANY = frozenset(Status)

ACTIONS: dict[str, Action] = {
    "acknowledge": Action(frozenset({Status.ASSIGNED}), operator_only=False),
    "start": Action(frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED}), operator_only=False),
    "resolve": Action(_WORKING | {Status.ON_HOLD}, operator_only=False),
    "request_reassign": Action(_WORKING, operator_only=False),
    "comment": Action(_ANY, operator_only=False),
    "close": Action(frozenset({Status.RESOLVED}), operator_only=True),
    "reopen": Action(frozenset({Status.RESOLVED, Status.CLOSED}), operator_only=True),
    "pause": Action(OPEN_STATUSES - {Status.ON_HOLD}, operator_only=True),
    "resume": Action(frozenset({Status.ON_HOLD}), operator_only=True),
    "assign": Action(OPEN_STATUSES, operator_only=True),
    "priority": Action(OPEN_STATUSES, operator_only=True),
}

OPERATE_PERMISSION = "tickets.operate_ticket"
CHANGE_PERMISSION = "tickets.change_ticket"


def is_operator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(OPERATE_PERMISSION))


def may(user, action: str, ticket) -> bool:
    """May `user` take `action` on `ticket` in its current status?"""
    rule = ACTIONS[action]
    if ticket.status not in rule.from_statuses:
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_operator(user):
        return True
    if rule.operator_only:
        return False
    return (
        user.has_perm(CHANGE_PERMISSION)
        and not user.is_committee
        and ticket.agency_id is not None
        and user.agency_id == ticket.agency_id
    )
