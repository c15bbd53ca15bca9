from django.test import Client

from tests.support.mfa import activate_totp


def signed_in_with_totp(user) -> Client:
    activate_totp(user)
    client = Client()
    client.force_login(user)
    return client
