"""The home page's area of key public indicators, filled by the statistics module.

A module registers a function that takes the request and returns the indicators it makes
public (the committee chooses which in the admin). With none registered, or none public,
the home page leaves the area out.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True, kw_only=True)
class PublicIndicator:
    label: str
    value: int | float | str
    unit: str = ""
    note: str = ""


IndicatorProvider = Callable[[HttpRequest], list[PublicIndicator]]

_providers: list[IndicatorProvider] = []


def register(provider: IndicatorProvider) -> IndicatorProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def public_indicators(request: HttpRequest) -> list[PublicIndicator]:
    return [indicator for provider in _providers for indicator in provider(request)]
