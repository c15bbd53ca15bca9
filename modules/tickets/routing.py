"""Which agency a ticket goes to: the category's rule for its zone, else the general rule."""

from django.db.models import F, Q

from modules.agencies.models import Agency

from .models import Category, RoutingRule, Zone


def route(category: Category, zone: Zone | None) -> Agency | None:
    """The responsible agency, or None when no active rule matches (operators route it)."""
    rules = RoutingRule.objects.filter(
        category=category, is_active=True, agency__is_active=True
    ).select_related("agency")
    if zone is None:
        rules = rules.filter(zone__isnull=True)
    else:
        rules = rules.filter(Q(zone=zone) | Q(zone__isnull=True))
    rule = rules.order_by(F("zone").asc(nulls_last=True)).first()
    return rule.agency if rule else None
