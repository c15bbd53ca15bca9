"""The cards on the portal home: each module contributes what its users should see first.

A module registers a function that takes the request and returns a `Card`, or None when
it has nothing to show that user (no permission, no active season…). Functions live in a
`portal_cards.py` module of any installed app, which the portal imports at start-up:

    from modules.portal.cards import Card, register

    @register(order=20)
    def open_tickets(request):
        count = Ticket.objects.for_user(request.user).open().count()
        return Card(title=_("Open incidents"), value=count, url=reverse("tickets:list"))

Cards only ever show real figures: a module with nothing to report returns None.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest


class Tone(StrEnum):
    """How a card should read at a glance; the stylesheet gives each a colour."""

    NEUTRAL = "neutral"
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True, kw_only=True)
class Card:
    title: str
    value: int | str | None = None
    description: str = ""
    url: str = ""
    link_label: str = ""
    tone: Tone = Tone.NEUTRAL
    icon: str = ""


CardProvider = Callable[[HttpRequest], Card | None]

_providers: dict[str, tuple[int, CardProvider]] = {}


def register(provider: CardProvider | None = None, *, order: int = 100):
    """Add a card provider; lower `order` comes first. Usable bare or with arguments."""

    def add(func: CardProvider) -> CardProvider:
        _providers[f"{func.__module__}.{func.__qualname__}"] = (order, func)
        return func

    return add(provider) if provider is not None else add


def providers() -> list[CardProvider]:
    return [func for _order, func in sorted(_providers.values(), key=lambda item: item[0])]


def cards_for(request: HttpRequest) -> list[Card]:
    """The cards this request's user should see, in order."""
    return [card for provider in providers() if (card := provider(request)) is not None]
