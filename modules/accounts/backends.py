from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .models import User


class AuthenticationBackend(AllauthBackend):
    """allauth's e-mail login; the signed-in person is loaded with their agency in one query,
    since every portal page and API request asks for it."""

    def get_user(self, user_id):
        user = User._default_manager.select_related("membership__agency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
