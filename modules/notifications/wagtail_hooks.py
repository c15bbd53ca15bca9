from wagtail import hooks

from .viewsets import message_viewset


@hooks.register("register_admin_viewset")
def register_message_viewset():
    return message_viewset
