"""A misconfigured SMS gateway is reported by `manage.py check`, before any SMS fails."""

import pytest

from modules.notifications.checks import check_sms_gateway

HTTP = "modules.notifications.backends.HttpSmsBackend"


def _ids(settings, **overrides) -> list[str]:
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, **overrides}
    return [error.id for error in check_sms_gateway(None)]


def test_the_console_backend_needs_nothing(settings):
    assert _ids(settings, SMS_BACKEND="modules.notifications.backends.ConsoleSmsBackend") == []


def test_a_complete_gateway_configuration_passes(settings, sms_gateway):
    assert _ids(settings) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"SMS_BACKEND": "modules.notifications.backends.Missing"}, ["notifications.E001"]),
        ({"SMS_BACKEND": HTTP, "SMS_GATEWAY_URL": ""}, ["notifications.E002"]),
        (
            {
                "SMS_BACKEND": HTTP,
                "SMS_GATEWAY_URL": "https://sms.example",
                "SMS_BODY_TEMPLATE": '{"to": {to}}',
            },
            ["notifications.E003"],
        ),
    ],
)
def test_a_gateway_that_cannot_work_is_reported(settings, overrides, expected):
    assert _ids(settings, **overrides) == expected
